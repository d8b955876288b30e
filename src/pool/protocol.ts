import type { AcceleratedOptions } from '../model/accelerated';
import type { NetworkSpec } from '../model/spec';
import type { SharedTrainerMemory } from './shared-trainer';

/** Which kernels: plain JavaScript, WebAssembly SIMD, or WebAssembly for all but tiny networks. */
export type BackendChoice = 'js' | 'wasm' | 'auto';

/**
 * The pool's worker boundary: the one interface a job worker exposes through comlink. Results
 * that hold typed arrays come back by transfer (the worker gives their buffers up).
 */
export interface JobWorkerApi {
  /** Runs one job (see `jobs.ts`); progress goes to the proxied callback, at most 10 a second. */
  run(kind: string, job: unknown, onProgress?: (fraction: number) => void): Promise<unknown>;
  /**
   * Chooses the worker's kernels, as the caller chose its own (`auto`: WebAssembly SIMD for all
   * but tiny networks), so that a job gives the same bits in a worker as on the caller's thread;
   * and gives the worker the caller's memory budget (`setDefaultMemoryBudget`: MiB and the
   * setting to name in a refusal, e.g. `--memory-budget`), so that a job's network over it is
   * refused in the worker as it would be on the caller's thread.
   */
  configure(options: {
    backend: BackendChoice;
    memoryBudget?: { mib: number | undefined; setting: string };
  }): Promise<string>;
  /** Data-parallel training: makes this worker's replica network (batch = the chunk size). */
  replicaInit(
    spec: NetworkSpec,
    chunk: number,
    M: Float32Array[],
    W: Float32Array[],
  ): Promise<void>;
  /**
   * Relaxes each chunk (X: chunk × N_1, Y: chunk × N_n) on the replica and returns each chunk's
   * factors of the Hebbian terms (see `model/data-parallel.ts`), by transfer.
   */
  replicaRelax(
    chunks: { X: Float32Array; Y: Float32Array }[],
    options: Partial<AcceleratedOptions>,
  ): Promise<Float32Array[]>;
  /** Applies a batch's chunk factors, in chunk order, to the replica's weights. */
  replicaApply(factors: Float32Array[], batch: number, learningRate: number): Promise<void>;
  /**
   * The shared-memory path (see `shared-trainer.ts`): attaches the shared buffers; this worker
   * is number `index` of `memory.workers`. Called again when the buffers grow.
   */
  replicaShare(
    memory: SharedTrainerMemory,
    index: number,
    options: Partial<AcceleratedOptions> & { learningRate: number },
  ): Promise<void>;
  /**
   * One batch of `batch` samples, already written to the shared input, on the shared path:
   * relaxes this worker's chunks, meets the others at a barrier, applies every chunk's factors.
   * Every worker must be sent the same step.
   */
  replicaStep(batch: number): void;
  /** Answers 'pong': the worker's event loop is alive. */
  ping(): string;
}
