import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../components/define';
import { PcNetwork } from '../../../components/index';
import type {
  PcClampChangeDetail,
  PcDivergedDetail,
  PcErrorDetail,
  PcModeChangeDetail,
} from '../../../components/index';
import { gridShape } from '../../../components/pc-network/views/grid';
import { decodeNetwork, Network } from '../../../src/index';
import { PRESETS } from '../../../src/presets';
import {
  clampInput,
  frames,
  layerValues,
  nodeElement,
  nodeValue,
  record,
  shownError,
  statusField,
  stepTicks,
  withoutUncaught,
} from '../harness';

const INPUT_10 = [0.9, -0.4, 0.2, 1.1, -0.8, 0.3, 0.05, -1.2, 0.6, -0.1];

describe('<pc-network>: shape', () => {
  it('is registered once, and a second registration is a no-op', async () => {
    expect(customElements.get('pc-network')).to.equal(PcNetwork);
    await import('../../../components/pc-network/define');
    expect(customElements.get('pc-network')).to.equal(PcNetwork);
  });

  for (const name of ['shallow-3-2', 'deep-10-5-3']) {
    it(`renders every state and error node of the ${name} preset, with connections`, async () => {
      const el = await fixture<PcNetwork>(html`<pc-network preset=${name}></pc-network>`);
      const sizes = PRESETS[name].spec.layers as number[];
      expect(el.snapshot.sizes).to.deep.equal(sizes);
      sizes.forEach((n, l) => {
        expect(layerValues(el, l, 'x')).to.have.length(n);
        expect(layerValues(el, l, 'eps')).to.have.length(n);
      });
      const edges = el.shadowRoot!.querySelectorAll('[part="edges"]');
      expect(edges).to.have.length(sizes.length - 1);
      const bottom = edges[edges.length - 1]; // drawn output first: the last joins layers 1 and 2
      expect(bottom.querySelectorAll('line')).to.have.length(2 * sizes[0] * sizes[1]); // M and W
      expect(statusField(el, 'tick')).to.equal('0');
      expect(shownError(el)).to.equal('');
    });
  }

  it('draws the mnist preset as a 28 x 28 image and a 20 x 30 grid (construct only)', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="mnist"></pc-network>`);
    const canvas = (layer: number, kind: string) =>
      el.shadowRoot!.querySelector<HTMLCanvasElement>(
        `canvas[data-layer="${layer}"][data-kind="${kind}"]`,
      )!;
    for (const kind of ['x', 'eps']) {
      expect([canvas(0, kind).width, canvas(0, kind).height]).to.deep.equal([28, 28]);
      expect([canvas(1, kind).width, canvas(1, kind).height]).to.deep.equal([30, 20]);
    }
    expect(layerValues(el, 2, 'x')).to.have.length(10);
    expect(layerValues(el, 0, 'x')).to.have.length(0);
    expect(el.shadowRoot!.querySelectorAll('[part="classes"] button[data-class]')).to.have.length(
      10,
    );
  });

  it('passes an accessibility audit', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="deep-10-5-3"></pc-network>`);
    await expect(el).to.be.accessible();
  });
});

describe('<pc-network>: what it shows', () => {
  it('shows, after each step, exactly the values of a standalone Network', async () => {
    const el = await fixture<PcNetwork>(
      html`<pc-network preset="deep-10-5-3" seed="7"></pc-network>`,
    );
    const net = new Network({ ...PRESETS['deep-10-5-3'].spec, seed: 7 });
    net.setInput(INPUT_10);
    await clampInput(el, INPUT_10);
    const compare = () => {
      for (let l = 0; l < net.depth; l++) {
        for (const kind of ['x', 'eps'] as const) {
          const want = Array.from(kind === 'x' ? net.x(l) : net.eps(l));
          expect(layerValues(el, l, kind), `${kind}(${l + 1})`).to.deep.equal(want); // bit for bit
        }
      }
      expect(el.snapshot.energy).to.equal(net.energy());
    };
    const before = nodeValue(el, 0, 0, 'eps');
    net.step(1);
    await stepTicks(el, 1);
    expect(nodeValue(el, 0, 0, 'eps')).to.not.equal(before);
    compare();
    expect(statusField(el, 'tick')).to.equal('1');
    net.step(25);
    await stepTicks(el, 25);
    compare();
    expect(statusField(el, 'energy')).to.not.equal('');
  });

  it('reads a node on focus, and labels it with its values', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
    await clampInput(el, [1, 0, 0]);
    await stepTicks(el, 10);
    const node = nodeElement(el, 0, 1);
    node.focus();
    await el.updateComplete;
    const readout = el.shadowRoot!.querySelector('[part="readout"]')!.textContent!;
    const number = String.raw`-?\d\.\d+(e[-+]\d+)?`;
    // Layers count from 1 (the paper), nodes from 0 within a layer (output node k is class k).
    expect(readout).to.match(new RegExp(`^Layer 1 node 1: x = ${number}, ε = ${number}$`));
    expect(node.getAttribute('aria-label')).to.match(
      new RegExp(`^layer 1 node 1, state ${number}, error ${number}$`),
    );
  });

  it('announces the class that classify() returns', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="deep-10-5-3"></pc-network>`);
    const net = new Network(PRESETS['deep-10-5-3'].spec);
    net.setInput(INPUT_10);
    net.feedForward();
    const top = Array.from(net.x(2));
    const k = await el.classify(INPUT_10);
    expect(k).to.equal(top.indexOf(Math.max(...top)));
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.contain(`class ${k}`);
    expect(statusField(el, 'mode')).to.equal('classify');
  });

  it('sends pc-tick at most once per display frame while playing', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2" speed="6000"></pc-network>`);
    const ticks = record<{ tick: number }>(el, 'pc-tick');
    el.play();
    await frames(12);
    el.pause();
    expect(ticks.length).to.be.within(1, 12);
    expect(ticks.at(-1)!.detail.tick).to.be.greaterThan(ticks.length);
  });
});

describe('<pc-network>: what a person can do', () => {
  it('clamps and releases a node by click, sending pc-clamp-change, and holds it', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
    await clampInput(el, [1, 1, 1]);
    await stepTicks(el, 5);
    const changes = record<PcClampChangeDetail>(el, 'pc-clamp-change');
    nodeElement(el, 0, 1).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    await el.updateComplete;
    const held = nodeValue(el, 0, 1);
    expect(changes.map((e) => e.detail)).to.deep.equal([
      { layer: 0, indices: [1], values: [held], clamped: true },
    ]);
    await stepTicks(el, 50);
    expect(nodeValue(el, 0, 1)).to.equal(held);
    expect(nodeValue(el, 0, 0)).to.not.equal(held); // a free neighbour moves on
    expect(nodeElement(el, 0, 1).getAttribute('aria-label')).to.match(/, clamped$/);

    nodeElement(el, 0, 1).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    expect(changes[1].detail.clamped).to.equal(false);
    await stepTicks(el, 5);
    expect(nodeValue(el, 0, 1)).to.not.equal(held);
  });

  it('clamps by keyboard: Enter on a focused node, Down arrow lowers it, Space plays', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
    const changes = record<PcClampChangeDetail>(el, 'pc-clamp-change');
    nodeElement(el, 1, 0).focus();
    await sendKeys({ press: 'Enter' });
    expect(changes).to.have.length(1);
    expect(changes[0].detail).to.include({ layer: 1, clamped: true });
    await el.updateComplete;
    expect(nodeValue(el, 1, 0)).to.equal(1); // a node at rest is held at 1
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(nodeValue(el, 1, 0)).to.be.closeTo(0.9, 1e-6);
    await stepTicks(el, 20);
    expect(nodeValue(el, 1, 0)).to.be.closeTo(0.9, 1e-6);
    const count = changes.length;
    await sendKeys({ press: ' ' }); // Space on a node plays, as everywhere, and keeps the clamp
    expect(el.running).to.equal(true);
    expect(changes).to.have.length(count);
    await sendKeys({ press: ' ' });
    expect(el.running).to.equal(false);
    await sendKeys({ press: 'Enter' }); // Enter releases it
    expect(changes.at(-1)!.detail.clamped).to.equal(false);
  });

  it('Space plays and pauses, Right arrow steps, and keys outside are left alone', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div><button id="outside">outside</button><pc-network layers="3-2"></pc-network></div>`,
    );
    const el = wrapper.querySelector('pc-network')!;
    el.shadowRoot!.querySelector<HTMLElement>('[part="stage"]')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await el.updateComplete;
    expect(el.snapshot.tick).to.equal(1);
    await sendKeys({ press: ' ' });
    expect(el.running).to.equal(true);
    await sendKeys({ press: ' ' });
    expect(el.running).to.equal(false);
    await el.updateComplete;
    const tick = el.snapshot.tick;
    wrapper.querySelector<HTMLElement>('#outside')!.focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: ' ' });
    await el.updateComplete;
    expect(el.snapshot.tick).to.equal(tick);
    expect(el.running).to.equal(false);
  });

  it('switches mode from the select, sending pc-mode-change and keeping the state', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="deep-10-5-3"></pc-network>`);
    await clampInput(el, INPUT_10);
    await stepTicks(el, 30);
    const before = [layerValues(el, 0), layerValues(el, 1)];
    const modes = record<PcModeChangeDetail>(el, 'pc-mode-change');
    const select = el.shadowRoot!.querySelector<HTMLSelectElement>('select.mode')!;
    select.value = 'generate';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await el.updateComplete;
    expect(modes.map((e) => e.detail)).to.deep.equal([{ mode: 'generate' }]);
    expect(el.spec.mode).to.equal('generate');
    expect(statusField(el, 'mode')).to.equal('generate');
    expect(statusField(el, 'tick')).to.equal('30');
    expect([layerValues(el, 0), layerValues(el, 1)]).to.deep.equal(before);
  });

  it('sends no event for what the host sets', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
    const modes = record(el, 'pc-mode-change');
    const clamps = record(el, 'pc-clamp-change');
    el.mode = 'generate';
    el.clampNode(0, 0, 0.5);
    el.clampOutput(1);
    await el.updateComplete;
    expect(el.snapshot.mode).to.equal('generate');
    expect(nodeValue(el, 0, 0)).to.equal(0.5);
    expect(modes).to.have.length(0);
    expect(clamps).to.have.length(0);
  });

  it('clamps the output to a class from its button', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="shallow-3-2"></pc-network>`);
    const changes = record<PcClampChangeDetail>(el, 'pc-clamp-change');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-class="1"]')!.click();
    await el.updateComplete;
    expect(changes[0].detail).to.deep.equal({
      layer: 1,
      indices: [0, 1],
      values: [0, 1],
      clamped: true,
    });
    expect(layerValues(el, 1)).to.deep.equal([0, 1]);
    const button = el.shadowRoot!.querySelector('button[data-class="1"]')!;
    expect(button.getAttribute('aria-pressed')).to.equal('true');
  });
});

describe('<pc-network>: bad input', () => {
  const cases: [string, ReturnType<typeof html>, RegExp][] = [
    ['layers="abc"', html`<pc-network layers="abc"></pc-network>`, /Invalid layers:.*"abc"/],
    ['dt="-1"', html`<pc-network dt="-1"></pc-network>`, /Invalid dt:.*got -1/],
    ['preset="nope"', html`<pc-network preset="nope"></pc-network>`, /unknown preset "nope"/],
    ['lambda-x="abc"', html`<pc-network lambda-x="abc"></pc-network>`, /Invalid lambda-x:/],
    ['mode="sleep"', html`<pc-network mode="sleep"></pc-network>`, /Invalid mode:/],
    ['speed="0"', html`<pc-network speed="0"></pc-network>`, /Invalid speed:/],
    ['engine="gpu"', html`<pc-network engine="gpu"></pc-network>`, /Invalid engine:.*"gpu"/],
  ];
  for (const [name, template, pattern] of cases) {
    it(`${name}: shows a message, sends pc-error, keeps a working network`, async () => {
      await withoutUncaught(async () => {
        const errors: string[] = [];
        const onError = (e: CustomEvent<PcErrorDetail>) => errors.push(e.detail.message);
        const wrapper = await fixture<HTMLElement>(
          html`<div @pc-error=${onError}>${template}</div>`,
        );
        const el = wrapper.querySelector('pc-network')!;
        await el.updateComplete;
        expect(errors).to.have.length(1);
        expect(errors[0]).to.match(pattern);
        expect(shownError(el)).to.equal(errors[0]);
        await stepTicks(el, 1);
        expect(el.snapshot.tick).to.equal(1);
      });
    });
  }

  it('keeps the last good network when an attribute turns bad, and recovers', async () => {
    await withoutUncaught(async () => {
      const el = await fixture<PcNetwork>(html`<pc-network layers="4-3"></pc-network>`);
      const good = await el.save();
      const errors = record<PcErrorDetail>(el, 'pc-error');
      el.setAttribute('layers', 'abc');
      await el.updateComplete;
      expect(await el.save()).to.deep.equal(good);
      expect(errors).to.have.length(1);
      expect(shownError(el)).to.contain('Invalid layers');
      el.setAttribute('layers', '4-2');
      await el.updateComplete;
      expect(el.snapshot.sizes).to.deep.equal([4, 2]);
      expect(shownError(el)).to.equal('');
    });
  });

  it('rejects a bad file, keeping the network; loads a good one', async () => {
    await withoutUncaught(async () => {
      const source = await fixture<PcNetwork>(
        html`<pc-network layers="4-3" seed="9"></pc-network>`,
      );
      const bytes = await source.save();
      const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
      const kept = await el.save();
      const errors = record<PcErrorDetail>(el, 'pc-error');
      expect(await el.load(new Uint8Array([1, 2, 3]))).to.equal(false);
      await el.updateComplete;
      expect(await el.save()).to.deep.equal(kept);
      expect(errors).to.have.length(1);
      expect(shownError(el)).to.match(/Could not load the network: weights file/);

      expect(await el.load(bytes)).to.equal(true);
      await el.updateComplete;
      expect(el.snapshot.sizes).to.deep.equal([4, 3]);
      expect(await el.save()).to.deep.equal(bytes);
      expect(shownError(el)).to.equal('');
      el.dt = 0.002; // a live change keeps the loaded weights
      await el.updateComplete;
      const live = decodeNetwork(await el.save());
      expect(live.M).to.deep.equal(decodeNetwork(bytes).M);
      expect(el.spec.dt).to.equal(0.002);
      expect(live.spec.dt).to.equal(0.002);
    });
  });

  it('pauses on divergence, shows why and sends pc-diverged', async () => {
    await withoutUncaught(async () => {
      const el = await fixture<PcNetwork>(
        html`<pc-network layers="3-2" dt="5" tau="0.05" mode="generate" speed="600"></pc-network>`,
      );
      el.clampOutput(0);
      el.play();
      const event = await oneEvent(el, 'pc-diverged');
      const detail = event.detail as PcDivergedDetail;
      expect(detail.layer).to.be.within(0, 1);
      expect(detail.tick).to.be.greaterThan(0);
      expect(detail.message).to.match(/diverged at tick/);
      expect(el.running).to.equal(false);
      await el.updateComplete;
      expect(shownError(el)).to.contain('diverged');
      const tick = el.snapshot.tick;
      expect(tick).to.equal(detail.tick - 1); // the last finite state
      await frames(3);
      expect(el.snapshot.tick).to.equal(tick);
    });
  });
});

describe('<pc-network> internals', () => {
  it('lays large layers out as images and landscape grids', () => {
    expect(gridShape(784)).to.deep.equal({ rows: 28, cols: 28 });
    expect(gridShape(600)).to.deep.equal({ rows: 20, cols: 30 });
    expect(gridShape(97)).to.deep.equal({ rows: 10, cols: 10 }); // a prime: a ragged last row
  });
});
