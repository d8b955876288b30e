import { wrap } from 'comlink';
import { JobPool, type PoolOptions } from './pool';
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
    spawn: () => {
      const worker = new Worker(new URL('./job.worker.ts', import.meta.url), { type: 'module' });
      const api = wrap<JobWorkerApi>(worker);
      // Messages keep their order: every job runs after this.
      void api.configure({ backend: options.backend ?? 'auto' });
      return {
        api,
        onFailure: (callback) =>
          worker.addEventListener('error', (e) => {
            e.preventDefault();
            callback(new Error(e.message || 'error event'));
          }),
        terminate: () => worker.terminate(),
      };
    },
  });
}
