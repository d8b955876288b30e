import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/define';
import { PcPlot, type PcNetwork } from '../../../components/index';
import { SeriesBuffer } from '../../../components/pc-plot/series-buffer';
import { Network } from '../../../src/index';
import { PRESETS } from '../../../src/presets';
import { clampInput, frames, plotOf, stepTicks } from '../harness';

const INPUT_10 = [0.9, -0.4, 0.2, 1.1, -0.8, 0.3, 0.05, -1.2, 0.6, -0.1];

describe('SeriesBuffer', () => {
  it('keeps the newest `capacity` points, oldest first, in the same arrays once full', () => {
    const buffer = new SeriesBuffer(2, 3);
    expect(buffer.data.map((c) => c.length)).to.deep.equal([0, 0, 0]);
    for (let t = 0; t < 3; t++) buffer.push(t, [10 * t, -t]);
    const full = buffer.data;
    expect(full.map((c) => Array.from(c))).to.deep.equal([
      [0, 1, 2],
      [0, 10, 20],
      [-0, -1, -2],
    ]);
    buffer.push(3, [30, -3]);
    buffer.push(4, [40]); // a missing value is a gap
    expect(buffer.data).to.equal(full); // no new arrays per point
    expect(Array.from(buffer.data[0])).to.deep.equal([2, 3, 4]);
    expect(Array.from(buffer.data[1])).to.deep.equal([20, 30, 40]);
    expect(buffer.latest(2)).to.satisfy(Number.isNaN);
    expect(buffer.length).to.equal(3);
    buffer.clear();
    expect(buffer.length).to.equal(0);
    expect(buffer.latest(0)).to.satisfy(Number.isNaN);
    expect(() => new SeriesBuffer(1, 1)).to.throw(RangeError);
  });
});

describe('<pc-plot>', () => {
  it('is registered, draws with uPlot in its shadow root, and names the chart by its values', async () => {
    expect(customElements.get('pc-plot')).to.equal(PcPlot);
    await import('../../../components/pc-plot/define'); // a second registration is a no-op
    const plot = await fixture<PcPlot>(
      html`<pc-plot label="Norms" .series=${['a', 'b']} capacity="4"></pc-plot>`,
    );
    const chart = plot.shadowRoot!.querySelector('[part="chart"]')!;
    expect(chart.getAttribute('role')).to.equal('img');
    expect(chart.getAttribute('aria-label')).to.equal('Norms: no data yet');
    expect(chart.querySelectorAll('.uplot canvas')).to.have.length(1);
    for (let t = 0; t < 6; t++) plot.push(t / 10, [t, -t / 1000]);
    await plot.updateComplete;
    expect(plot.length).to.equal(4);
    expect([plot.latestX, plot.latest(0), plot.latest(1)]).to.deep.equal([0.5, 5, -0.005]);
    expect(chart.getAttribute('aria-label')).to.equal(
      'Norms: a 5.000, b -0.005 at 0.500 s (last 4 points)',
    );
    const legend = plot.shadowRoot!.querySelector('[part="legend"]')!;
    expect(legend.getAttribute('aria-hidden')).to.equal('true');
    expect(legend.textContent!.replace(/\s+/g, ' ').trim()).to.equal('a 5.000 b -0.005');
    await expect(plot).to.be.accessible();
  });

  it('keeps points pushed before its first update, and starts over when the series change', async () => {
    const plot = document.createElement('pc-plot');
    plot.series = ['F'];
    plot.push(0, [1]);
    plot.push(1, [2]);
    const wrapper = await fixture<HTMLElement>(html`<div></div>`);
    wrapper.append(plot);
    await plot.updateComplete;
    expect(plot.length).to.equal(2);
    plot.series = ['F', 'G'];
    await plot.updateComplete;
    expect(plot.length).to.equal(0);
  });

  it('lets go of its chart when removed and draws again when inserted', async () => {
    const wrapper = await fixture<HTMLElement>(
      html`<div><pc-plot label="F" .series=${['F']}></pc-plot></div>`,
    );
    const plot = wrapper.querySelector('pc-plot')!;
    plot.push(0, [1]);
    plot.push(1, [3]);
    await plot.updateComplete;
    plot.remove();
    expect(plot.shadowRoot!.querySelector('.uplot')).to.equal(null);
    wrapper.append(plot);
    await plot.updateComplete;
    expect(plot.shadowRoot!.querySelectorAll('.uplot')).to.have.length(1);
    expect(plot.length).to.equal(2);
  });
});

describe('<pc-network>: plots', () => {
  it('plots F (eq. 2.7) and every ‖ε(i)‖ as a standalone Network computes them', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="deep-10-5-3"></pc-network>`);
    const net = new Network(PRESETS['deep-10-5-3'].spec);
    const energy = plotOf(el, 'energy');
    const errors = plotOf(el, 'errors');
    expect(energy.getAttribute('part')).to.equal('plot');
    expect(errors.series).to.deep.equal(['‖ε(1)‖', '‖ε(2)‖', '‖ε(3)‖']);
    expect(energy.length).to.equal(1); // tick 0
    net.setInput(INPUT_10);
    await clampInput(el, INPUT_10);
    for (const n of [5, 20]) {
      net.step(n);
      await stepTicks(el, n);
      await energy.updateComplete;
      expect(energy.latestX).to.be.closeTo(net.time, 1e-12);
      expect(energy.latest(0)).to.be.closeTo(net.energy(), 1e-9);
      for (let l = 0; l < net.depth; l++) {
        const norm = Math.hypot(...net.eps(l));
        expect(errors.latest(l)).to.be.closeTo(norm, 1e-6);
      }
    }
    expect(energy.length).to.equal(3);
    const label = energy.shadowRoot!.querySelector('[part="chart"]')!.getAttribute('aria-label');
    expect(label).to.match(/^Energy F: F -?\d\.\d{3} at 0\.025 s \(last 3 points\)$/);
  });

  it('adds at most one point per display frame while playing, and starts over on reset', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2" speed="6000"></pc-network>`);
    await clampInput(el, [1, 0, -1]);
    el.play();
    await frames(10);
    el.pause();
    await el.updateComplete;
    const energy = plotOf(el, 'energy');
    expect(energy.length).to.be.within(2, 12);
    expect(el.snapshot.tick).to.be.greaterThan(energy.length);
    el.reset();
    await el.updateComplete;
    expect(energy.length).to.equal(1);
    expect(energy.latestX).to.equal(0);
  });

  it('starts over, with one series per layer, when the network is replaced', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
    await stepTicks(el, 3);
    el.layers = '4-3-2-2';
    await el.updateComplete;
    const errors = plotOf(el, 'errors');
    await errors.updateComplete;
    expect(errors.series).to.have.length(4);
    expect(errors.length).to.equal(1);
  });
});
