/**
 * `<pc-network>`'s life cycle on both engines: `src`, `preset` and `autoplay` start playing as
 * soon as the network is there; removed elements are freed; a network over the memory budget
 * (or one the engine cannot build) leaves the last good one running; a long `step` is cut
 * short by `pause` and `reset`, and `updateComplete` does not wait for it.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../../../components/define';
import type { PcErrorDetail, PcNetwork } from '../../../components/index';
import { decodeNetwork, encodeNetwork, Network } from '../../../src/index';
import { record, sleep, until } from '../harness';

const ENGINES = ['worker', 'main'] as const;

/** What survives a forced collection in this page (see `heap-metrics` in the runner's config). */
interface HeapMetrics {
  nodes: number;
  listeners: number;
  heap: number;
}

/** A saved 3-2 network (seed 7) as a data: URL. */
function savedNetworkUrl(): string {
  const net = new Network({ layers: [3, 2], seed: 7, mode: 'generate', lambdaX: 0.05 });
  const bytes = encodeNetwork(net.spec, net.M, net.W);
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return `data:application/octet-stream;base64,${btoa(text)}`;
}

/** Resolves once the element shows ticks going by. */
async function moving(el: PcNetwork, what: string): Promise<void> {
  const from = el.snapshot.tick;
  await until(() => el.snapshot.tick > from + 5, what, 5000);
  expect(el.running).to.equal(true);
}

for (const engine of ENGINES) {
  describe(`<pc-network engine="${engine}">: life cycle`, () => {
    it('plays a src network with autoplay, and goes on playing when src changes', async () => {
      const url = savedNetworkUrl();
      const el = await fixture<PcNetwork>(
        html`<pc-network engine=${engine} src=${url} autoplay></pc-network>`,
      );
      await until(() => el.spec.layers.join('-') === '3-2', 'the file to load');
      await moving(el, 'the loaded network to tick');
      const other = new Network({ layers: [4, 2], seed: 2 });
      const bytes = encodeNetwork(other.spec, other.M, other.W);
      el.src = URL.createObjectURL(new Blob([bytes.slice()]));
      await until(() => el.spec.layers.join('-') === '4-2', 'the new file to load');
      await moving(el, 'the new network to tick');
      URL.revokeObjectURL(el.src);
    });

    it('plays with autoplay whatever comes with it: a preset, layers, a later network', async () => {
      const url = savedNetworkUrl();
      const el = await fixture<PcNetwork>(
        html`<pc-network autoplay src=${url} preset="deep-10-5-3" engine=${engine}></pc-network>`,
      );
      await until(() => el.spec.layers.join('-') === '3-2', 'the file to load over the preset');
      await moving(el, 'the loaded network to tick');
      const preset = await fixture<PcNetwork>(
        html`<pc-network preset="shallow-3-2" autoplay engine=${engine}></pc-network>`,
      );
      await moving(preset, 'the preset to tick');
      preset.layers = '6-3'; // a new network while playing
      await until(() => preset.spec.layers.join('-') === '6-3', 'the new layers');
      await moving(preset, 'the new layers to tick');
    });

    it('refuses layers over the memory budget and keeps the last good network', async () => {
      const el = await fixture<PcNetwork>(
        html`<pc-network preset="deep-10-5-3" engine=${engine}></pc-network>`,
      );
      const errors = record<PcErrorDetail>(el, 'pc-error');
      const before = await el.save();
      el.layers = '20000-20000';
      await el.updateComplete;
      expect(errors.at(-1)?.detail.message).to.match(
        /^layers 20000-20000 need 30\d\d MiB; the memory budget is 1024 MiB \(memory-budget\)$/,
      );
      expect(el.spec.layers).to.deep.equal([10, 5, 3]);
      expect(await el.save()).to.deep.equal(before);
      el.step(4);
      await el.updateComplete;
      expect(el.snapshot.tick).to.equal(4);

      el.memoryBudget = 1; // MiB: even mnist's 784-600-10 (3.8 MiB) is over it
      el.layers = '784-600-10';
      await el.updateComplete;
      expect(errors.at(-1)?.detail.message).to.match(/^layers 784-600-10 need 3\.\d MiB; .* 1 MiB/);
      expect(el.spec.layers).to.deep.equal([10, 5, 3]);
      el.setAttribute('memory-budget', 'lots');
      await el.updateComplete;
      expect(errors.at(-1)?.detail.message).to.match(/Invalid memory-budget: must be MiB above 0/);
      el.setAttribute('memory-budget', '64');
      await el.updateComplete;
      el.layers = '784-300-10'; // raising the budget does not retry the refused layers
      await until(() => el.snapshot.sizes.join('-') === '784-300-10', 'the network within budget');
    });

    it('keeps the last good network when the engine cannot build one within budget', async () => {
      const el = await fixture<PcNetwork>(
        html`<pc-network preset="deep-10-5-3" engine=${engine} memory-budget="1e6"></pc-network>`,
      );
      const errors = record<PcErrorDetail>(el, 'pc-error');
      el.step(3);
      await el.updateComplete;
      const before = await el.save();
      el.layers = '100000-100000'; // 80 GB: past what WebAssembly or an ArrayBuffer may hold
      await until(() => errors.length > 0, 'the refusal');
      await el.updateComplete;
      expect(errors[0].detail.message).to.match(/4 GiB|Array buffer allocation failed|Invalid/i);
      expect(el.spec.layers).to.deep.equal([10, 5, 3]);
      expect(el.snapshot.sizes).to.deep.equal([10, 5, 3]);
      const saved = await el.save();
      expect(saved).to.deep.equal(before);
      expect(decodeNetwork(saved).spec.layers).to.deep.equal([10, 5, 3]);
      el.step(2);
      await el.updateComplete;
      expect(el.snapshot.tick).to.equal(5);
    });

    it('cuts a long step short with pause or reset; updateComplete does not wait', async () => {
      const el = await fixture<PcNetwork>(
        // Big enough that the longest step (1,000,000 ticks) takes many seconds.
        html`<pc-network layers="300-300-10" engine=${engine}></pc-network>`,
      );
      el.clampNode(0, 0, 1);
      await el.updateComplete;
      const t0 = performance.now();
      el.step(1_000_000);
      await el.updateComplete;
      expect(performance.now() - t0, 'updateComplete during a long step').to.be.below(1000);
      await until(() => el.snapshot.tick > 1000, 'the step to show its progress');
      el.pause();
      await el.updateComplete;
      const stopped = el.snapshot.tick;
      expect(stopped, 'the step was cut short').to.be.below(1_000_000);
      expect(performance.now() - t0, 'pause within a second').to.be.below(1000 + 500);
      await sleep(300);
      await el.updateComplete;
      expect(el.snapshot.tick).to.equal(stopped);
      expect(el.running).to.equal(false);

      el.step(1_000_000);
      await sleep(200);
      el.reset();
      await el.updateComplete;
      await sleep(300);
      await el.updateComplete;
      expect(el.snapshot.tick).to.equal(0);

      el.step(3); // a short step is still whole at the next updateComplete
      await el.updateComplete;
      expect(el.snapshot.tick).to.equal(3);
    });
  });
}

describe('<pc-network>: a large network within the budget', function () {
  this.timeout(180_000);

  it('is built in a busy worker that is not taken for hung (5000-5000-10, 192 MiB)', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="deep-10-5-3"></pc-network>`);
    const errors = record<PcErrorDetail>(el, 'pc-error');
    el.layers = '5000-5000-10'; // seconds to draw its 50 million weights, missing heartbeats
    await el.updateComplete; // the new network is configured (the worker may still build it)
    el.step(2);
    await until(() => el.snapshot.tick === 2, 'the large network to step', 120_000);
    await sleep(2500); // a heartbeat after the build
    expect(errors.map((e) => e.detail.message)).to.deep.equal([]);
    expect(el.snapshot.sizes).to.deep.equal([5000, 5000, 10]);
    expect(el.kernels).to.match(/^wasm|^js$/);
  });
});

describe('<pc-network>: removal frees everything', function () {
  this.timeout(300_000);

  /** Makes five deep-10-5-3 elements, lets them run a little, then removes them. */
  async function round(engine: string): Promise<void> {
    const box = document.createElement('div');
    document.body.append(box);
    const els = Array.from({ length: 5 }, () => {
      const el = document.createElement('pc-network');
      el.setAttribute('preset', 'deep-10-5-3');
      el.setAttribute('engine', engine);
      box.append(el);
      return el;
    });
    for (const el of els) {
      el.step(5);
      await el.updateComplete;
    }
    box.remove();
    await sleep(50);
  }

  for (const engine of ENGINES) {
    it(`stays flat over rounds of create 5 / remove 5 (engine="${engine}")`, async () => {
      await round(engine);
      await round(engine);
      const before = await executeServerCommand<HeapMetrics, undefined>('heap-metrics');
      for (let i = 0; i < 8; i++) await round(engine);
      const after = await executeServerCommand<HeapMetrics, undefined>('heap-metrics');
      const growth = {
        nodes: after.nodes - before.nodes,
        listeners: after.listeners - before.listeners,
        heapKB: Math.round((after.heap - before.heap) / 1024),
      };
      console.log(
        `engine=${engine}: before ${JSON.stringify(before)}, growth over 8 rounds`,
        growth,
      );
      // One leaked element holds about 1,100 nodes; 40 were made and removed.
      expect(growth.nodes, 'DOM nodes').to.be.below(500);
      expect(growth.listeners, 'event listeners').to.be.below(40);
    });
  }
});
