import { transfer } from 'comlink';
import { runJob } from './jobs';
import type { JobWorkerApi } from './protocol';

/** The object a job worker exposes: runs jobs, transfers typed-array results back. */
export const jobWorkerApi: JobWorkerApi = {
  async run(kind, job, onProgress) {
    let last = 0;
    const throttled = (fraction: number): void => {
      const now = Date.now();
      if (onProgress && (now - last > 100 || fraction >= 1)) {
        last = now;
        void onProgress(fraction);
      }
    };
    const result = await runJob(kind, job, throttled);
    // The worker keeps nothing of the result: its buffer moves to the caller.
    if (ArrayBuffer.isView(result)) return transfer(result, [result.buffer as ArrayBuffer]);
    return result;
  },
  ping: () => 'pong',
};
