import { expect } from '@open-wc/testing';
import { jsBackend } from '../../src/kernels/backend';
import { bestBackend, initWasm } from '../../src/kernels/wasm';
import { Network } from '../../src/model/network';
import type { Mode, NetworkSpecInput } from '../../src/model/spec';
import { createSplitNetwork, type SplitNetwork } from '../../src/pool/split';

/**
 * SplitNetwork on real module workers in a page. web-test-runner.config.js serves the tests
 * cross-origin isolated (COOP + COEP), so the shared path runs here; `shared: false` takes the
 * fallback a page without isolation takes (the whole network in one worker). Node tests
 * (test/cli/split.test.mjs) cover more: 3 workers, batches, divergence, crashes and hangs.
 */
describe('SplitNetwork (module workers)', () => {
  let split: SplitNetwork | undefined;
  afterEach(() => split?.terminate());

  const spec: NetworkSpecInput = {
    layers: '10-7-5',
    activation: 'tanh',
    mode: 'train',
    seed: 5,
    lambdaM: 0.05,
    lambdaW: 0.05,
    lambdaX: 0.02,
  };

  function prepare(net: Network | SplitNetwork): void {
    net.setInput(Array.from({ length: 10 }, (_, i) => Math.cos(i)));
    net.setTargetClass(3);
    net.clampNode(1, 2, -0.4);
    net.resetState({ std: 0.5 });
  }

  async function failure(p: Promise<unknown>): Promise<Error> {
    return p.then(
      () => new Error('expected a failure'),
      (e: Error) => e,
    );
  }

  async function expectSame(net: Network, s: SplitNetwork): Promise<void> {
    expect(s.tick).to.equal(net.tick);
    expect(s.maxRate).to.equal(net.maxRate);
    const state = await s.state();
    const weights = await s.weights();
    for (let l = 0; l < net.depth; l++) {
      expect(Array.from(state.x[l])).to.deep.equal(Array.from(net.x(l)));
      expect(Array.from(state.eps[l])).to.deep.equal(Array.from(net.eps(l)));
    }
    net.M.forEach((m, l) => expect(Array.from(weights.M[l])).to.deep.equal(Array.from(m)));
    net.W.forEach((w, l) => expect(Array.from(weights.W[l])).to.deep.equal(Array.from(w)));
  }

  it('shares memory where the page is cross-origin isolated, and says which path it took', async () => {
    split = await createSplitNetwork(spec, { workers: 2 });
    expect(split.path).to.equal(globalThis.crossOriginIsolated ? 'shared' : 'single');
    expect(split.workers).to.equal(split.path === 'shared' ? 2 : 1);
    split.terminate();
    split = await createSplitNetwork(spec, { workers: 2, shared: false });
    expect(split.path).to.equal('single');
    expect(split.workers).to.equal(1);
  });

  for (const [backend, shared] of [
    ['js', true],
    ['wasm', true],
    ['wasm', false],
  ] as const) {
    const path = shared ? 'shared' : 'single';
    it(`gives Network.step's bits in train, classify and generate (${backend}, ${path})`, async () => {
      await initWasm();
      const net = new Network(spec, { backend: backend === 'js' ? jsBackend : bestBackend() });
      split = await createSplitNetwork(spec, { workers: 2, backend, shared });
      expect(split.path).to.equal(shared && globalThis.crossOriginIsolated ? 'shared' : 'single');
      expect(split.backendName).to.equal(net.backend.name);
      prepare(net);
      prepare(split);
      for (const mode of ['train', 'classify', 'generate'] as Mode[]) {
        net.setMode(mode);
        split.setMode(mode);
        expect(await split.step(200)).to.deep.equal(net.step(200));
        await expectSame(net, split);
      }
    });
  }

  it('refuses a bad worker count with a clear error', async () => {
    const error = await failure(createSplitNetwork(spec, { workers: 9 }));
    expect(error.message).to.match(/workers must be an integer from 1 to 3/);
  });

  it('ends with a clear error when a worker fails, and refuses calls after terminate()', async () => {
    split = await createSplitNetwork(spec, { workers: 2 });
    split.injectFault({ part: 0, tick: 3, kind: 'throw' });
    expect((await failure(split.step(100))).message).to.match(/injected fault at tick 3/);

    split = await createSplitNetwork(spec, { workers: 2 });
    await split.step(5);
    split.terminate();
    expect((await failure(split.state())).message).to.match(/terminated/);
  });
});
