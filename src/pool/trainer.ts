import type { AcceleratedOptions } from '../model/accelerated';
import { addInto, applyHebbian, chunkHebbian, hebbianShapes } from '../model/data-parallel';
import { Network } from '../model/network';
import type { NetworkSpec } from '../model/spec';
import type { PoolWorker } from './pool';

export interface TrainerOptions {
  /** Samples per chunk: the unit a worker relaxes. The batch must be a multiple of it. */
  chunk: number;
  /** The accelerated method's iterations, rate and learning rate. */
  accelerated: Partial<AcceleratedOptions> & { learningRate: number };
  /** Workers to spread the chunks over (0: this thread). */
  workers: number;
  /** Makes a worker (see `spawnNodeWorker`, `spawnBrowserWorker`); needed if workers > 0. */
  spawn?: () => PoolWorker;
}

/**
 * Trains one network by the accelerated method, data-parallel: every batch is cut into chunks
 * relaxed by the workers' replicas, the chunks' Hebbian sums are added in chunk order here and
 * the sum goes back to every replica (see `model/data-parallel.ts`). `net` on this thread
 * holds the same weights as every replica after each batch, and they do not depend on the
 * number of workers.
 */
export class DataParallelTrainer {
  private readonly sum: Float32Array[];
  private readonly local: Network | null;
  private failure: Error | null = null;

  private constructor(
    /** The trained weights live here (batch 1; its state is unused). */
    readonly net: Network,
    private readonly options: TrainerOptions,
    private readonly workers: PoolWorker[],
  ) {
    this.sum = hebbianShapes(net.sizes).map((n) => new Float32Array(n));
    this.local = workers.length === 0 ? net.withBatch(options.chunk) : null;
    for (const w of workers) w.onFailure((e) => (this.failure ??= e));
  }

  static async create(spec: NetworkSpec, options: TrainerOptions): Promise<DataParallelTrainer> {
    if (!Number.isInteger(options.chunk) || options.chunk < 1) {
      throw new RangeError(`chunk must be a whole number of at least 1, got ${options.chunk}`);
    }
    const net = new Network(spec);
    const workers: PoolWorker[] = [];
    if (options.workers > 0) {
      if (!options.spawn) throw new Error('DataParallelTrainer: workers need a spawn function');
      for (let i = 0; i < options.workers; i++) workers.push(options.spawn());
      await Promise.all(
        workers.map((w) => w.api.replicaInit(net.spec, options.chunk, net.M, net.W)),
      );
    }
    return new DataParallelTrainer(net, options, workers);
  }

  /** One batch: X is B × N_1, Y is B × N_n, B a multiple of the chunk size. */
  async trainBatch(X: Float32Array, Y: Float32Array): Promise<void> {
    const n1 = this.net.sizes[0];
    const nn = this.net.sizes[this.net.depth - 1];
    const { chunk, accelerated } = this.options;
    const batch = X.length / n1;
    if (!Number.isInteger(batch / chunk) || Y.length !== batch * nn) {
      throw new RangeError(`a batch of ${batch} does not split into chunks of ${chunk}`);
    }
    const chunks = Array.from({ length: batch / chunk }, (_, j) => ({
      X: X.slice(j * chunk * n1, (j + 1) * chunk * n1),
      Y: Y.slice(j * chunk * nn, (j + 1) * chunk * nn),
    }));
    for (const s of this.sum) s.fill(0);
    if (this.local) {
      const part = hebbianShapes(this.net.sizes).map((n) => new Float32Array(n));
      for (const c of chunks) {
        chunkHebbian(this.local, c.X, c.Y, accelerated, part);
        addInto(this.sum, part);
      }
      applyHebbian(this.local, this.sum, batch, accelerated.learningRate);
    } else {
      // Contiguous runs of chunks per worker; the sum below is in chunk order whatever the split.
      const per = Math.ceil(chunks.length / this.workers.length);
      const parts = await this.guard(
        Promise.all(
          this.workers.map((w, i) =>
            w.api.replicaRelax(chunks.slice(i * per, (i + 1) * per), accelerated),
          ),
        ),
      );
      for (const part of parts.flat()) addInto(this.sum, part);
      await this.guard(
        Promise.all(
          this.workers.map((w) => w.api.replicaApply(this.sum, batch, accelerated.learningRate)),
        ),
      );
    }
    applyHebbian(this.net, this.sum, batch, accelerated.learningRate);
  }

  /** Ends the workers. */
  terminate(): void {
    for (const w of this.workers) w.terminate();
  }

  /** Rejects, naming the cause, if a worker crashes while `p` is pending. */
  private async guard<T>(p: Promise<T>): Promise<T> {
    const crashed = new Promise<never>((_, reject) => {
      const check = setInterval(() => {
        if (this.failure) {
          clearInterval(check);
          reject(
            new Error(`data-parallel training failed: a worker crashed: ${this.failure.message}`),
          );
        }
      }, 200);
      void p.finally(() => clearInterval(check));
    });
    return Promise.race([p, crashed]);
  }
}
