import { wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { JobPool, type PoolOptions } from './pool';
import type { JobWorkerApi } from './protocol';

/**
 * A pool of Node worker threads running `workerUrl` (default: the CLI bundle's
 * `job-worker.js` beside this file): `availableParallelism() − 1` workers (at least 1) unless
 * `size` says otherwise.
 */
export function createNodePool(
  options: Partial<Omit<PoolOptions, 'spawn'>> & { workerUrl?: URL } = {},
): JobPool {
  const workerUrl = options.workerUrl ?? new URL('./job-worker.js', import.meta.url);
  const size = options.size ?? Math.max(1, availableParallelism() - 1);
  return new JobPool({
    ...options,
    size,
    spawn: () => {
      const worker = new Worker(workerUrl);
      let failed = false;
      const failures: ((error: Error) => void)[] = [];
      const fail = (error: Error): void => {
        if (failed) return;
        failed = true;
        failures.forEach((f) => f(error));
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0 || !terminated) fail(new Error(`worker exited with code ${code}`));
      });
      let terminated = false;
      return {
        api: wrap<JobWorkerApi>(nodeEndpoint(worker)),
        onFailure: (callback) => failures.push(callback),
        terminate: () => {
          terminated = true;
          void worker.terminate();
        },
      };
    },
  });
}
