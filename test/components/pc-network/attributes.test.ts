/**
 * Issue 12, points 5 and 6 and the `target` attribute: each attribute is checked on its own (a
 * bad one is reported and reverted, the good ones apply; properties read what runs), `step(n)`
 * and `step-size` share one set of bounds and report like any attribute, and `target` holds an
 * output class from the start.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/define';
import type { PcErrorDetail, PcNetwork } from '../../../components/index';
import { MAX_STEP_TICKS } from '../../../components/pc-network/config';
import { PARAMS } from '../../../src/index';
import { layerValues, record, shownError, stepTicks, until, withoutUncaught } from '../harness';

/** A `<pc-network>` made from `template`, with every pc-error it sent while being made. */
async function made(template: ReturnType<typeof html>) {
  const errors: string[] = [];
  const onError = (e: CustomEvent<PcErrorDetail>) => errors.push(e.detail.message);
  const wrapper = await fixture<HTMLElement>(html`<div @pc-error=${onError}>${template}</div>`);
  const el = wrapper.querySelector('pc-network')!;
  await el.updateComplete;
  return { el, errors };
}

const button = (el: PcNetwork, text: RegExp) =>
  Array.from(el.shadowRoot!.querySelectorAll('button')).find((b) => text.test(b.textContent!))!;

describe('<pc-network>: each attribute checked on its own', () => {
  it('every attribute of the parameter table takes its default, refuses a value below its range, and is good again once removed', async () => {
    const rows = PARAMS.filter((p) => p.attribute !== null && p.name !== 'layers');
    expect(rows.map((p) => p.attribute)).to.include.members(['dt', 'tau', 'lambda-x', 'seed']);
    const { el, errors: madeErrors } = await made(html`<pc-network layers="3-2"></pc-network>`);
    expect(madeErrors).to.deep.equal([]);
    const errors = record<PcErrorDetail>(el, 'pc-error');
    for (const p of rows) {
      const spec = el.spec as unknown as Record<string, unknown>;
      const shown = p.name === 'nu' ? (spec.nu as number[])[0] : spec[p.name];
      expect(shown, p.name).to.equal(p.default);
      const range = p.range as { kind: string; min?: number };
      const bad = range.min === undefined ? 'no-such-choice' : String(range.min - 1);
      el.setAttribute(p.attribute, bad);
      await el.updateComplete;
      const last = errors[errors.length - 1]?.detail.message;
      expect(last, p.attribute).to.match(new RegExp(`^Invalid ${p.attribute}: .*must be`));
      expect(el.spec as unknown as Record<string, unknown>, p.name).to.deep.include({
        [p.name]: spec[p.name],
      });
      expect(shownError(el), p.attribute).to.match(new RegExp(`Invalid ${p.attribute}:`));
      el.removeAttribute(p.attribute);
      await el.updateComplete;
      // Removed, the attribute takes its default again, and its message goes.
      expect(shownError(el), `${p.attribute} removed`).not.to.match(/Invalid/);
    }
  });

  it('a bad activation is rejected alone: the layers and the mode apply', async () => {
    const { el, errors } = await made(
      html`<pc-network layers="3-2" mode="generate" activation="linear"></pc-network>`,
    );
    expect(el.snapshot.sizes).to.deep.equal([3, 2]);
    expect(el.spec.mode).to.equal('generate');
    expect(el.spec.activation).to.equal('identity');
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(/^Invalid activation: .*identity, tanh, logistic, relu.*"linear"/);
    expect(shownError(el)).to.equal(errors[0]);
    // The property goes back to its last good value (none: the default); the attribute keeps
    // what the page wrote.
    expect(el.activation).to.equal(undefined);
    expect(el.getAttribute('activation')).to.equal('linear');
    expect(el.layers).to.equal('3-2');
    el.activation = 'tanh';
    await el.updateComplete;
    expect(el.spec.activation).to.equal('tanh');
    expect(shownError(el)).to.equal('');
  });

  it('keeps the last good value of a live parameter, and applies the good one beside it', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="4-3" dt="0.002"></pc-network>`);
    const errors = record<PcErrorDetail>(el, 'pc-error');
    el.setAttribute('dt', '-1');
    el.setAttribute('tau', '0.07');
    await el.updateComplete;
    expect(errors.map((e) => e.detail.message)).to.have.length(1);
    expect(errors[0].detail.message).to.match(/^Invalid dt: .*-1/);
    expect(el.dt).to.equal(0.002);
    expect(el.spec.dt).to.equal(0.002);
    expect(el.spec.tau).to.equal(0.07);
    expect(el.tau).to.equal(0.07);
    await stepTicks(el, 3);
    expect(el.snapshot.tick).to.equal(3);
  });

  it('a bad speed reads the speed that runs', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2" speed="300"></pc-network>`);
    const errors = record<PcErrorDetail>(el, 'pc-error');
    el.setAttribute('speed', 'abc');
    await el.updateComplete;
    expect(el.speed).to.equal(300);
    expect(errors[0].detail.message).to.match(/^Invalid speed: .*"abc"/);
    (el as unknown as { speed: unknown }).speed = -4;
    await el.updateComplete;
    expect(el.speed).to.equal(300);
    expect(el.shadowRoot!.querySelector<HTMLInputElement>('input.speed')!.value).to.equal('300');
  });

  it('a nu that no longer fits new layers is reported, and the new layers apply', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network nu="1 1 10"></pc-network>`);
    expect(el.spec.nu).to.deep.equal([1, 1, 10]);
    const errors = record<PcErrorDetail>(el, 'pc-error');
    el.layers = '3-2';
    await el.updateComplete;
    expect(el.snapshot.sizes).to.deep.equal([3, 2]);
    expect(errors).to.have.length(1);
    expect(errors[0].detail.message).to.match(/^Invalid nu: .*one per layer \(2\)/);
    expect(el.spec.nu).to.deep.equal([1, 1]);
  });

  it('a bad preset keeps the last good one and its network', async () => {
    const { el } = await made(html`<pc-network preset="shallow-3-2"></pc-network>`);
    const good = await el.save();
    const errors = record<PcErrorDetail>(el, 'pc-error');
    el.preset = 'nope';
    el.seed = 7;
    await el.updateComplete;
    expect(errors[0].detail.message).to.match(/unknown preset "nope"/);
    expect(el.preset).to.equal('shallow-3-2');
    expect(el.snapshot.sizes).to.deep.equal([3, 2]);
    expect(el.spec.seed).to.equal(7); // the good attribute beside it applies
    expect(await el.save()).to.not.deep.equal(good);
  });
});

describe('<pc-network>: step(n) and step-size, one set of bounds', () => {
  for (const bad of ['0', '-5', '1e9', '2.5', 'abc']) {
    it(`step-size="${bad}" is reported and the last good value stays`, async () => {
      await withoutUncaught(async () => {
        const { el, errors } = await made(
          html`<pc-network layers="3-2" step-size=${bad}></pc-network>`,
        );
        expect(errors).to.have.length(1);
        expect(errors[0]).to.match(/^Invalid step-size: must be an integer from 1 to 1000000/);
        expect(el.stepSize).to.equal(100);
        const stepMany = button(el, /^\s*Step 100\s*$/);
        expect(stepMany, 'the Step N button shows the good value').to.not.equal(undefined);
        stepMany.click();
        await el.updateComplete;
        expect(el.snapshot.tick).to.equal(100);
      });
    });
  }

  it('typing a bad ticks-per-step is reported and the input shows the good value again', async () => {
    await withoutUncaught(async () => {
      const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
      const errors = record<PcErrorDetail>(el, 'pc-error');
      const input = el.shadowRoot!.querySelector<HTMLInputElement>('input.step-size')!;
      input.value = '0';
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await el.updateComplete;
      expect(errors).to.have.length(1);
      expect(input.value).to.equal('100');
      button(el, /Step 100/).click(); // no RangeError, no "Step 0"
      await el.updateComplete;
      expect(el.snapshot.tick).to.equal(100);
      input.value = '7';
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await el.updateComplete;
      expect(el.stepSize).to.equal(7);
      expect(shownError(el)).to.equal('');
    });
  });

  it('step(n) outside 1..1,000,000 sends pc-error, runs nothing and never throws', async () => {
    await withoutUncaught(async () => {
      const el = await fixture<PcNetwork>(html`<pc-network layers="3-2"></pc-network>`);
      const errors = record<PcErrorDetail>(el, 'pc-error');
      for (const n of [0, -5, 2.5, NaN, MAX_STEP_TICKS + 1, 1e9]) el.step(n);
      await el.updateComplete;
      expect(errors).to.have.length(6);
      expect(errors[0].detail.message).to.equal(
        'Invalid step(ticks): must be an integer from 1 to 1000000, got 0',
      );
      expect(el.snapshot.tick).to.equal(0);
      await stepTicks(el, 2);
      expect(el.snapshot.tick).to.equal(2);
      expect(shownError(el)).to.equal('');
    });
  });
});

describe('<pc-network>: target', () => {
  it('generates the target class from the start, alive at first sight', async () => {
    const el = await fixture<PcNetwork>(
      html`<pc-network preset="deep-10-5-3" mode="generate" target="1" autoplay></pc-network>`,
    );
    await until(() => el.snapshot.tick > 20, 'ticks to run without a click');
    expect(el.running).to.equal(true);
    expect(Array.from(el.snapshot.clamped[2])).to.deep.equal([1, 1, 1]);
    expect(layerValues(el, 2)).to.deep.equal([0, 1, 0]);
    expect(
      layerValues(el, 0).some((v) => v !== 0),
      'the input layer moves',
    ).to.equal(true);
    const pressed = el.shadowRoot!.querySelector('button[data-class="1"]')!;
    expect(pressed.getAttribute('aria-pressed')).to.equal('true');
    el.pause();
  });

  it('holds again on a new network; removing it releases the output', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2" target="0"></pc-network>`);
    expect(Array.from(el.snapshot.Y)).to.deep.equal([1, 0]);
    el.layers = '3-4';
    await el.updateComplete;
    expect(Array.from(el.snapshot.clamped[1])).to.deep.equal([1, 1, 1, 1]);
    expect(Array.from(el.snapshot.Y)).to.deep.equal([1, 0, 0, 0]);
    el.removeAttribute('target');
    await el.updateComplete;
    expect(el.target).to.equal(undefined);
    expect(Array.from(el.snapshot.clamped[1])).to.deep.equal([0, 0, 0, 0]);
    expect(Array.from(el.snapshot.Y)).to.deep.equal([0, 0, 0, 0]);
  });

  for (const bad of ['3', '-1', '1.5', 'one']) {
    it(`target="${bad}" on 3 classes is reported, and the output stays free`, async () => {
      const { el, errors } = await made(
        html`<pc-network preset="deep-10-5-3" target=${bad}></pc-network>`,
      );
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(/^Invalid target: must be an integer from 0 to 2, got/);
      expect(el.target).to.equal(undefined);
      expect(Array.from(el.snapshot.clamped[2])).to.deep.equal([0, 0, 0]);
    });
  }
});
