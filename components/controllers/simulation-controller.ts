import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  checkMemoryBudget,
  DEFAULT_MEMORY_BUDGET_MIB,
  DivergenceError,
  encodeNetwork,
  Network,
  type LiveParams,
  type Mode,
  type NetworkSpec,
} from '../../src/index';
import { FixedStepClock } from './fixed-step-clock';
import {
  LONG_STEP_TICKS,
  type Simulation,
  type SimulationCallbacks,
  type SimulationSnapshot,
  type Weights,
} from './simulation';

/** Where display frames come from; injectable so that a test can count or drive them. */
export interface FrameScheduler {
  request(callback: (now: number) => void): number;
  cancel(id: number): void;
  now(): number;
}

export const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (id) => cancelAnimationFrame(id),
  now: () => performance.now(),
};

/** Snapshots carry the weights (to draw connections) while the network has at most this many. */
export const SNAPSHOT_WEIGHT_LIMIT = 8192;

export interface SimulationOptions {
  scheduler?: FrameScheduler;
  /** Ticks per second of real time. Default 200. */
  speed?: number;
  /** The most ticks one frame may ask for. Default 1000. */
  maxTicksPerFrame?: number;
  /** A frame stops ticking after this many milliseconds, dropping the rest. Default 12. */
  frameBudgetMs?: number;
  /** MiB a network may take (see `networkBytes`). Default `DEFAULT_MEMORY_BUDGET_MIB`. */
  memoryBudget?: number;
}

/** The ticks a `step` takes at once, in ms; the rest go on in frames. */
const STEP_SLICE_MS = 10;

/**
 * Runs a {@link Network} on the main thread for an element (the fallback where there is no
 * `Worker`, or with `engine="main"`; see `WorkerSimulationController`): owns the network and a
 * requestAnimationFrame-driven fixed-step clock ({@link FixedStepClock}), and publishes a
 * {@link SimulationSnapshot} at most once per display frame, whatever the tick rate. The clock
 * stops when the host disconnects and resumes when it reconnects. Ticks of one frame run in
 * small chunks within a time budget, so a large network slows down instead of freezing the page.
 * A long `step(n)` (over `LONG_STEP_TICKS`) runs the same way: its first 10 ms at once, then
 * a frame budget's worth a frame (instead of the clock's ticks) until done, or until `pause`,
 * `reset`, `play` or a new network ends it; a short one is taken whole at once.
 */
export class SimulationController implements ReactiveController, Simulation {
  private net: Network;
  private current: SimulationSnapshot;
  private readonly clock: FixedStepClock;
  private readonly scheduler: FrameScheduler;
  private readonly frameBudgetMs: number;
  private frameId: number | null = null;
  private dirty = false;
  private playing = false;
  private connected = false;
  private waiters: (() => void)[] = [];
  private networks = 0;
  /** Ticks of `step` calls not taken yet. */
  private stepsLeft = 0;

  /** MiB a network may take: `configure` refuses a larger one before allocating it. */
  memoryBudget: number;

  constructor(
    private readonly host: ReactiveControllerHost,
    spec: NetworkSpec,
    private readonly callbacks: SimulationCallbacks,
    options: SimulationOptions = {},
  ) {
    this.scheduler = options.scheduler ?? animationFrames;
    this.clock = new FixedStepClock(options.speed ?? 200, options.maxTicksPerFrame ?? 1000);
    this.frameBudgetMs = options.frameBudgetMs ?? 12;
    this.memoryBudget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET_MIB;
    this.net = new Network(spec, { memoryBudget: this.memoryBudget });
    this.current = this.takeSnapshot();
    host.addController(this);
  }

  /** The engine network (main thread only: a worker controller has none). */
  get network(): Network {
    return this.net;
  }

  get spec(): Readonly<NetworkSpec> {
    return this.net.spec;
  }

  /** The live weights themselves. */
  get weights(): Weights {
    return this.net;
  }

  get generation(): number {
    return this.networks;
  }

  get snapshot(): SimulationSnapshot {
    return this.current;
  }

  get running(): boolean {
    return this.playing;
  }

  get kernels(): string {
    return this.net.backend.name;
  }

  get speed(): number {
    return this.clock.speed;
  }

  set speed(ticksPerSecond: number) {
    this.clock.speed = ticksPerSecond;
  }

  hostConnected(): void {
    this.connected = true;
    this.clock.restart();
    this.schedule();
  }

  hostDisconnected(): void {
    this.connected = false;
    if (this.frameId !== null) this.scheduler.cancel(this.frameId);
    this.frameId = null;
    this.flushWaiters();
  }

  configure(spec: NetworkSpec, weights?: Weights): void {
    checkMemoryBudget(spec, this.memoryBudget, 'memory-budget');
    const net = new Network(spec);
    if (weights) net.setWeights(weights.M, weights.W);
    this.net = net;
    this.networks++;
    this.stepsLeft = 0;
    // A replaced network is not a frame: the element is mid-update and redraws from this.
    this.current = this.takeSnapshot();
    this.dirty = false;
    this.host.requestUpdate();
  }

  setParams(params: LiveParams): void {
    this.net.setParams(params);
    this.changed();
  }

  setMode(mode: Mode): void {
    this.net.setMode(mode);
    this.changed();
  }

  play(): void {
    if (this.playing) return;
    this.playing = true;
    this.stepsLeft = 0;
    this.clock.restart();
    this.changed();
  }

  pause(): void {
    if (!this.playing && this.stepsLeft === 0) return;
    this.playing = false;
    this.stepsLeft = 0;
    this.changed();
  }

  step(ticks: number): void {
    this.stepsLeft += ticks;
    // A short step (with no long one before it) is whole at once, as the engine's step is.
    const budget = this.stepsLeft > LONG_STEP_TICKS ? STEP_SLICE_MS : Infinity;
    this.stepsLeft -= this.runTicks(this.stepsLeft, budget);
    this.changed();
  }

  reset(): void {
    this.net.resetState();
    this.stepsLeft = 0;
    this.changed();
  }

  setInput(values: ArrayLike<number>): void {
    this.net.setInput(values);
    this.changed();
  }

  setTarget(values: ArrayLike<number>): void {
    this.net.setTarget(values);
    this.changed();
  }

  clampNode(layer: number, index: number, value: number): void {
    this.net.clampNode(layer, index, value);
    this.changed();
  }

  /** The value node `index` of `layer` is held at, or null if it is free. */
  clampValue(layer: number, index: number): number | null {
    return this.net.isClamped(layer, index) ? this.net.x(layer)[index] : null;
  }

  release(layer?: number, index?: number): void {
    if (layer === undefined) this.net.releaseAll();
    else if (index === undefined) this.net.releaseAll(layer);
    else this.net.releaseNode(layer, index);
    this.changed();
  }

  async classify(input: ArrayLike<number>): Promise<number> {
    const net = this.net;
    const top = net.depth - 1;
    net.releaseAll(top);
    net.setMode('classify');
    net.setInput(input);
    net.feedForward();
    this.changed();
    return argmax(net.x(top));
  }

  async save(): Promise<Uint8Array> {
    return encodeNetwork(this.net.spec, this.net.M, this.net.W);
  }

  settled(): Promise<void> {
    if (this.frameId === null) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Something changed that the next frame must show. */
  private changed(): void {
    this.dirty = true;
    this.schedule();
  }

  private schedule(): void {
    const busy = this.playing || this.dirty || this.stepsLeft > 0;
    if (this.frameId !== null || !this.connected || !busy) return;
    this.frameId = this.scheduler.request(this.onFrame);
  }

  private readonly onFrame = (now: number): void => {
    this.frameId = null;
    if (this.stepsLeft > 0) {
      // A step pauses playing; the clock starts afresh after it.
      this.stepsLeft -= this.runTicks(this.stepsLeft, this.frameBudgetMs);
      this.clock.restart();
    } else if (this.playing) {
      const ticks = this.clock.advance(now);
      if (ticks > 0) this.runTicks(ticks, this.frameBudgetMs);
    }
    if (this.dirty) this.publish();
    this.flushWaiters();
    this.schedule();
  };

  /** Takes up to `ticks` ticks within `budgetMs`; returns how many (all of them if it diverged). */
  private runTicks(ticks: number, budgetMs: number): number {
    const start = this.scheduler.now();
    let done = 0;
    try {
      while (done < ticks) {
        const chunk = Math.min(ticks - done, 16);
        this.net.step(chunk);
        done += chunk;
        if (this.scheduler.now() - start > budgetMs) break;
      }
    } catch (e) {
      if (!(e instanceof DivergenceError)) throw e;
      this.playing = false;
      this.dirty = true;
      this.callbacks.diverged({ layer: e.layer, tick: e.tick, message: e.message });
      return ticks;
    }
    if (done > 0) this.dirty = true;
    return done;
  }

  private publish(): void {
    this.dirty = false;
    const previous = this.current;
    this.current = this.takeSnapshot();
    this.host.requestUpdate();
    this.callbacks.frame(this.current, previous);
  }

  private flushWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private takeSnapshot(): SimulationSnapshot {
    const net = this.net;
    const sizes = net.sizes;
    const weightCount = net.M.reduce((sum, m) => sum + m.length, 0);
    return {
      spec: { ...net.spec, layers: net.spec.layers.slice(), nu: net.spec.nu.slice() },
      sizes,
      x: sizes.map((n, l) => net.x(l).slice(0, n)),
      eps: sizes.map((n, l) => net.eps(l).slice(0, n)),
      X: net.X.slice(0, sizes[0]),
      Y: net.Y.slice(0, sizes[sizes.length - 1]),
      clamped: sizes.map((n, l) => {
        const flags = new Uint8Array(n);
        for (const i of net.clampedNodes(l)) flags[i] = 1;
        return flags;
      }),
      weights:
        weightCount <= SNAPSHOT_WEIGHT_LIMIT
          ? { M: net.M.map((m) => m.slice()), W: net.W.map((w) => w.slice()) }
          : null,
      mode: net.mode,
      tick: net.tick,
      time: net.time,
      energy: net.energy(),
      equilibrium: net.atEquilibrium,
      running: this.playing,
    };
  }
}

/** The index of the largest value (the first, on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
