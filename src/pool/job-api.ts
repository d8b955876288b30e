import { transfer } from 'comlink';
import { jsBackend, setDefaultBackend } from '../kernels/backend';
import { autoBackend, bestBackend, initWasm } from '../kernels/wasm';
import { applyHebbian, chunkHebbian, hebbianShapes } from '../model/data-parallel';
import { Network } from '../model/network';
import { runJob } from './jobs';
import type { JobWorkerApi } from './protocol';

/** The last `configure` call: comlink does not wait for one message before the next. */
let ready: Promise<unknown> = Promise.resolve();

/** The data-parallel replica of this worker, if any. */
let replica: Network | null = null;

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
  async replicaInit(spec, chunk, M, W) {
    await ready;
    replica = new Network(spec, { batch: chunk });
    replica.setWeights(M, W);
  },
  async replicaRelax(chunks, options) {
    const net = replica;
    if (!net) throw new Error('replicaRelax before replicaInit');
    const parts = chunks.map(({ X, Y }) => {
      const out = hebbianShapes(net.sizes).map((n) => new Float32Array(n));
      chunkHebbian(net, X, Y, options, out);
      return out;
    });
    // The sums move to the caller; this worker keeps nothing of them.
    return transfer(
      parts,
      parts.flatMap((p) => p.map((a) => a.buffer as ArrayBuffer)),
    );
  },
  async replicaApply(sum, batch, learningRate) {
    if (!replica) throw new Error('replicaApply before replicaInit');
    applyHebbian(replica, sum, batch, learningRate);
  },
  ping: () => 'pong',
};
