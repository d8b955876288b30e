import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../components/define';
import type { PcDivergedDetail, PcErrorDetail, PcNetwork } from '../../../components/index';
import { autoBackend, decodeNetwork, initWasm, LayerGraph, Network } from '../../../src/index';
import { PRESETS } from '../../../src/presets';
import {
  clampInput,
  countFrameCallbacks,
  frames,
  layerValues,
  record,
  shownError,
  sleep,
  stepTicks,
  trackWorkers,
  until,
  withoutUncaught,
} from '../harness';

const INPUT_10 = [0.9, -0.4, 0.2, 1.1, -0.8, 0.3, 0.05, -1.2, 0.6, -0.1];
const SPEC = { ...PRESETS['deep-10-5-3'].spec, seed: 3, mode: 'train' as const };

/** x and ε of every layer as the element shows them. */
const shown = (el: PcNetwork) =>
  el.snapshot.sizes.map((_, l) => [layerValues(el, l, 'x'), layerValues(el, l, 'eps')]);
/** The same of a standalone network. */
const expected = (net: Network) =>
  net.sizes.map((_, l) => [Array.from(net.x(l)), Array.from(net.eps(l))]);

/** A train-mode deep-10-5-3 element and a standalone twin, both 20 ticks on from one input. */
async function trainedPair(): Promise<{ el: PcNetwork; net: Network }> {
  const el = await fixture<PcNetwork>(
    html`<pc-network preset="deep-10-5-3" seed="3" mode="train"></pc-network>`,
  );
  const net = new Network(SPEC);
  net.setInput(INPUT_10);
  net.clampNode(1, 2, 0.5);
  net.step(20);
  await clampInput(el, INPUT_10);
  el.clampNode(1, 2, 0.5);
  await stepTicks(el, 20);
  expect(shown(el)).to.deep.equal(expected(net));
  return { el, net };
}

describe('<pc-network>: the simulation worker', () => {
  let workers: ReturnType<typeof trackWorkers>;
  beforeEach(() => (workers = trackWorkers()));
  afterEach(() => workers.restore());

  it('runs the maths in one worker: the main thread never ticks a network', async () => {
    const ticked: string[] = [];
    const { step, feedForward } = Network.prototype;
    const { tick } = LayerGraph.prototype;
    Network.prototype.step = function (this: Network, n?: number) {
      ticked.push('Network.step');
      return step.call(this, n);
    };
    Network.prototype.feedForward = function (this: Network) {
      ticked.push('Network.feedForward');
      feedForward.call(this);
    };
    LayerGraph.prototype.tick = function (this: LayerGraph) {
      ticked.push('LayerGraph.tick');
      tick.call(this);
    };
    try {
      const el = await fixture<PcNetwork>(html`<pc-network preset="deep-10-5-3"></pc-network>`);
      await clampInput(el, INPUT_10);
      await stepTicks(el, 30);
      await el.classify(INPUT_10);
      el.play();
      await until(() => el.snapshot.tick > 0, 'ticks while playing');
      el.pause();
      await el.updateComplete;
    } finally {
      Object.assign(Network.prototype, { step, feedForward });
      LayerGraph.prototype.tick = tick;
    }
    expect(ticked).to.deep.equal([]);
    expect(workers.made).to.have.length(1);
  });

  it('when removed, ends its worker and stops its frames and snapshots; when put back, goes on bit for bit', async () => {
    const { el, net } = await trainedPair();
    const parent = el.parentElement!;
    const before = el.snapshot;
    const ticks = record(el, 'pc-tick');
    el.remove();
    const callbacks = countFrameCallbacks();
    try {
      await sleep(300);
      expect(workers.live()).to.have.length(0);
      expect(callbacks.count()).to.equal(0);
    } finally {
      callbacks.restore();
    }
    expect(el.snapshot).to.equal(before);
    expect(ticks).to.have.length(0);

    parent.append(el);
    await el.updateComplete;
    expect(workers.made).to.have.length(2);
    expect(workers.live()).to.have.length(1);
    expect(el.snapshot.tick).to.equal(20);
    expect(shown(el)).to.deep.equal(expected(net)); // states, then weights and clamps:
    net.step(15);
    await stepTicks(el, 15);
    expect(shown(el)).to.deep.equal(expected(net));
    expect(decodeNetwork(await el.save()).M).to.deep.equal(net.M);
  });

  it('playing when removed, it plays on when put back', async () => {
    const el = await fixture<PcNetwork>(
      html`<pc-network layers="3-2" speed="600" autoplay></pc-network>`,
    );
    await until(() => el.snapshot.tick > 0, 'ticks');
    const parent = el.parentElement!;
    el.remove();
    const tick = el.snapshot.tick;
    await sleep(200);
    expect(el.snapshot.tick).to.equal(tick);
    expect(workers.live()).to.have.length(0);
    parent.append(el);
    await until(() => el.snapshot.tick > tick, 'ticks after reinsertion');
    expect(el.running).to.equal(true);
    expect(workers.live()).to.have.length(1);
  });

  it('moved within the page (removed and inserted in one task), keeps its worker', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div>
        <p></p>
        <pc-network layers="3-2" speed="600" autoplay></pc-network>
      </div>`,
    );
    const el = wrapper.querySelector('pc-network')!;
    await until(() => el.snapshot.tick > 0, 'ticks');
    wrapper.querySelector('p')!.append(el);
    const tick = el.snapshot.tick;
    await until(() => el.snapshot.tick > tick, 'ticks after the move');
    expect(workers.made).to.have.length(1);
    expect(workers.live()).to.have.length(1);
  });

  it('when its worker crashes, says so, restores the last state in a new one, paused', async () => {
    const { el, net } = await trainedPair();
    el.speed = 50;
    el.play();
    el.pause();
    await el.updateComplete;
    const errors = record<PcErrorDetail>(el, 'pc-error');
    const [first] = workers.live();
    first.dispatchEvent(new ErrorEvent('error', { message: 'Uncaught Error: boom' }));
    expect(errors.map((e) => e.detail.message)).to.deep.equal([
      'Simulation worker crashed: Uncaught Error: boom. A new worker took over from the last ' +
        'state received (tick 20), paused.',
    ]);
    await el.updateComplete;
    expect(shownError(el)).to.equal(errors[0].detail.message);
    expect(el.running).to.equal(false);
    expect(workers.live()).to.have.length(1);
    expect(workers.live()[0]).to.not.equal(first);
    expect(shown(el)).to.deep.equal(expected(net));
    net.step(10);
    await stepTicks(el, 10);
    expect(shown(el)).to.deep.equal(expected(net));
  });

  it('gives up after three crashes in a minute, keeping the last state shown', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
    await stepTicks(el, 5);
    const errors = record<PcErrorDetail>(el, 'pc-error');
    for (let i = 0; i < 4; i++) {
      workers.live()[0].dispatchEvent(new ErrorEvent('error', { message: `crash ${i}` }));
      await el.updateComplete;
    }
    expect(errors).to.have.length(4);
    expect(errors[3].detail.message).to.match(/crash 3\. It failed too often to restart/);
    expect(workers.live()).to.have.length(0);
    expect(el.snapshot.tick).to.equal(5);
    el.layers = '3-3'; // a new network tries again
    await el.updateComplete;
    expect(workers.live()).to.have.length(1);
    await stepTicks(el, 2);
    expect(el.snapshot.tick).to.equal(2);
  });

  it('runs a 784-600-600-10 network on WebAssembly SIMD, a small one on JavaScript, same values as this thread', async () => {
    const small = await fixture<PcNetwork>(html`<pc-network preset="deep-10-5-3"></pc-network>`);
    const el = await fixture<PcNetwork>(
      html`<pc-network layers="784-600-600-10" seed="5" mode="train"></pc-network>`,
    );
    await until(() => el.kernels !== '' && small.kernels !== '', 'the workers to build');
    expect(small.kernels).to.equal('js');
    expect(el.kernels).to.match(/^wasm-(relaxed-)?simd$/);
    await initWasm();
    const net = new Network(el.spec, { backend: autoBackend() });
    expect(net.backend.name).to.equal(el.kernels);
    const input = Array.from({ length: 784 }, (_, i) => ((i * 37) % 101) / 100);
    net.setInput(input);
    net.step(5);
    await clampInput(el, input);
    await stepTicks(el, 5);
    // Large layers are drawn as canvas grids: compare the snapshot the element drew from.
    const { x, eps } = el.snapshot;
    expect(x.map((v) => Array.from(v))).to.deep.equal(
      net.sizes.map((_, l) => Array.from(net.x(l))),
    );
    expect(eps.map((v) => Array.from(v))).to.deep.equal(
      net.sizes.map((_, l) => Array.from(net.eps(l))),
    );
  });
});

describe('<pc-network engine="main">', () => {
  it('runs on the main thread, without a worker, with the same values', async () => {
    const workers = trackWorkers();
    try {
      const el = await fixture<PcNetwork>(
        html`<pc-network engine="main" preset="deep-10-5-3" seed="3" mode="train"></pc-network>`,
      );
      const net = new Network(SPEC);
      net.setInput(INPUT_10);
      net.step(20);
      await clampInput(el, INPUT_10);
      await stepTicks(el, 20);
      expect(shown(el)).to.deep.equal(expected(net));
      expect(decodeNetwork(await el.save()).M).to.deep.equal(net.M);
      el.play();
      await frames(3);
      el.pause();
      expect(workers.made).to.have.length(0);
    } finally {
      workers.restore();
    }
  });

  it('pauses on divergence at the last finite tick, as a worker does', async () => {
    await withoutUncaught(async () => {
      const el = await fixture<PcNetwork>(
        html`<pc-network
          engine="main"
          layers="3-2"
          dt="5"
          mode="generate"
          speed="600"
        ></pc-network>`,
      );
      el.clampOutput(0);
      el.play();
      const { detail } = (await oneEvent(el, 'pc-diverged')) as CustomEvent<PcDivergedDetail>;
      expect(detail.message).to.match(/diverged at tick/);
      expect(el.running).to.equal(false);
      await el.updateComplete;
      expect(shownError(el)).to.contain('diverged');
      expect(el.snapshot.tick).to.equal(detail.tick - 1);
    });
  });

  it('plays at `speed` ticks a second, as a worker does', async () => {
    for (const engine of ['main', 'worker']) {
      const el = await fixture<PcNetwork>(
        html`<pc-network engine=${engine} layers="3-2" speed="200"></pc-network>`,
      );
      await el.updateComplete;
      el.play();
      await until(() => el.snapshot.tick > 0, 'the first ticks');
      const [t0, tick0] = [performance.now(), el.snapshot.tick];
      await sleep(1000);
      const rate = ((el.snapshot.tick - tick0) * 1000) / (performance.now() - t0);
      el.pause();
      expect(rate, `engine=${engine}: ticks a second`).to.be.within(150, 240);
    }
  });

  it('leaves the page responsive during a long step: the clock yields between slices', async () => {
    const el = await fixture<PcNetwork>(
      html`<pc-network engine="main" layers="300-300-10"></pc-network>`,
    );
    el.clampNode(0, 0, 1);
    await el.updateComplete;
    el.step(1_000_000);
    const t0 = performance.now();
    let frameCount = 0;
    let worstTimer = 0;
    while (performance.now() - t0 < 1000) {
      const asked = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 0));
      worstTimer = Math.max(worstTimer, performance.now() - asked);
      await new Promise((resolve) => requestAnimationFrame(resolve));
      frameCount++;
    }
    const tick = el.snapshot.tick;
    el.pause();
    await el.updateComplete;
    expect(tick, 'the step went on meanwhile').to.be.above(100);
    expect(frameCount, 'display frames in a second').to.be.above(20);
    expect(worstTimer, 'the longest wait for a timer (ms)').to.be.below(50);
  });
});
