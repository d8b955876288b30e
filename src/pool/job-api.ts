import { transfer } from 'comlink';
import { jsBackend, setDefaultBackend } from '../kernels/backend';
import { autoBackend, bestBackend, initWasm } from '../kernels/wasm';
import { runJob } from './jobs';
import type { JobWorkerApi } from './protocol';

/** The last `configure` call: comlink does not wait for one message before the next. */
let ready: Promise<unknown> = Promise.resolve();

/** The object a job worker exposes: runs jobs, transfers typed-array results back. */
export const jobWorkerApi: JobWorkerApi = {
  async run(kind, job, onProgress) {
    await ready;
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
  configure({ backend }) {
    const done = (async () => {
      if (backend === 'js') {
        setDefaultBackend(jsBackend);
        return 'js';
      }
      await initWasm();
      setDefaultBackend(backend === 'wasm' ? bestBackend() : autoBackend());
      return backend;
    })();
    ready = done;
    return done;
  },
  ping: () => 'pong',
};
