import { transfer } from 'comlink';
import { lastValueFrom, Subscription } from 'rxjs';
import { decodeNetwork, encodeNetwork } from '../io/safetensors';
import { setDefaultBackend } from '../kernels/backend';
import { autoBackend, initWasmSync } from '../kernels/wasm';
import { type LiveParams, Network } from '../model/network';
import type { Mode, NetworkSpecInput } from '../model/spec';
import { Clock, type ClockTarget, type TickRate } from '../streams/clock';
import { DISPLAY_FPS, toDisplayRate } from '../streams/display';
import { LayerGraph } from '../streams/graph';
import { YieldScheduler } from '../streams/yield-scheduler';
import type {
  Callback,
  NetworkInfo,
  RestoreState,
  SimulationApi,
  SimulationEvent,
  Snapshot,
  WeightSet,
} from './protocol';
import { takeSnapshot } from './snapshot';

/**
 * The simulation that runs in the worker (see {@link SimulationApi} for each command). Ticks go
 * through a {@link LayerGraph} driven by a {@link Clock}; at `max` the clock works in slices of
 * about 10 ms and yields through a MessageChannel between them, so commands arrive promptly.
 * Snapshots are sent at display rate, one at a time: while the receiver has not answered the
 * last one, newer states wait and only the latest goes next. M and W go along only when they
 * changed (a version counts the network's replacements and its train-mode ticks) and the
 * network is within the receiver's `weightLimit`.
 */
export class Simulation implements SimulationApi {
  private readonly scheduler = new YieldScheduler();
  private current: { net: Network; graph: LayerGraph; clock: Clock } | null = null;
  private wiring = new Subscription();
  private display = new Subscription();
  private snapshotSink: Callback<Snapshot> | null = null;
  private eventSink: Callback<SimulationEvent> | null = null;
  private fps = DISPLAY_FPS;
  private sending = false;
  private resend = false;
  private seq = 0;
  private weightLimit = 0;
  private weightsVersion = 0;
  private weightsSent = -1;
  /** A restored network counts ticks from here, and shows this equilibrium until it ticks. */
  private tickBase = 0;
  private restoredEquilibrium: boolean | null = null;

  /** Whether the kernels are chosen (see {@link Simulation.chooseKernels}). */
  private kernelsChosen = false;

  /**
   * Picks the kernels before the first network: WebAssembly SIMD for networks of 2,000 floats
   * or more, plain JavaScript below (`autoBackend`; calling into WebAssembly costs more than it
   * saves on a 3-2 network). The modules compile synchronously (a worker may), so `create`
   * stays synchronous and the commands sent after it find the network. Where WebAssembly SIMD
   * is missing or fails to compile, the JavaScript kernels stay; `NetworkInfo.backend` says
   * which runs.
   */
  private chooseKernels(): void {
    if (this.kernelsChosen) return;
    this.kernelsChosen = true;
    try {
      initWasmSync();
      setDefaultBackend(autoBackend());
    } catch {
      // The JavaScript kernels, the default, stay.
    }
  }

  create(spec: NetworkSpecInput, batch = 1, weights?: WeightSet): NetworkInfo {
    this.chooseKernels();
    const net = new Network(spec, { batch });
    if (weights) net.setWeights(weights.M, weights.W);
    return this.install(net);
  }

  restore(state: RestoreState): void {
    const { net, graph } = this.need();
    const check = (arrays: Float32Array[], what: string) => {
      if (arrays.length !== net.depth || arrays.some((a, l) => a.length !== net.x(l).length)) {
        throw new RangeError(`${what} do not fit a network of layers ${net.sizes.join('-')}`);
      }
    };
    check(state.states, 'states');
    check(state.errors, 'errors');
    state.states.forEach((x, l) => net.x(l).set(x));
    state.errors.forEach((e, l) => net.eps(l).set(e));
    net.time = state.time;
    this.tickBase = state.tick - net.tick;
    this.restoredEquilibrium = state.equilibrium;
    graph.publish();
  }

  load(bytes: Uint8Array, batch?: number): NetworkInfo {
    this.chooseKernels();
    const { spec, M, W } = decodeNetwork(bytes);
    const net = new Network(spec, { batch: batch ?? this.current?.net.batch ?? 1 });
    net.setWeights(M, W);
    return this.install(net);
  }

  save(): Uint8Array {
    const { net } = this.need();
    const bytes = encodeNetwork(net.spec, net.M, net.W);
    return transfer(bytes, [bytes.buffer]);
  }

  clampNode(layer: number, index: number, value: number | number[]): void {
    this.need().graph.clampNode(layer, index, value);
  }

  releaseNode(layer: number, index: number): void {
    this.need().graph.releaseNode(layer, index);
  }

  releaseAll(layer?: number): void {
    this.need().graph.releaseAll(layer);
  }

  setInput(values: number[] | Float32Array): void {
    this.need().graph.setInput(values);
  }

  setTarget(values: number[] | Float32Array): void {
    this.need().graph.setTarget(values);
  }

  setTargetClass(classes: number | number[]): void {
    this.need().graph.setTargetClass(classes);
  }

  setParams(params: LiveParams): void {
    const { graph, clock, net } = this.need();
    if (clock.running && params.dt !== undefined && params.dt !== net.spec.dt) {
      throw new Error('dt is fixed during a run: pause before changing it');
    }
    graph.setParams(params);
  }

  setMode(mode: Mode): void {
    this.need().graph.setMode(mode);
  }

  async step(ticks: number): Promise<Snapshot> {
    if (!Number.isInteger(ticks) || ticks < 0) {
      throw new RangeError(`ticks must be a whole number, got ${ticks}`);
    }
    const { clock } = this.need();
    await lastValueFrom(clock.runUntil({ ticks }, 'max'));
    return this.snapshot();
  }

  feedForward(): Snapshot {
    this.need().graph.feedForward();
    return this.snapshot();
  }

  play(rate: TickRate): void {
    this.need().clock.play(rate);
  }

  pause(): void {
    this.need().clock.pause();
    this.sendSnapshot();
  }

  reset(init: { std?: number } = {}): void {
    const { graph } = this.need();
    this.tickBase = 0;
    this.restoredEquilibrium = null;
    graph.resetState(init);
  }

  snapshot(options: { weights?: boolean } = {}): Snapshot {
    const { net, clock } = this.need();
    const count = net.M.reduce((a, m) => a + 2 * m.length, 0);
    const changed = this.weightsSent !== this.weightsVersion && count <= this.weightLimit;
    const weights = options.weights === true || changed;
    if (weights) this.weightsSent = this.weightsVersion;
    return takeSnapshot(net, {
      seq: this.seq++,
      running: clock.running,
      tickBase: this.tickBase,
      equilibrium: net.tick === 0 ? (this.restoredEquilibrium ?? undefined) : undefined,
      weightsVersion: this.weightsVersion,
      weights,
    });
  }

  onSnapshot(callback: Callback<Snapshot> | null, fps = DISPLAY_FPS, weightLimit = 0): void {
    if (!(fps > 0)) throw new RangeError(`fps must be a positive number, got ${fps}`);
    this.snapshotSink = callback;
    this.fps = fps;
    this.weightLimit = weightLimit;
    this.connectDisplay();
  }

  onEvent(callback: Callback<SimulationEvent> | null): void {
    this.eventSink = callback;
  }

  ping(): number {
    return this.tickBase + (this.current?.net.tick ?? 0);
  }

  crashForTest(): void {
    setTimeout(() => {
      throw new Error('simulation worker crashed on purpose (crashForTest)');
    });
  }

  hangForTest(ms: number): void {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      // Busy: the worker answers nothing meanwhile.
    }
  }

  /** Swaps in a network that was built without error (so a bad one leaves the last good one). */
  private install(net: Network): NetworkInfo {
    this.current?.clock.pause();
    this.wiring.unsubscribe();
    this.current?.graph.dispose();
    const graph = new LayerGraph(net);
    this.tickBase = 0;
    this.restoredEquilibrium = null;
    this.weightsVersion++;
    // Every tick goes through here, to count the ones that change the weights.
    const target: ClockTarget = {
      tick: () => {
        graph.tick();
        if (net.mode === 'train' && net.spec.learning !== 'accumulate') this.weightsVersion++;
      },
      get atEquilibrium() {
        return graph.atEquilibrium;
      },
      get dt() {
        return graph.dt;
      },
    };
    // Frames 4 ms apart (the shortest timer): a rate above what fits still keeps the worker busy.
    const clock = new Clock(target, { scheduler: this.scheduler, budgetMs: 10, frameMs: 4 });
    this.current = { net, graph, clock };
    this.wiring = clock.error$.subscribe((e) => {
      const type = e.name === 'DivergenceError' ? 'divergence' : 'error';
      const layer = (e as { layer?: unknown }).layer;
      const tick = this.tickBase + net.tick;
      this.emitEvent({
        type,
        message: e.message,
        tick,
        ...(typeof layer === 'number' && { layer }),
      });
    });
    this.connectDisplay();
    const spec = { ...net.spec, layers: net.sizes.slice() };
    return {
      spec,
      batch: net.batch,
      weightsVersion: this.weightsVersion,
      backend: net.backend.name,
    };
  }

  private connectDisplay(): void {
    this.display.unsubscribe();
    if (!this.current || !this.snapshotSink) return;
    const tick$ = this.current.graph.tick$;
    this.display = tick$.pipe(toDisplayRate(this.fps)).subscribe(() => this.sendSnapshot());
  }

  private sendSnapshot(): void {
    const sink = this.snapshotSink;
    if (!sink || !this.current) return;
    if (this.sending) {
      this.resend = true;
      return;
    }
    this.sending = true;
    Promise.resolve(sink(this.snapshot()))
      .catch(() => undefined)
      .finally(() => {
        this.sending = false;
        if (this.resend) {
          this.resend = false;
          this.sendSnapshot();
        }
      });
  }

  private emitEvent(event: SimulationEvent): void {
    Promise.resolve(this.eventSink?.(event)).catch(() => undefined);
  }

  private need(): { net: Network; graph: LayerGraph; clock: Clock } {
    if (!this.current) throw new Error('no network yet: call create(spec) or load(bytes) first');
    return this.current;
  }
}
