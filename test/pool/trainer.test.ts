import { expect } from '@open-wc/testing';
import { Network } from '../../src/model/network';
import { resolveSpec } from '../../src/model/spec';
import { spawnBrowserWorker } from '../../src/pool/browser';
import type { PoolWorker } from '../../src/pool/pool';
import { DataParallelTrainer } from '../../src/pool/trainer';
import { Random } from '../../src/random';

// Where the test page is cross-origin isolated, `auto` takes shared memory; elsewhere messages.
// The shared path is also tested in Node (test/cli/trainer.test.mjs).
const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;

describe('DataParallelTrainer (real module workers)', () => {
  const spec = resolveSpec({
    layers: [70, 130, 10],
    activation: 'tanh',
    lambdaM: 0.05,
    lambdaW: 0.02,
    seed: 5,
    mode: 'train',
  });
  const accelerated = { iterations: 10, rate: 0.2, learningRate: 0.5 };
  const B = 8;
  const rng = new Random(2);
  const batches = Array.from({ length: 3 }, () => ({
    X: rng.fillNormal(new Float32Array(B * 70)),
    Y: Float32Array.from({ length: B * 10 }, (_, i) => (i % 7 === 0 ? 1 : 0)),
  }));
  const trainers: DataParallelTrainer[] = [];
  afterEach(() => trainers.splice(0).forEach((t) => t.terminate()));

  const make = async (
    workers: number,
    transport: 'auto' | 'message' = 'auto',
    spawned: PoolWorker[] = [],
  ) => {
    const trainer = await DataParallelTrainer.create(spec, {
      chunk: 2,
      accelerated,
      workers,
      transport,
      // The page's kernels (plain JavaScript), so that every thread computes the same bits.
      spawn: () => {
        const w = spawnBrowserWorker('js');
        spawned.push(w);
        return w;
      },
    });
    trainers.push(trainer);
    return trainer;
  };

  it('gives the same weights on 0, 1, 2 and 3 workers, shared and by message, bit for bit', async () => {
    let reference: number[][] | null = null;
    for (const transport of ['auto', 'message'] as const) {
      for (const workers of [0, 1, 2, 3]) {
        const trainer = await make(workers, transport);
        const expected = transport === 'auto' && isolated ? 'shared' : 'message';
        expect(trainer.transport).to.equal(workers === 0 ? 'local' : expected);
        for (const { X, Y } of batches) await trainer.trainBatch(X, Y);
        const weights = [...trainer.net.M, ...trainer.net.W].map((a) => Array.from(a));
        reference ??= weights;
        expect(weights).to.deep.equal(reference, `${workers} workers, ${trainer.transport}`);
      }
    }
    expect(reference?.[0]).to.not.deep.equal(Array.from(new Network(spec).M[0]));
  });

  it('refuses the shared transport where shared memory is missing, saying why', async function () {
    if (isolated) this.skip();
    let error: Error | undefined;
    await DataParallelTrainer.create(spec, {
      chunk: 2,
      accelerated,
      workers: 1,
      transport: 'shared',
      spawn: () => spawnBrowserWorker('js'),
    }).catch((e: Error) => (error = e));
    expect(String(error?.message)).to.match(/transport "shared" needs SharedArrayBuffer/);
  });

  it('fails with a clear error when a worker crashes', async () => {
    for (const transport of ['auto', 'message'] as const) {
      const spawned: PoolWorker[] = [];
      const trainer = await make(2, transport, spawned);
      await trainer.trainBatch(batches[0].X, batches[0].Y);
      void spawned[1].api.run('test:crash', 0);
      let error: Error | undefined;
      for (let i = 0; i < 50 && !error; i++) {
        await trainer.trainBatch(batches[1].X, batches[1].Y).catch((e: Error) => (error = e));
      }
      expect(String(error?.message)).to.match(/a worker crashed/, trainer.transport);
    }
  });
});
