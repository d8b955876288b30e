import { wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
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
  const worker = new Worker(workerUrl);
  const api = wrap<JobWorkerApi>(nodeEndpoint(worker));
  // Messages keep their order: every job runs after this.
  void api.configure({ backend: backend });
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
