// SplitNetwork in Node: worker threads ticking one network through shared memory (the shared
// path), and the one-worker fallback, against Network.step bit for bit. The caller's code is
// loaded from the sources through tsx; the workers run the bundle dist/cli/split-worker.js
// (npm run build:cli, which `npm run test:cli` runs first).
import { strict as assert } from 'node:assert';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { register } from 'tsx/esm/api';

register();
const { createNodeSplitNetwork } = await import('../../src/pool/split-node.ts');
const { Network } = await import('../../src/model/network.ts');
const { DivergenceError } = await import('../../src/model/errors.ts');
const { jsBackend } = await import('../../src/kernels/backend.ts');
const { bestBackend, initWasm } = await import('../../src/kernels/wasm/index.ts');

await initWasm();
const workerUrl = new URL('../../dist/cli/split-worker.js', import.meta.url);
const split = (spec, options) => createNodeSplitNetwork(spec, { workerUrl, ...options });

/** Sets the same input, target, clamp and random starting state on every network given. */
function prepare(nets, { batch = 1 } = {}) {
  const [first] = nets;
  const n0 = first.sizes[0];
  const X = Array.from({ length: batch * n0 }, (_, i) => Math.sin(1.3 * i));
  for (const net of nets) {
    net.setInput(X);
    net.setTargetClass(Array.from({ length: batch }, (_, b) => (b + 1) % first.sizes.at(-1)));
    net.clampNode(1, 5, 0.25);
    net.resetState({ std: 0.5 });
  }
}

/** Asserts the split network's state (and weights) are the network's, bit for bit. */
async function assertSame(net, s, what) {
  assert.equal(s.tick, net.tick, `${what}: tick`);
  assert.equal(s.maxRate, net.maxRate, `${what}: maxRate`);
  const state = await s.state();
  for (let l = 0; l < net.depth; l++) {
    assert.deepEqual(state.x[l], net.x(l), `${what}: x(${l + 1})`);
    assert.deepEqual(state.eps[l], net.eps(l), `${what}: eps(${l + 1})`);
  }
  const w = await s.weights();
  net.M.forEach((m, l) => assert.deepEqual(w.M[l], m, `${what}: M(${l + 1})`));
  net.W.forEach((m, l) => assert.deepEqual(w.W[l], m, `${what}: W(${l + 1})`));
}

const SMALL = {
  activation: 'tanh',
  seed: 7,
  lambdaM: 0.05,
  lambdaW: 0.02,
  lambdaX: 0.03,
  nu: [1, 1.5, 2],
};

test('1, 2 and 3 workers give Network.step bit for bit: train, classify, generate; JS and WebAssembly', async () => {
  for (const [backend, factory] of [
    ['js', jsBackend],
    ['wasm', bestBackend()],
  ]) {
    for (const layers of ['10-7-5', '20-13-7']) {
      for (const workers of [1, 2, 3]) {
        const spec = { ...SMALL, layers, mode: 'train' };
        const net = new Network(spec, { backend: factory });
        const s = await split(spec, { workers, backend });
        try {
          assert.equal(s.path, 'shared');
          assert.equal(s.workers, workers);
          assert.equal(s.backendName, net.backend.name);
          prepare([net, s]);
          for (const mode of ['train', 'classify', 'generate']) {
            net.setMode(mode);
            s.setMode(mode);
            const report = await s.step(200);
            assert.deepEqual(report, net.step(200));
            await assertSame(net, s, `${layers} ${backend} ${workers} workers ${mode}`);
          }
        } finally {
          s.terminate();
        }
      }
    }
  }
});

test('a batch of 3, input held, accumulate learning, run to equilibrium: the same bits', async () => {
  const spec = {
    ...SMALL,
    layers: '10-7-5',
    mode: 'train',
    learning: 'accumulate',
    inputClamp: 'hold',
  };
  const net = new Network(spec, { batch: 3, backend: bestBackend() });
  const s = await split(spec, { workers: 2, batch: 3, backend: 'wasm' });
  try {
    prepare([net, s], { batch: 3 });
    net.step(150);
    await s.step(150);
    net.commitWeights();
    await s.commitWeights();
    await assertSame(net, s, 'accumulate');
    for (const n of [net, s]) {
      n.setMode('classify');
      n.setParams({ equilibriumTolerance: 0.05 });
    }
    const report = await s.run({ maxTicks: 5000, minTicks: 10 });
    assert.deepEqual(report, net.run({ maxTicks: 5000, minTicks: 10 }));
    assert.ok(report.equilibrium && report.ticks < 5000, `equilibrium after ${report.ticks}`);
    await assertSame(net, s, 'equilibrium');
  } finally {
    s.terminate();
  }
});

test('784-600-600-10 on 2 workers: the same bits over a short train and classify run', async () => {
  const spec = {
    layers: '784-600-600-10',
    activation: 'tanh',
    seed: 1,
    mode: 'train',
    lambdaM: 0.05,
    lambdaW: 0.05,
  };
  const net = new Network(spec, { backend: bestBackend() });
  const s = await split(spec, { workers: 2 });
  try {
    assert.equal(s.backendName, net.backend.name);
    assert.deepEqual(
      s.ranges.map((r) => r.end.map((e, l) => e - r.start[l])),
      [
        [392, 300, 300, 4],
        [392, 300, 300, 6],
      ],
    );
    prepare([net, s]);
    for (const mode of ['train', 'classify']) {
      net.setMode(mode);
      s.setMode(mode);
      net.step(20);
      await s.step(20);
      await assertSame(net, s, `mnist ${mode}`);
    }
  } finally {
    s.terminate();
  }
});

test('shared: false runs the whole network in one worker, with the same bits', async () => {
  const spec = { ...SMALL, layers: '10-7-5', mode: 'train' };
  const net = new Network(spec, { backend: jsBackend });
  const s = await split(spec, { workers: 3, shared: false, backend: 'js' });
  try {
    assert.equal(s.path, 'single');
    assert.equal(s.workers, 1);
    prepare([net, s]);
    net.step(100);
    await s.step(100);
    await assertSame(net, s, 'single path');
  } finally {
    s.terminate();
  }
});

test('divergence: the same DivergenceError as Network, the last finite state kept', async () => {
  const spec = { ...SMALL, layers: '10-7-5', mode: 'classify', divergenceLimit: 3, dt: 0.01 };
  const net = new Network(spec, { backend: jsBackend });
  const s = await split(spec, { workers: 2, backend: 'js' });
  try {
    prepare([net, s]);
    net.setInput(Array(10).fill(40));
    s.setInput(Array(10).fill(40));
    const expected = (() => {
      try {
        net.step(1000);
      } catch (error) {
        return error;
      }
    })();
    assert.ok(expected instanceof DivergenceError);
    await assert.rejects(s.step(1000), (error) => {
      assert.ok(error instanceof DivergenceError);
      assert.equal(error.message, expected.message);
      return true;
    });
    await assertSame(net, s, 'after divergence');
  } finally {
    s.terminate();
  }
});

test('bad workers, batch, weights and ticks are refused with clear errors', async () => {
  await assert.rejects(
    split({ layers: '10-7-5' }, { workers: 0 }),
    /workers must be an integer from 1 to 3 .*got 0/,
  );
  await assert.rejects(
    split({ layers: '10-7-5' }, { workers: 4 }),
    /workers must be an integer from 1 to 3/,
  );
  await assert.rejects(split({ layers: '10-7-5' }, { workers: 1.5 }), /workers must be an integer/);
  await assert.rejects(split({ layers: '10-7-5' }, { batch: 0 }), /batch must be an integer/);
  await assert.rejects(split({ layers: '10-0-5' }), /layers must be/);
  const s = await split({ layers: '10-7-5' }, { workers: 2 });
  try {
    assert.throws(
      () => s.setWeights([new Float32Array(70)], [new Float32Array(70)]),
      /expected 2 M and W/,
    );
    assert.throws(
      () =>
        s.setWeights(
          [new Float32Array(70), new Float32Array(34)],
          [new Float32Array(70), new Float32Array(35)],
        ),
      /M\.1 must hold 35 numbers, got 34/,
    );
    assert.throws(() => s.setInput([1, 2]), /input must hold 10/);
    assert.throws(() => s.step(-1), /ticks must be an integer/);
    assert.equal((await s.step(3)).ticks, 3);
  } finally {
    s.terminate();
  }
});

test('a worker that crashes, throws or hangs ends the network with a clear error, not a hang', async () => {
  for (const [kind, message] of [
    ['exit', /split worker 1 failed: worker exited with code 1/],
    ['throw', /split part 1: injected fault at tick 5/],
    ['hang', /split part 0: the other workers did not reach the tick barrier within 500 ms/],
  ]) {
    const s = await split({ layers: '20-13-7' }, { workers: 2, timeoutMs: 500 });
    const start = performance.now();
    s.injectFault({ part: 1, tick: 5, kind });
    await assert.rejects(s.step(1e6), message, kind);
    assert.ok(performance.now() - start < 10_000, `${kind}: failed within 10 s`);
    // The network is over: every later call says why.
    await assert.rejects(s.step(1), message);
    await assert.rejects(s.state(), message);
    s.terminate();
  }
});

test('terminate() ends the workers: later calls fail, and the process can exit', async () => {
  const s = await split({ layers: '10-7-5' }, { workers: 3 });
  await s.step(10);
  s.terminate();
  await assert.rejects(s.step(1), /terminated/);
  await assert.rejects(s.weights(), /terminated/);
});
