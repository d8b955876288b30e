import type { Mode, NetworkSpec } from '../model/spec';

/**
 * The worker boundary of a {@link SplitNetwork}: the one interface a split worker exposes
 * through comlink. Only control crosses it (make, load weights, configure, run n ticks, read
 * back); the ticks themselves synchronise through the shared state buffer (`split-layout.ts`).
 */
export interface SplitWorkerApi {
  /**
   * Makes this worker's part: its kernels (`js` or the best WebAssembly build), its rows of
   * the weights and its working vectors in its own memory. `buffer` is the state buffer every
   * part shares, or null on the single path (the part makes a private one). Returns the
   * kernels' name (`js`, `wasm-simd`, `wasm-relaxed-simd`).
   */
  init(init: PartInit, buffer: SharedArrayBuffer | null): Promise<string>;
  /** Sets this part's rows of every M and W (shapes as `partWeightShapes`); copies them. */
  setWeights(M: Float32Array[], W: Float32Array[]): void;
  /** Copies of this part's rows of every M and W; the buffers move to the caller. */
  weights(): { M: Float32Array[]; W: Float32Array[] };
  /** Live parameters, clamps, X and Y; then the holds, if asked, on this part's rows. */
  configure(config: PartConfig): void;
  /** Writes every layer's x and ε (B × N_l each) as the current state: part 0 only. */
  writeState(x: Float32Array[], eps: Float32Array[]): void;
  /** Copies of every layer's current x and ε; the buffers move to the caller. */
  readState(): { x: Float32Array[]; eps: Float32Array[] };
  /** Runs ticks in step with the other parts, one barrier per tick (see `split-part.ts`). */
  run(request: RunRequest): RunReport;
  /** `accumulate` learning: adds this part's summed weight change to its rows (eq. 2.9, 2.10). */
  commitWeights(): void;
}

/** What a part needs to know of the whole: sizes, the split, the kernels, the barrier's limits. */
export interface PartInit {
  sizes: number[];
  batch: number;
  parts: number;
  part: number;
  backend: 'js' | 'wasm';
  /** `accumulate` learning needs room for the weight-change accumulators. */
  accumulate: boolean;
  /** A barrier wait longer than this fails the run (a worker died or hangs). */
  timeoutMs: number;
}

/** One node clamp (`Network.clampNode`): layer, node, and its value for each of the B samples. */
export interface NodeClamp {
  layer: number;
  index: number;
  values: number[];
}

/** Everything `Network.tick` reads besides the state and the weights. */
export interface PartConfig {
  spec: NetworkSpec;
  mode: Mode;
  alpha: number;
  beta: number;
  /** The input X (μ(1)), B × N_1. */
  X: Float32Array;
  /** The target Y, B × N_n. */
  Y: Float32Array;
  clamps: NodeClamp[];
  /** Apply the holds and clamps to the current state now (as `Network`'s setters do). */
  applyHolds: boolean;
}

export interface RunRequest {
  maxTicks: number;
  minTicks: number;
  untilEquilibrium: boolean;
  /**
   * @internal Tests only: make one part fail at a tick, by throwing, by its thread ending, or
   * by hanging (it sleeps a minute, never reaching the barrier).
   */
  fault?: { part: number; tick: number; kind: 'throw' | 'exit' | 'hang' };
}

/** What a part saw: the same on every part (each reads every part's stats) but the times. */
export interface RunReport {
  ticks: number;
  /** Largest |dx/dt| or |dε/dt| in the last tick taken; null if none was. */
  maxRate: number | null;
  /** This part's time in the run, and the part of it spent waiting at the tick barrier. */
  seconds: number;
  waitSeconds: number;
  /** The tick that would have diverged (not taken): as `DivergenceError` reports it. */
  diverged?: { layer: number; quantity: 'x' | 'eps'; value: number };
}
