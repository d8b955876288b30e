import { wrap } from 'comlink';
import { getDefaultMemoryBudget } from '../model/budget';
import { JobPool, type PoolOptions, type PoolWorker } from './pool';
import type { BackendChoice, JobWorkerApi } from './protocol';

/**
 * A pool of module Web Workers: `navigator.hardwareConcurrency − 1` workers (at least 1)
 * unless `size` says otherwise.
 */
export function createBrowserPool(
  options: Partial<Omit<PoolOptions, 'spawn'>> & { backend?: BackendChoice } = {},
): JobPool {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator
    ?.hardwareConcurrency;
  const size = options.size ?? Math.max(1, (cores ?? 2) - 1);
  return new JobPool({
    ...options,
    size,
    spawn: () => spawnBrowserWorker(options.backend),
  });
}

/** Starts one module Web Worker running jobs, its kernels chosen as `backend`. */
export function spawnBrowserWorker(backend: BackendChoice = 'auto'): PoolWorker {
  const worker = new Worker(new URL('./job.worker.ts', import.meta.url), { type: 'module' });
  const api = wrap<JobWorkerApi>(worker);
  // Messages keep their order: every job runs after this.
  void api.configure({ backend, memoryBudget: getDefaultMemoryBudget() });
  return {
    api,
    onFailure: (callback) =>
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        callback(new Error(e.message || 'error event'));
      }),
    terminate: () => worker.terminate(),
  };
}
