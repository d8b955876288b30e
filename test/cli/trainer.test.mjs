// DataParallelTrainer in Node worker threads (the shared-memory path, and the message path):
// the engine's TypeScript through tsx, the workers from the CLI build (npm run build:cli).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { register } from 'tsx/esm/api';

register();
const { DataParallelTrainer } = await import('../../src/pool/trainer.ts');
const { spawnNodeWorker } = await import('../../src/pool/node.ts');
const { bestBackend, initWasm } = await import('../../src/kernels/wasm/index.ts');
const { setDefaultBackend } = await import('../../src/kernels/backend.ts');
const { resolveSpec } = await import('../../src/model/spec.ts');
const { Random } = await import('../../src/random.ts');
const { abortShared, barrier } = await import('../../src/pool/shared-trainer.ts');

const workerUrl = new URL('../../dist/cli/job-worker.js', import.meta.url);
// This thread runs the same kernels as the workers (`wasm`: SIMD even for a small network).
await initWasm();
setDefaultBackend(bestBackend());

const spec = resolveSpec({
  // Several row blocks (64 rows) per matrix, ragged ones, columns not a multiple of 8.
  layers: [150, 70, 130, 10],
  activation: 'tanh',
  nu: [1, 1, 1, 10],
  lambdaM: 0.05,
  lambdaW: 0.02,
  seed: 7,
  mode: 'train',
});
const accelerated = { iterations: 12, rate: 0.2, learningRate: 0.5 };
const B = 12;
const rng = new Random(3);
const batches = Array.from({ length: 3 }, () => ({
  X: rng.fillNormal(new Float32Array(B * 150)),
  Y: Float32Array.from({ length: B * 10 }, (_, i) => (i % 11 === 0 ? 1 : 0)),
}));

/** Trains on the batches; returns the weights and the transport used. */
async function train(workers, transport, spawned = []) {
  const trainer = await DataParallelTrainer.create(spec, {
    chunk: 3,
    accelerated,
    workers,
    transport,
    spawn: () => {
      const w = spawnNodeWorker(workerUrl, 'wasm');
      spawned.push(w);
      return w;
    },
  });
  try {
    for (const { X, Y } of batches) await trainer.trainBatch(X, Y);
    // A batch of a different size (one chunk, then six) on the same trainer.
    await trainer.trainBatch(batches[0].X.subarray(0, 3 * 150), batches[0].Y.subarray(0, 3 * 10));
    const X2 = new Float32Array(2 * B * 150);
    X2.set(batches[1].X);
    X2.set(batches[2].X, B * 150);
    const Y2 = new Float32Array(2 * B * 10);
    Y2.set(batches[1].Y);
    Y2.set(batches[2].Y, B * 10);
    await trainer.trainBatch(X2, Y2);
    const { M, W } = trainer.net;
    return { transport: trainer.transport, weights: [...M, ...W].map((a) => Array.from(a)) };
  } finally {
    trainer.terminate();
  }
}

test('0, 1, 2 and 3 workers give the same weights, bit for bit, shared and by message', async () => {
  const reference = await train(0);
  assert.equal(reference.transport, 'local');
  for (const [workers, transport] of [
    [1, 'auto'],
    [2, 'auto'],
    [3, 'shared'],
    [2, 'message'],
  ]) {
    const r = await train(workers, transport);
    assert.equal(r.transport, transport === 'message' ? 'message' : 'shared');
    r.weights.forEach((w, t) =>
      assert.deepEqual(w, reference.weights[t], `${workers} ${transport}: tensor ${t}`),
    );
  }
});

test('the weights change: training happened', async () => {
  const { weights } = await train(0);
  const { Network } = await import('../../src/model/network.ts');
  const fresh = new Network(spec);
  assert.notDeepEqual(weights[0], Array.from(fresh.M[0]));
});

test('a worker that crashes fails the batch with a clear error, nothing hangs', async () => {
  for (const transport of ['shared', 'message']) {
    const spawned = [];
    const trainer = await DataParallelTrainer.create(spec, {
      chunk: 6,
      accelerated: { ...accelerated, iterations: 2000 },
      workers: 2,
      transport,
      spawn: () => {
        const w = spawnNodeWorker(workerUrl, 'wasm');
        spawned.push(w);
        return w;
      },
    });
    try {
      await trainer.trainBatch(batches[0].X, batches[0].Y);
      void spawned[1].api.run('test:crash', 0);
      const start = performance.now();
      let error;
      for (let i = 0; i < 50 && !error; i++) {
        await trainer.trainBatch(batches[1].X, batches[1].Y).catch((e) => (error = e));
      }
      assert.match(String(error?.message), /a worker crashed/, transport);
      assert.ok(performance.now() - start < 20_000, `${transport}: took too long`);
      await assert.rejects(trainer.trainBatch(batches[0].X, batches[0].Y), /a worker crashed/);
    } finally {
      trainer.terminate();
    }
  }
});

test('a second batch before the first ends is refused; terminate fails the batch in flight', async () => {
  const trainer = await DataParallelTrainer.create(spec, {
    chunk: 6,
    accelerated: { ...accelerated, iterations: 500 },
    workers: 2,
    spawn: () => spawnNodeWorker(workerUrl, 'wasm'),
  });
  const first = trainer.trainBatch(batches[0].X, batches[0].Y);
  await assert.rejects(trainer.trainBatch(batches[1].X, batches[1].Y), /still running/);
  await first;
  const second = trainer.trainBatch(batches[1].X, batches[1].Y);
  trainer.terminate();
  await assert.rejects(second, /terminated/);
  await assert.rejects(trainer.trainBatch(batches[1].X, batches[1].Y), /terminated/);
});

test('a barrier gives up after its timeout, or at once when aborted, and says why', () => {
  const control = new Int32Array(new SharedArrayBuffer(64));
  const start = performance.now();
  assert.throws(() => barrier(control, 2, 50), /waited 50 ms for the other workers/);
  assert.ok(performance.now() - start >= 45);
  // The timeout raised the abort flag: the partner that comes late stops too.
  assert.throws(() => barrier(control, 2, 10_000), /aborted/);
  const fresh = new Int32Array(new SharedArrayBuffer(64));
  barrier(fresh, 1, 10); // alone: passes at once
  abortShared(fresh);
  assert.throws(() => barrier(fresh, 2, 10_000), /aborted/);
});

test('bad options and batches are refused, naming the value', async () => {
  const create = (options) =>
    DataParallelTrainer.create(spec, { chunk: 4, accelerated, workers: 0, ...options });
  await assert.rejects(create({ chunk: 0 }), /chunk must be .*got 0/);
  await assert.rejects(create({ chunk: 2.5 }), /chunk must be .*got 2.5/);
  await assert.rejects(create({ workers: -1 }), /workers must be .*got -1/);
  await assert.rejects(create({ workers: 2 }), /workers need a spawn function/);
  await assert.rejects(create({ transport: 'pigeon' }), /transport must be .*got "pigeon"/);
  await assert.rejects(create({ barrierTimeoutMs: 0 }), /barrierTimeoutMs must be .*got 0/);
  await assert.rejects(
    create({ accelerated: { learningRate: NaN } }),
    /learningRate must be .*got NaN/,
  );
  await assert.rejects(
    create({ accelerated: { learningRate: 1, iterations: -3 } }),
    /iterations must be .*got -3/,
  );
  const trainer = await create({});
  await assert.rejects(
    trainer.trainBatch(new Float32Array(6 * 150), new Float32Array(60)),
    /chunk, 4/,
  );
  await assert.rejects(trainer.trainBatch(new Float32Array(8 * 150), new Float32Array(70)), /Y 70/);
  trainer.terminate();
});
