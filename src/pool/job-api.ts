import { transfer } from 'comlink';
import { jsBackend, setDefaultBackend } from '../kernels/backend';
import { autoBackend, bestBackend, initWasm } from '../kernels/wasm';
import {
  applyChunk,
  type ChunkReplica,
  chunkReplica,
  factorSize,
  relaxChunk,
} from '../model/data-parallel';
import { setDefaultMemoryBudget } from '../model/budget';
import { runJob } from './jobs';
import type { JobWorkerApi } from './protocol';
import { abortShared, type SharedReplica, sharedStep, sharedViews } from './shared-trainer';

/** The last `configure` call: comlink does not wait for one message before the next. */
let ready: Promise<unknown> = Promise.resolve();

/** The data-parallel replica of this worker, if any. */
let replica: ChunkReplica | null = null;

/** The shared-memory side of the replica, once `replicaShare` has run. */
let shared: SharedReplica | null = null;

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
  configure({ backend, memoryBudget }) {
    if (memoryBudget) setDefaultMemoryBudget(memoryBudget.mib, memoryBudget.setting);
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
    replica = chunkReplica(spec, chunk);
    replica.net.setWeights(M, W);
    shared = null;
  },
  async replicaRelax(chunks, options) {
    const r = replica;
    if (!r) throw new Error('replicaRelax before replicaInit');
    const parts = chunks.map(({ X, Y }) => {
      const out = new Float32Array(factorSize(r.net.sizes, r.net.batch));
      relaxChunk(r, X, Y, options, out);
      return out;
    });
    // The factors move to the caller; this worker keeps nothing of them.
    return transfer(
      parts,
      parts.map((p) => p.buffer),
    );
  },
  async replicaApply(factors, batch, learningRate) {
    const r = replica;
    if (!r) throw new Error('replicaApply before replicaInit');
    factors.forEach((f, j) => applyChunk(r, f, j, batch, learningRate));
  },
  async replicaShare(memory, index, options) {
    if (!replica) throw new Error('replicaShare before replicaInit');
    if (replica.net.batch !== memory.chunk) {
      throw new Error(`replicaShare: chunk ${memory.chunk} ≠ the replica's ${replica.net.batch}`);
    }
    shared = { replica, memory, views: sharedViews(memory), index, options };
  },
  replicaStep(batch) {
    if (!shared) throw new Error('replicaStep before replicaShare');
    try {
      sharedStep(shared, batch);
    } catch (e) {
      // The other workers may wait at a barrier for this one: let them go.
      abortShared(shared.views.control);
      throw e;
    }
  },
  ping: () => 'pong',
};
