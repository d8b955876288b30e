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
   * but tiny networks), so that a job gives the same bits in a worker as on the caller's thread.
   */
  configure(options: { backend: BackendChoice }): Promise<string>;
  /** Answers 'pong': the worker's event loop is alive. */
  ping(): string;
}
