import { type Remote, wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { getDefaultMemoryBudget } from '../model/budget';
import { JobPool, type PoolOptions, type PoolWorker } from './pool';
import type { BackendChoice, JobWorkerApi } from './protocol';

/**
 * A pool of Node worker threads running `workerUrl` (default: the CLI bundle's
 * `job-worker.js` beside this file): `availableParallelism() − 1` workers (at least 1) unless
 * `size` says otherwise.
 */
export function createNodePool(
  options: Partial<Omit<PoolOptions, 'spawn'>> & { workerUrl?: URL; backend?: BackendChoice } = {},
): JobPool {
  const workerUrl = options.workerUrl ?? new URL('./job-worker.js', import.meta.url);
  const size = options.size ?? Math.max(1, availableParallelism() - 1);
  return new JobPool({
    ...options,
    size,
    spawn: () => spawnNodeWorker(workerUrl, options.backend),
  });
}

/** Starts one Node job worker thread, its kernels chosen as `backend`. */
export function spawnNodeWorker(
  workerUrl: URL = new URL('./job-worker.js', import.meta.url),
  backend: BackendChoice = 'auto',
): PoolWorker {
  const handle = wrapNodeWorker<JobWorkerApi>(new Worker(workerUrl));
  // Messages keep their order: every job runs after this.
  void handle.api.configure({ backend, memoryBudget: getDefaultMemoryBudget() });
  return handle;
}

/**
 * A Node worker thread behind comlink: its API, one failure report (an uncaught error, or an
 * exit not asked for by `terminate`) to every `onFailure` callback, and `terminate`.
 */
export function wrapNodeWorker<T>(worker: Worker): {
  api: Remote<T>;
  onFailure(callback: (error: Error) => void): void;
  terminate(): void;
} {
  const api = wrap<T>(nodeEndpoint(worker));
  let failed = false;
  const failures: ((error: Error) => void)[] = [];
  const fail = (error: Error): void => {
    if (failed) return;
    failed = true;
    failures.forEach((f) => f(error));
  };
  worker.on('error', fail);
  let terminated = false;
  worker.on('exit', (code) => {
    if (!terminated) fail(new Error(`worker exited with code ${code}`));
  });
  return {
    api,
    onFailure: (callback) => failures.push(callback),
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
  };
}
