/**
 * The worker boundary, in one place: what the main thread may ask of a simulation worker and
 * what comes back. `simulation.worker.ts` exposes a {@link SimulationApi} with comlink, and
 * `client.ts` calls it. Control crosses by comlink (a round trip costs tens of microseconds,
 * more than a small network's tick), state comes out as {@link Snapshot}s at display rate,
 * never per tick.
 */
import type { LiveParams } from '../model/network';
import type { Mode, NetworkSpec, NetworkSpecInput } from '../model/spec';
import type { TickRate } from '../streams/clock';
import type { Evaluation, TrainProgress, TrainRunOptions, TrainSummary } from './training';

/** The network a worker simulates. */
export interface NetworkInfo {
  spec: NetworkSpec;
  batch: number;
  /** The `weightsVersion` of the new network's first snapshots. */
  weightsVersion: number;
  /** The kernels the network runs on: `js`, `wasm-simd` or `wasm-relaxed-simd`. */
  backend: string;
}

/** How `create` and `load` may build a network. */
export interface BuildOptions {
  /**
   * MiB the network's arrays may take (`networkBytes`); a larger one is refused with a
   * `MemoryBudgetError` before anything is allocated. Default: no budget.
   */
  memoryBudget?: number;
}

/** A weight set: `M[l]` is M(l+1) and `W[l]` is W(l+1), row-major as in `Network`. */
export interface WeightSet {
  M: readonly Float32Array[];
  W: readonly Float32Array[];
}

/**
 * The simulation at one tick. `states[l]` and `errors[l]` are x(l) and ε(l), B × N_l row-major
 * views into one ArrayBuffer (with X and Y) that the worker transfers: from then on the receiver
 * owns it (the worker's copy is detached and never reused), so it may be kept, changed or
 * transferred on. `weights`, when present, are views into a second transferred buffer.
 */
export interface Snapshot {
  /** Counts the snapshots of this worker: a larger one is newer (they travel by two ports). */
  seq: number;
  /** Ticks since the network was created or reset (a restored network goes on from its tick). */
  tick: number;
  /** Simulated seconds. */
  time: number;
  /** F = −Σ ν(i)/2 ‖ε(i)‖², batch mean (eq. 2.7). */
  energy: number;
  equilibrium: boolean;
  /** Largest |dx/dt| or |dε/dt| in the last tick (Infinity before the first). */
  maxRate: number;
  mode: Mode;
  /** Whether the worker's clock is playing. */
  running: boolean;
  states: Float32Array[];
  errors: Float32Array[];
  /** The input X (μ(1)) and the target Y, B × N_1 and B × N_n. */
  X: Float32Array;
  Y: Float32Array;
  /** The clamped node indices of every layer. */
  clamped: number[][];
  /** Changes whenever M or W may have changed (a new network, a tick in train mode). */
  weightsVersion: number;
  /**
   * Copies of M and W: in a snapshot sent to `onSnapshot` or returned by `step` when they
   * changed since the last ones sent and the network is within `weightLimit` (M and W
   * counted together); always when
   * `snapshot({ weights: true })` asks. Null otherwise.
   */
  weights: WeightSet | null;
}

/** What `restore` puts back into a network just created (from an earlier snapshot). */
export interface RestoreState {
  states: Float32Array[];
  errors: Float32Array[];
  tick: number;
  time: number;
  equilibrium: boolean;
}

/** What went wrong while the worker played on its own (no call to reject): it has paused. */
export interface SimulationEvent {
  type: 'divergence' | 'error';
  message: string;
  /** The worker's tick count (the last good tick). */
  tick: number;
  /** The 0-based layer that diverged (divergence only). */
  layer?: number;
}

/**
 * Rows to train on or to evaluate, scaled as the network takes them: `inputs` count × dim,
 * `targets` count × classes (one-hot; training only), `labels` the class of each row. The
 * arrays cross to a worker by transfer: the caller gives them up.
 */
export interface JobData {
  inputs: Float32Array;
  targets?: Float32Array;
  labels: Uint8Array;
  count: number;
}

/** A training job: how to present the rows, and the held-back rows to score at the end. */
export interface TrainJob extends TrainRunOptions {
  /** Rows held back: their accuracy is in the summary (`testAccuracy`). */
  test?: JobData;
  /** Progress reports at most this often, in ms (the last one always). Default 100. */
  progressMs?: number;
}

/** A callback the main thread passes (wrapped in `Comlink.proxy`); the worker awaits it. */
export type Callback<T> = (value: T) => unknown;

/**
 * The commands. Each may throw (a bad spec, a bad index, divergence during `step`): comlink
 * rejects the caller's promise with the error's name and message, and the worker keeps its
 * last good network. Layers are 0-based (`layer` is the paper's layer + 1).
 */
export interface SimulationApi {
  /** Builds a new network (weights from `spec.seed`, or copies of `weights`), replacing the current one. */
  create(
    spec: NetworkSpecInput,
    batch?: number,
    weights?: WeightSet,
    options?: BuildOptions,
  ): NetworkInfo;
  /** Puts states, errors, tick and time back (sizes are checked); clamps and X come first. */
  restore(state: RestoreState): void;
  /** Builds a network from safetensors bytes (see `io/safetensors.ts`); batch as before. */
  load(bytes: Uint8Array, batch?: number, options?: BuildOptions): NetworkInfo;
  /**
   * The network as safetensors bytes (transferred: the caller owns them), with `metadata`'s
   * entries in `__metadata__` besides the spec (e.g. `dataset`, see `training.ts` DataMeta).
   */
  save(metadata?: Record<string, string>): Uint8Array;
  /**
   * Trains the network on `data` (continuous time, `TrainingRun`): a copy of it of batch
   * `job.batch` trains in slices of about 10 ms, between which other commands (and pings) are
   * answered, and the weights after each slice are copied into the network shown (its
   * snapshots show them). `onProgress` hears at most every `job.progressMs` (from a worker by a
   * port of its own: the last report may arrive after the answer). `cancel()` ends it
   * after the batch in progress: it answers with `completed: false`, and the network keeps the
   * weights of the last completed batch. A new network ends it the same way. Playing and steps
   * are paused when it starts. One job (train or evaluate) at a time: a second one throws.
   */
  train(data: JobData, job: TrainJob, onProgress?: Callback<TrainProgress>): Promise<TrainSummary>;
  /**
   * The classify-mode accuracy and confusion matrix of the network on `data` (feed-forward, in
   * chunks of 1000 rows between which other commands are answered); `onProgress` hears the
   * fraction done at most every 100 ms; `cancel()` answers with `completed: false`.
   */
  evaluate(data: JobData, onProgress?: Callback<number>): Promise<Evaluation>;
  /** Ends the train or evaluate job in progress after its current batch or chunk (else nothing). */
  cancel(): void;
  clampNode(layer: number, index: number, value: number | number[]): void;
  releaseNode(layer: number, index: number): void;
  releaseAll(layer?: number): void;
  /** X: B × N_1 or N_1 numbers. */
  setInput(values: number[] | Float32Array): void;
  /** Y: B × N_n or N_n numbers. */
  setTarget(values: number[] | Float32Array): void;
  setTargetClass(classes: number | number[]): void;
  /** Live parameters; `dt` only while paused (the step is fixed within a run). */
  setParams(params: LiveParams): void;
  setMode(mode: Mode): void;
  /**
   * Takes `ticks` ticks, pausing playing first: the first ~10 ms of them at once, the rest in
   * slices that let other commands through (they apply between slices, and snapshots show the
   * progress). `pause`, `reset`, `play` and a new network end it early (it answers then); a
   * step sent while one runs waits for it. Answers with the snapshot after.
   */
  step(ticks: number): Promise<Snapshot>;
  /** x(i+1) = M(i) σ(x(i)) from X, ε = 0: the classify-mode equilibrium (`Network.feedForward`). */
  feedForward(): Snapshot;
  /** Plays at `rate` ticks per second, or `max`; snapshots follow at display rate. */
  play(rate: TickRate): void;
  pause(): void;
  /** Resets every state and error node (to N(0, std²) draws if `std` > 0), tick and time. */
  reset(init?: { std?: number }): void;
  /** The current snapshot (transferred), with the weights if asked. */
  snapshot(options?: { weights?: boolean }): Snapshot;
  /**
   * Snapshots at most `fps` a second (default 30) while anything changes; null stops them.
   * `weightLimit`: networks with at most this many weights, M and W counted together, send
   * them when they change (default 0: never).
   */
  onSnapshot(callback: Callback<Snapshot> | null, fps?: number, weightLimit?: number): void;
  onEvent(callback: Callback<SimulationEvent> | null): void;
  /** Answers at once (between slices of ticks, too): the tick count. */
  ping(): number;
  /** @internal Test only: throws in the worker's global scope (an uncaught error). */
  crashForTest(): void;
  /** @internal Test only: blocks the worker for `ms`, as a runaway computation would. */
  hangForTest(ms: number): void;
}
