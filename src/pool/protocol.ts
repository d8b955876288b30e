/**
 * The pool's worker boundary: the one interface a job worker exposes through comlink. Results
 * that hold typed arrays come back by transfer (the worker gives their buffers up).
 */
export interface JobWorkerApi {
  /** Runs one job (see `jobs.ts`); progress goes to the proxied callback, at most 10 a second. */
  run(kind: string, job: unknown, onProgress?: (fraction: number) => void): Promise<unknown>;
  /** Answers 'pong': the worker's event loop is alive. */
  ping(): string;
}
