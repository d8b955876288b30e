import { releaseProxy, transfer } from 'comlink';
import { lastValueFrom, type SchedulerLike, Subscription } from 'rxjs';
import { decodeNetwork, encodeNetwork } from '../io/safetensors';
import { setDefaultBackend } from '../kernels/backend';
import { autoBackend, initWasmSync } from '../kernels/wasm';
import { checkMemoryBudget } from '../model/budget';
import { type LiveParams, Network } from '../model/network';
import type { Mode, NetworkSpecInput } from '../model/spec';
import { Clock, type ClockTarget, type TickRate } from '../streams/clock';
import { DISPLAY_FPS, toDisplayRate } from '../streams/display';
import { LayerGraph } from '../streams/graph';
import { YieldScheduler } from '../streams/yield-scheduler';
import type {
  BuildOptions,
  Callback,
  JobData,
  NetworkInfo,
  RestoreState,
  SimulationApi,
  SimulationEvent,
  Snapshot,
  TrainJob,
  WeightSet,
} from './protocol';
import { takeSnapshot } from './snapshot';
import {
  classifyRows,
  type Evaluation,
  EVALUATE_CHUNK,
  EvaluationTally,
  type TrainProgress,
  TrainingRun,
  type TrainSummary,
} from './training';
import { weightCount } from './view';

/** A step's first slice, run at once, in ms (the clock's slices at `max` are as long). */
const STEP_SLICE_MS = 10;

/** How a {@link Simulation} ticks. */
export interface SimulationOptions {
  /**
   * Whether the first network picks the kernels (`autoBackend`, set as the default of this
   * thread), as a worker does. Default true; a simulation on the page's thread leaves the
   * page's default alone.
   */
  chooseKernels?: boolean;
  /** Real time the clock ticks before it yields, in ms. Default 10. */
  budgetMs?: number;
  /**
   * The clock's scheduler. Default: a {@link YieldScheduler}, whose delay-0 slices yield
   * through a MessageChannel (a `TestScheduler` runs the simulation on virtual time).
   */
  scheduler?: SchedulerLike;
}

/** The network a simulation runs, with what ticks it. */
interface Current {
  net: Network;
  graph: LayerGraph;
  clock: Clock;
  /** What the clock ticks (a step's first slice ticks it directly). */
  target: ClockTarget;
}

/**
 * The simulation that runs in the worker (see {@link SimulationApi} for each command). Ticks go
 * through a {@link LayerGraph} driven by a {@link Clock}; at `max` the clock works in slices of
 * about 10 ms and yields through a MessageChannel between them, so commands arrive promptly.
 * A `step(n)` runs its first slice at once (a short step is done before the next command is
 * read), then goes on at `max` like playing: commands sent meanwhile apply between slices,
 * `pause`, `reset`, `play` and a new network end it, and a second step waits for the first.
 * Snapshots are sent at display rate, one at a time: while the receiver has not answered the
 * last one, newer states wait and only the latest goes next. M and W go along only when they
 * changed (a version counts the network's replacements and its train-mode ticks) and the
 * network is within the receiver's `weightLimit`.
 */
export class Simulation implements SimulationApi {
  private readonly scheduler: SchedulerLike;
  /** The scheduler this simulation made (and closes in `dispose`), if it was not given one. */
  private ownScheduler: YieldScheduler | null = null;
  private readonly budgetMs: number;
  private current: Current | null = null;
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
  /** Counts the commands that end steps: a step waiting behind another runs only if unchanged. */
  private stepEpoch = 0;
  /** The last step sent (null once every step has answered); the next one waits for it. */
  private stepTail: Promise<void> | null = null;
  /** Whether the clock is running a step (rather than playing). */
  private stepping = false;

  /** The train or evaluate job running (`cancel` marks it), or null. */
  private job: { cancelled: boolean } | null = null;

  /** Whether the kernels are chosen (see {@link Simulation.chooseKernels}). */
  private kernelsChosen: boolean;

  constructor(options: SimulationOptions = {}) {
    this.kernelsChosen = options.chooseKernels === false;
    this.budgetMs = options.budgetMs ?? STEP_SLICE_MS;
    this.scheduler = options.scheduler ?? (this.ownScheduler = new YieldScheduler());
  }

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

  create(
    spec: NetworkSpecInput,
    batch = 1,
    weights?: WeightSet,
    options: BuildOptions = {},
  ): NetworkInfo {
    checkMemoryBudget(spec, options.memoryBudget, 'memory-budget', batch);
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

  load(bytes: Uint8Array, batch?: number, options: BuildOptions = {}): NetworkInfo {
    this.chooseKernels();
    const { spec, M, W } = decodeNetwork(bytes);
    const samples = batch ?? this.current?.net.batch ?? 1;
    checkMemoryBudget(spec, options.memoryBudget, 'memory-budget', samples);
    const net = new Network(spec, { batch: samples });
    net.setWeights(M, W);
    return this.install(net);
  }

  save(metadata?: Record<string, string>): Uint8Array {
    const { net } = this.need();
    const bytes = encodeNetwork(net.spec, net.M, net.W, metadata);
    return transfer(bytes, [bytes.buffer]);
  }

  async train(
    data: JobData,
    job: TrainJob,
    onProgress?: Callback<TrainProgress>,
  ): Promise<TrainSummary> {
    const current = this.need();
    const { net } = current;
    const classes = net.sizes[net.depth - 1];
    checkJobData(data, net, true);
    if (job.test) checkJobData(job.test, net, false);
    const trainer = net.withBatch(job.batch);
    const rows = { ...data, targets: data.targets!, dim: net.sizes[0], classes };
    const run = new TrainingRun(trainer, rows, job);
    const mark = this.startJob(current);
    const start = performance.now();
    const every = job.progressMs ?? 100;
    let told = -Infinity;
    let replaced = false;
    try {
      while (!run.done && !mark.cancelled) {
        if (this.current !== current) {
          replaced = true;
          break;
        }
        run.run(this.budgetMs);
        // The network shown learns what the trainer learned: whole batches only.
        net.setWeights(trainer.M, trainer.W);
        this.weightsVersion++;
        this.sendSnapshot();
        const now = performance.now();
        if (run.done || now - told >= every) {
          told = now;
          tell(onProgress, run.progress);
        }
        if (!run.done) await this.yieldSlice();
      }
      const p = run.progress;
      const trainAccuracy = (await this.classifyAll(net, data, mark, true)).accuracy;
      const test = job.test && job.test.count > 0 ? job.test : null;
      const testAccuracy = test ? (await this.classifyAll(net, test, mark, true)).accuracy : null;
      return {
        completed: run.done && !replaced,
        epochs: Math.floor((p.batches * p.epochs) / p.totalBatches),
        batches: p.batches,
        totalBatches: p.totalBatches,
        samples: p.samples,
        ticks: p.ticks,
        seconds: (performance.now() - start) / 1000,
        trainAccuracy,
        testAccuracy,
      };
    } finally {
      this.endJob(mark, onProgress);
    }
  }

  async evaluate(data: JobData, onProgress?: Callback<number>): Promise<Evaluation> {
    const current = this.need();
    checkJobData(data, current.net, false);
    const mark = this.startJob(current);
    try {
      return await this.classifyAll(current.net, data, mark, false, onProgress);
    } finally {
      this.endJob(mark, onProgress);
    }
  }

  cancel(): void {
    if (this.job) this.job.cancelled = true;
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

  step(ticks: number): Promise<Snapshot> {
    if (!Number.isSafeInteger(ticks) || ticks < 0) {
      throw new RangeError(`ticks must be a whole number, got ${ticks}`);
    }
    this.need();
    const epoch = this.stepEpoch;
    const prior = this.stepTail;
    // With no step before it, the first slice runs now, before the next message is read.
    const run = prior
      ? prior.then(() => (epoch === this.stepEpoch ? this.runStep(ticks) : undefined))
      : this.runStep(ticks);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.stepTail = tail;
    void tail.then(() => {
      if (this.stepTail === tail) this.stepTail = null;
    });
    return run.then(() => this.snapshot());
  }

  feedForward(): Snapshot {
    this.need().graph.feedForward();
    return this.snapshot();
  }

  play(rate: TickRate): void {
    const { clock } = this.need();
    this.endSteps();
    clock.play(rate);
  }

  pause(): void {
    const { clock } = this.need();
    this.endSteps();
    clock.pause();
    this.sendSnapshot();
  }

  reset(init: { std?: number } = {}): void {
    const { graph } = this.need();
    this.endSteps();
    this.tickBase = 0;
    this.restoredEquilibrium = null;
    graph.resetState(init);
  }

  snapshot(options: { weights?: boolean } = {}): Snapshot {
    const { net, clock } = this.need();
    const changed =
      this.weightsSent !== this.weightsVersion && weightCount(net.spec) <= this.weightLimit;
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

  /** Stops the clock and lets go of the network, the streams and the scheduler's channel. */
  dispose(): void {
    this.cancel();
    this.endSteps();
    this.current?.clock.pause();
    this.wiring.unsubscribe();
    this.display.unsubscribe();
    this.current?.graph.dispose();
    this.current = null;
    this.snapshotSink = this.eventSink = null;
    this.ownScheduler?.close();
  }

  /**
   * Takes `ticks` ticks on the current network: up to {@link STEP_SLICE_MS} of them now, the
   * rest on the clock at `max` (which yields between slices), ending early if a command ends it.
   */
  private async runStep(ticks: number): Promise<void> {
    const { net, clock, target } = this.need();
    clock.pause(); // a step pauses playing; the caller plays again after
    const deadline = performance.now() + this.budgetMs;
    let done = 0;
    try {
      while (done < ticks && performance.now() < deadline) {
        target.tick();
        done++;
      }
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.report(error, net);
      throw error;
    }
    if (done === ticks || this.current?.clock !== clock) return;
    this.stepping = true;
    try {
      await lastValueFrom(clock.runUntil({ ticks: ticks - done }, 'max'));
    } finally {
      if (this.current?.clock === clock) this.stepping = false;
    }
  }

  /** Marks a job as running (one at a time) and pauses playing and steps for it. */
  private startJob(current: Current): { cancelled: boolean } {
    if (this.job) throw new Error('a training or evaluation is running: cancel it or wait');
    this.endSteps();
    current.clock.pause();
    return (this.job = { cancelled: false });
  }

  /** The job is over: a new one may start, and the callback's proxy (a worker's) is let go. */
  private endJob(mark: { cancelled: boolean }, callback?: Callback<never>): void {
    if (this.job === mark) this.job = null;
    const release = (callback as { [releaseProxy]?: () => void } | undefined)?.[releaseProxy];
    if (typeof release === 'function') release.call(callback);
  }

  /**
   * The classify-mode tally of `data` on `net`'s weights, {@link EVALUATE_CHUNK} rows at a time,
   * yielding after each chunk (so that a `cancel` gets in); stops early (`completed: false`) when the job is
   * cancelled, unless `whole` (the summary's accuracies, after training).
   */
  private async classifyAll(
    net: Network,
    data: JobData,
    mark: { cancelled: boolean },
    whole: boolean,
    onProgress?: Callback<number>,
  ): Promise<Evaluation> {
    const tally = new EvaluationTally(net.sizes[net.depth - 1]);
    let scratch: Network | null = null;
    let told = -Infinity;
    for (let from = 0; from < data.count; from += EVALUATE_CHUNK) {
      if (mark.cancelled && !whole) return tally.result(false);
      const n = Math.min(EVALUATE_CHUNK, data.count - from);
      scratch = classifyRows(net, scratch, data.inputs, data.labels, from, n, tally);
      const now = performance.now();
      const done = from + n === data.count;
      if (onProgress && (done || now - told >= 100)) {
        told = now;
        tell(onProgress, (from + n) / data.count);
      }
      if (!done) await this.yieldSlice();
    }
    return tally.result(true);
  }

  /** Lets the thread's other tasks run (commands, pings, a page's frames) before going on. */
  private yieldSlice(): Promise<void> {
    return new Promise<void>((resolve) => void this.scheduler.schedule(() => resolve()));
  }

  /** Ends the step running and every step waiting (`pause`, `reset`, `play`, a new network). */
  private endSteps(): void {
    this.stepEpoch++;
    if (this.stepping) this.current?.clock.pause();
    this.stepping = false;
  }

  /** Tells the main thread what a tick threw; the clock has paused. */
  private report(e: Error, net: Network): void {
    const type = e.name === 'DivergenceError' ? 'divergence' : 'error';
    const layer = (e as { layer?: unknown }).layer;
    const tick = this.tickBase + net.tick;
    this.emitEvent({ type, message: e.message, tick, ...(typeof layer === 'number' && { layer }) });
  }

  /** Swaps in a network that was built without error (so a bad one leaves the last good one). */
  private install(net: Network): NetworkInfo {
    this.endSteps();
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
    const clock = new Clock(target, {
      scheduler: this.scheduler,
      budgetMs: this.budgetMs,
      frameMs: 4,
    });
    this.current = { net, graph, clock, target };
    this.wiring = clock.error$.subscribe((e) => this.report(e, net));
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

  private need(): Current {
    if (!this.current) throw new Error('no network yet: call create(spec) or load(bytes) first');
    return this.current;
  }
}

/** Calls a callback without waiting for it (a worker's proxy answers by message). */
function tell<T>(callback: Callback<T> | undefined, value: T): void {
  if (callback) Promise.resolve(callback(value)).catch(() => undefined);
}

/** Checks that `data` fits `net`: count × N_1 inputs, count labels below N_n, and targets. */
function checkJobData(data: JobData, net: Network, targets: boolean): void {
  const dim = net.sizes[0];
  const classes = net.sizes[net.depth - 1];
  const { count } = data;
  const fail = (what: string) => {
    throw new RangeError(`${what} do not fit a network of layers ${net.sizes.join('-')}`);
  };
  if (!(Number.isSafeInteger(count) && count >= 0)) fail(`${count} rows`);
  if (data.inputs.length !== count * dim)
    fail(`${data.inputs.length} input values for ${count} rows`);
  if (data.labels.length !== count) fail(`${data.labels.length} labels for ${count} rows`);
  if (data.labels.some((k) => k >= classes)) fail(`labels of ${classes} classes or more`);
  if (targets && data.targets?.length !== count * classes) fail('the one-hot targets');
}
