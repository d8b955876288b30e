/**
 * Issue 12, point 10 and "plain words" (the element's part): theming properties do what their
 * documentation says, numbering agrees between class buttons and nodes, a divergence message
 * goes once the run is good again, and every term shown has a one-line meaning.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../components/define';
import type { PcNetwork } from '../../../components/index';
import { GLOSSARY } from '../../../components/pc-network/views/glossary';
import { nodeElement, nodeValue, shownError, until } from '../harness';

describe('<pc-network>: theming does what the docs say', () => {
  for (const size of [22, 30]) {
    it(`--pc-node-size: ${size}px is the diameter of a state node`, async () => {
      const el = await fixture<PcNetwork>(
        html`<pc-network layers="3-2" style="--pc-node-size: ${size}px"></pc-network>`,
      );
      const box = nodeElement(el, 0, 0).getBoundingClientRect();
      expect(box.width).to.be.closeTo(size, 0.6);
      expect(box.height).to.be.closeTo(size, 0.6);
    });
  }

  it('--pc-font takes a whole font; --pc-font-family a family at the default size', async () => {
    const el = await fixture<PcNetwork>(
      html`<pc-network layers="3-2" style="--pc-font: italic 20px/1.5 serif"></pc-network>`,
    );
    const dd = () => getComputedStyle(el.shadowRoot!.querySelector('.status dd')!);
    expect(dd().fontSize).to.equal('20px');
    expect(dd().fontStyle).to.equal('italic');
    expect(dd().fontFamily).to.equal('serif');
    el.setAttribute('style', '--pc-font-family: monospace');
    expect(dd().fontFamily).to.equal('monospace');
    expect(dd().fontSize).to.equal('14px'); // 0.875rem
  });
});

describe('<pc-network>: numbering', () => {
  it('class button k clamps output node k, and the node says so', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="deep-10-5-3"></pc-network>`);
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-class="2"]')!.click();
    await el.updateComplete;
    expect(nodeValue(el, 2, 2)).to.equal(1);
    expect(nodeElement(el, 2, 2).getAttribute('aria-label')).to.match(
      /^layer 3 node 2, state 1\.0+, .*clamped$/,
    );
    expect(nodeElement(el, 2, 0).getAttribute('aria-label')).to.match(/^layer 3 node 0,/);
  });
});

describe('<pc-network>: divergence', () => {
  it('clears the "diverged" message once dt is fixed and the run moves on', async () => {
    const el = await fixture<PcNetwork>(
      html`<pc-network layers="3-2" dt="5" mode="generate" speed="600"></pc-network>`,
    );
    el.clampOutput(0);
    el.play();
    await oneEvent(el, 'pc-diverged');
    await el.updateComplete;
    expect(shownError(el)).to.contain('diverged');
    el.dt = 0.001;
    el.play();
    await until(() => shownError(el) === '', 'the message to go');
    expect(el.running).to.equal(true);
    el.pause();
  });
});

describe('<pc-network>: plain words', () => {
  const terms = (el: PcNetwork) =>
    Array.from(el.shadowRoot!.querySelectorAll<HTMLElement>('.term[data-term]'));

  it('explains every term it shows: tooltip, accessible description, and on a tap', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
    await el.updateComplete; // the weights, and so the M/W legend, arrive with a snapshot
    const shown = new Set(terms(el).map((t) => t.dataset.term));
    for (const key of ['energy', 'equilibrium', 'lines', 'ticks', 'lambda', 'nu']) {
      expect(shown.has(key), key).to.equal(true);
    }
    for (const t of terms(el)) {
      const key = t.dataset.term as keyof typeof GLOSSARY;
      expect(t.title).to.equal(GLOSSARY[key]);
      const description = el.shadowRoot!.getElementById(t.getAttribute('aria-describedby')!);
      expect(description?.textContent).to.equal(GLOSSARY[key]);
      t.click();
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part="readout"]')!.textContent!.trim()).to.equal(
        GLOSSARY[key],
      );
    }
    const plots = el.shadowRoot!.querySelectorAll<HTMLElement>('pc-plot');
    expect(Array.from(plots, (p) => p.title)).to.deep.equal([GLOSSARY.energy, GLOSSARY.eps]);
  });
});
