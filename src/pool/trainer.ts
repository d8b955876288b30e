import type { AcceleratedOptions } from '../model/accelerated';
import {
  applyChunk,
  type ChunkReplica,
  chunkReplica,
  factorSize,
  relaxChunk,
} from '../model/data-parallel';
import type { Network } from '../model/network';
import type { NetworkSpec } from '../model/spec';
import type { PoolWorker } from './pool';
import { sharedMemoryAvailable } from './shared-memory';
import {
  abortShared,
  allocateShared,
  growShared,
  type SharedTrainerMemory,
  type SharedViews,
  sharedViews,
} from './shared-trainer';

/**
 * How the workers meet: `shared` (SharedArrayBuffer and Atomics: the batch and the chunks'
 * factors in shared memory, one small message per worker and batch), `message` (the factors
 * travel by message through this thread, two round trips per batch: works everywhere),
 * `local` (no workers: this thread relaxes every chunk).
 */
export type Transport = 'local' | 'shared' | 'message';

export interface TrainerOptions {
  /** Samples per chunk: the unit a worker relaxes. The batch must be a multiple of it. */
  chunk: number;
  /** The accelerated method's iterations, rate and learning rate. */
  accelerated: Partial<AcceleratedOptions> & { learningRate: number };
  /** Workers to spread the chunks over (0: this thread). */
  workers: number;
  /** Makes a worker (see `spawnNodeWorker`, `spawnBrowserWorker`); needed if workers > 0. */
  spawn?: () => PoolWorker;
  /**
   * `auto` (default): shared memory where it works (Node; a cross-origin-isolated page),
   * messages elsewhere. `shared` fails where shared memory does not work.
   */
  transport?: 'auto' | 'shared' | 'message';
  /** Shared path: a worker waiting longer than this for the others fails (default 120 s). */
  barrierTimeoutMs?: number;
}

/**
 * Trains one network by the accelerated method, data-parallel: every batch is cut into chunks
 * relaxed by the workers' replicas, and every replica applies all the chunks' factors of the
 * Hebbian terms in chunk order (see `model/data-parallel.ts`). With shared memory the workers
 * exchange the factors among themselves (see `shared-trainer.ts`); otherwise they come here by
 * message and go back to every replica. Either way the weights do not depend on the number of
 * workers or the transport.
 *
 * One chunk per worker (chunk = batch / workers) is fastest: bigger chunks make bigger matrix
 * products.
 */
export class DataParallelTrainer {
  private failure: Error | null = null;
  /** Rejects when a worker fails; raced against every wait on the workers. */
  private readonly failed: Promise<never>;
  /** Marks the trainer failed (the first error stays) and stops the workers' barriers. */
  private readonly fail: (error: Error) => void;
  /** A batch is in flight: the shared input is in use. */
  private busy = false;
  /** Shared path: `net`'s weights are behind the shared copy (synced when `net` is read). */
  private stale = false;
  /** Local and message paths: one slot of factors per chunk of the largest batch yet. */
  private slots: Float32Array[] = [];
  private memory: SharedTrainerMemory | null = null;
  private views: SharedViews | null = null;

  private constructor(
    /** This thread's replica: it relaxes the chunks (local path) or holds the weights. */
    private readonly home: ChunkReplica,
    private readonly options: TrainerOptions,
    private readonly workers: PoolWorker[],
    /** How the workers meet (see {@link Transport}). */
    readonly transport: Transport,
  ) {
    let reject: (error: Error) => void = () => undefined;
    this.failed = new Promise<never>((_, r) => (reject = r));
    this.fail = (error) => {
      this.failure ??= error;
      // The other workers may wait at a barrier for the one that failed: let them go.
      if (this.views) abortShared(this.views.control);
      reject(this.failure);
    };
    for (const w of workers) {
      w.onFailure((e) =>
        this.fail(new Error(`data-parallel training failed: a worker crashed: ${e.message}`)),
      );
    }
    this.failed.catch(() => undefined);
  }

  /**
   * Makes the network of `spec` (its initial weights from `spec.seed`) and the workers'
   * replicas. Throws a RangeError naming the bad option.
   */
  static async create(spec: NetworkSpec, options: TrainerOptions): Promise<DataParallelTrainer> {
    checkOptions(options);
    const home = chunkReplica(spec, options.chunk);
    if (options.workers === 0) return new DataParallelTrainer(home, options, [], 'local');
    const spawn = options.spawn;
    if (!spawn) throw new RangeError('DataParallelTrainer: workers need a spawn function');
    const wanted = options.transport ?? 'auto';
    if (wanted === 'shared' && !sharedMemoryAvailable()) {
      throw new RangeError(
        'transport "shared" needs SharedArrayBuffer (Node, or a cross-origin-isolated page)',
      );
    }
    const transport = wanted === 'message' || !sharedMemoryAvailable() ? 'message' : 'shared';
    const workers = Array.from({ length: options.workers }, () => spawn());
    const trainer = new DataParallelTrainer(home, options, workers, transport);
    const { spec: resolved } = home.net;
    // Copies: a view would carry its whole buffer, the replica's WebAssembly memory, along.
    const M = home.net.M.map((m) => m.slice());
    const W = home.net.W.map((w) => w.slice());
    try {
      await trainer.guard(
        Promise.all(workers.map((w) => w.api.replicaInit(resolved, options.chunk, M, W))),
      );
    } catch (e) {
      trainer.terminate();
      throw e;
    }
    return trainer;
  }

  /**
   * The trained network: the weights after the last batch (brought here from the shared copy
   * when read, on the shared path). Its batch is the chunk size and its state is unused; read
   * it between batches.
   */
  get net(): Network {
    const { net } = this.home;
    if (this.stale && this.views) {
      net.setWeights(this.views.M, this.views.W);
      this.stale = false;
    }
    return net;
  }

  /** One batch: X is B × N_1, Y is B × N_n, B a multiple of the chunk size. */
  async trainBatch(X: Float32Array, Y: Float32Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.busy) throw new Error('trainBatch: the previous batch is still running (await it)');
    this.busy = true;
    try {
      await this.train(X, Y);
    } finally {
      this.busy = false;
    }
  }

  private async train(X: Float32Array, Y: Float32Array): Promise<void> {
    const sizes = this.home.net.sizes;
    const n1 = sizes[0];
    const nn = sizes[sizes.length - 1];
    const { chunk, accelerated } = this.options;
    const { learningRate } = accelerated;
    const batch = X.length / n1;
    if (!Number.isInteger(batch / chunk) || batch === 0 || Y.length !== batch * nn) {
      throw new RangeError(
        `a batch of X ${X.length} and Y ${Y.length} floats is not B × ${n1} and B × ${nn} ` +
          `with B a multiple of the chunk, ${chunk}`,
      );
    }
    const chunks = batch / chunk;
    if (this.transport === 'shared') {
      const views = await this.sharedFor(batch);
      views.X.set(X);
      views.Y.set(Y);
      await this.guard(Promise.all(this.workers.map((w) => w.api.replicaStep(batch))));
      this.stale = true;
      return;
    }
    const xs = (j: number) => X.subarray(j * chunk * n1, (j + 1) * chunk * n1);
    const ys = (j: number) => Y.subarray(j * chunk * nn, (j + 1) * chunk * nn);
    if (this.transport === 'local') {
      const slots = this.slotsFor(chunks);
      for (let j = 0; j < chunks; j++) relaxChunk(this.home, xs(j), ys(j), accelerated, slots[j]);
      for (let j = 0; j < chunks; j++) applyChunk(this.home, slots[j], j, batch, learningRate);
      return;
    }
    // Message path: contiguous runs of chunks per worker, the factors back in chunk order.
    const per = Math.ceil(chunks / this.workers.length);
    const parts = await this.guard(
      Promise.all(
        this.workers.map((w, i) => {
          const run = [];
          for (let j = i * per; j < Math.min(chunks, (i + 1) * per); j++) {
            run.push({ X: xs(j).slice(), Y: ys(j).slice() });
          }
          return w.api.replicaRelax(run, accelerated);
        }),
      ),
    );
    const factors = parts.flat();
    const applied = Promise.all(
      this.workers.map((w) => w.api.replicaApply(factors, batch, learningRate)),
    );
    // This thread's copy meanwhile.
    factors.forEach((f, j) => applyChunk(this.home, f, j, batch, learningRate));
    await this.guard(applied);
  }

  /** Ends the workers; a batch in flight and any later one fail. */
  terminate(): void {
    this.fail(new Error('the data-parallel trainer was terminated'));
    for (const w of this.workers) w.terminate();
  }

  /** Local path: slots for `chunks` chunks' factors (made once, grown if a batch grows). */
  private slotsFor(chunks: number): Float32Array[] {
    const { sizes, batch } = this.home.net;
    while (this.slots.length < chunks) this.slots.push(new Float32Array(factorSize(sizes, batch)));
    return this.slots;
  }

  /** Shared path: the buffers for batches of `batch`, made (or grown) and sent out if needed. */
  private async sharedFor(batch: number): Promise<SharedViews> {
    if (this.views && this.memory && batch <= this.memory.capacity) return this.views;
    const memory = this.memory
      ? growShared(this.memory, batch)
      : allocateShared(
          this.home.net.sizes,
          this.options.chunk,
          batch,
          this.workers.length,
          this.options.barrierTimeoutMs ?? 120_000,
        );
    const views = sharedViews(memory);
    const { accelerated } = this.options;
    await this.guard(
      Promise.all(this.workers.map((w, i) => w.api.replicaShare(memory, i, accelerated))),
    );
    this.memory = memory;
    this.views = views;
    return views;
  }

  /** Rejects, naming the cause, if a worker crashes while `p` is pending. */
  private async guard<T>(p: Promise<T>): Promise<T> {
    try {
      return await Promise.race([p, this.failed]);
    } catch (e) {
      this.fail(e instanceof Error ? e : new Error(String(e)));
      throw this.failure;
    }
  }
}

function checkOptions(options: TrainerOptions): void {
  const { chunk, workers, accelerated, transport, barrierTimeoutMs } = options;
  if (!Number.isInteger(chunk) || chunk < 1 || chunk > 1 << 16) {
    throw new RangeError(`chunk must be a whole number from 1 to 65536, got ${chunk}`);
  }
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) {
    throw new RangeError(`workers must be a whole number from 0 to 64, got ${workers}`);
  }
  if (!Number.isFinite(accelerated?.learningRate)) {
    throw new RangeError(
      `accelerated.learningRate must be a finite number, got ${accelerated?.learningRate}`,
    );
  }
  const { iterations, rate } = accelerated;
  if (iterations !== undefined && (!Number.isInteger(iterations) || iterations < 0)) {
    throw new RangeError(`accelerated.iterations must be a whole number, got ${iterations}`);
  }
  if (rate !== undefined && !(rate > 0 && Number.isFinite(rate))) {
    throw new RangeError(`accelerated.rate must be a positive number, got ${rate}`);
  }
  if (transport !== undefined && !['auto', 'shared', 'message'].includes(transport)) {
    throw new RangeError(`transport must be "auto", "shared" or "message", got "${transport}"`);
  }
  if (barrierTimeoutMs !== undefined && !(barrierTimeoutMs > 0)) {
    throw new RangeError(`barrierTimeoutMs must be a positive number, got ${barrierTimeoutMs}`);
  }
}
