/**
 * The boundary between an element and the engine that runs its network. The element draws
 * {@link SimulationSnapshot}s and sends commands; it never reads the engine's live buffers.
 * A `SimulationSession` (src/worker/session.ts) implements it on either engine, a worker (the
 * default) or the page's thread, and a `SessionController` binds it to the element's life
 * cycle: snapshots are plain typed arrays, and the calls that return results return promises.
 */
import type {
  DivergenceInfo,
  Evaluation,
  JobData,
  LiveParams,
  Mode,
  NetworkSpec,
  SimulationSnapshot,
  TrainJob,
  TrainProgress,
  TrainSummary,
  WeightSet,
} from '../../src/index';

export { LONG_STEP_TICKS } from '../../src/index';
export type { DivergenceInfo, SimulationSnapshot } from '../../src/index';

/** A weight set: `M[l]` is M(l+1), `W[l]` is W(l+1), row-major as in the engine. */
export type Weights = WeightSet;

/** What a simulation tells its element; called from the display-rate frame, never per tick. */
export interface SimulationCallbacks {
  /** A new snapshot was published (the ticks, clamps or mode changed since the last one). */
  frame(snapshot: SimulationSnapshot, previous: SimulationSnapshot): void;
  /** The clock stopped because the dynamics diverged. */
  diverged(info: DivergenceInfo): void;
  /** Something failed outside a call: a command was refused, or the worker crashed. */
  failed(message: string): void;
}

/** The commands an element sends. Commands that change state take effect before the next frame. */
export interface Simulation {
  /** The current spec (live parameters and mode included), which may be ahead of `snapshot`. */
  readonly spec: Readonly<NetworkSpec>;
  readonly snapshot: SimulationSnapshot;
  /** The latest M and W this thread has (null: the ones `spec.seed` draws, not seen yet). */
  readonly weights: Weights | null;
  /** Counts the networks: it changes when `configure` replaces the network. */
  readonly generation: number;
  readonly running: boolean;
  /**
   * The kernels the network runs on: `js`, `wasm-simd` or `wasm-relaxed-simd` (empty until
   * the simulation has built the network, on either engine).
   */
  readonly kernels: string;
  /** Ticks per second of real time while running. */
  speed: number;
  /**
   * MiB a network may take (`networkBytes`): `configure` refuses a larger spec with a
   * `MemoryBudgetError` before anything is allocated.
   */
  memoryBudget: number;
  /**
   * Replaces the network: a fresh one for `spec`, with `weights` if given. Throws SpecError
   * (MemoryBudgetError over the budget) and keeps the network it had.
   */
  configure(spec: NetworkSpec, weights?: Weights): void;
  setParams(params: LiveParams): void;
  setMode(mode: Mode): void;
  play(): void;
  /** Stops playing; ends a step in progress too. */
  pause(): void;
  /**
   * Takes `ticks` ticks. A short step (at most {@link LONG_STEP_TICKS}) is whole before the
   * next command, and `settled` waits for it. A longer one runs in slices between which the
   * page (or the worker) goes on, as while playing: `pause`, `reset`, `play` and `configure`
   * end it, and `settled` does not wait for its end (its progress shows in the snapshots).
   */
  step(ticks: number): void;
  /** Zero state, tick 0; weights and clamps are kept; a step in progress ends. */
  reset(): void;
  /** Sets X = μ(1), which pulls (or holds) layer 1 while α = 1. */
  setInput(values: ArrayLike<number>): void;
  /** Sets Y, held on the top layer while β = 0. */
  setTarget(values: ArrayLike<number>): void;
  clampNode(layer: number, index: number, value: number): void;
  /** The value node `index` of `layer` is held at, or null if it is free. */
  clampValue(layer: number, index: number): number | null;
  release(layer?: number, index?: number): void;
  /** Classify-mode equilibrium for `input` (feed-forward, top free); resolves to argmax x(n). */
  classify(input: ArrayLike<number>): Promise<number>;
  /** The spec and the weights as safetensors bytes, `metadata` beside the spec. */
  save(metadata?: Record<string, string>): Promise<Uint8Array>;
  /**
   * Trains on scaled rows in the simulation, in slices (the arrays are given up); the weights
   * shown follow it. Resolves with `completed: false` after `cancel()`, keeping the weights of
   * the last completed batch.
   */
  train(
    data: JobData,
    job: TrainJob,
    onProgress?: (progress: TrainProgress) => void,
  ): Promise<TrainSummary>;
  /** The classify-mode accuracy and confusion on scaled rows (the arrays are given up). */
  evaluate(data: JobData, onProgress?: (fraction: number) => void): Promise<Evaluation>;
  /** Ends a train or evaluate in progress after its current batch or chunk. */
  cancel(): void;
  /** Resolves once every command sent so far shows in `snapshot`. */
  settled(): Promise<void>;
}
