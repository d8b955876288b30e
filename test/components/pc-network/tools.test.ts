import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../components/define';
import type {
  PcClampChangeDetail,
  PcErrorDetail,
  PcLoadDetail,
  PcModeChangeDetail,
  PcNetwork,
} from '../../../components/index';
import { brush } from '../../../components/pc-network/drawing';
import { decodeNetwork, Network } from '../../../src/index';
import { PRESETS } from '../../../src/presets';
import {
  clampInput,
  drawCanvas,
  drawStroke,
  layerValues,
  parameterInput,
  record,
  setParameter,
  shownError,
  stepTicks,
  until,
} from '../harness';

const INPUT_10 = [0.9, -0.4, 0.2, 1.1, -0.8, 0.3, 0.05, -1.2, 0.6, -0.1];
const pixel = (image: ArrayLike<number>, col: number, row: number) => image[row * 28 + col];

/** A `<pc-network>` made from `template` inside a wrapper that records its events from the start. */
async function withEvents(template: ReturnType<typeof html>) {
  const errors: string[] = [];
  const loads: string[] = [];
  const wrapper = await fixture<HTMLElement>(
    html`<div
      @pc-error=${(e: CustomEvent<PcErrorDetail>) => errors.push(e.detail.message)}
      @pc-load=${(e: CustomEvent<PcLoadDetail>) => loads.push(e.detail.source)}
    >
      ${template}
    </div>`,
  );
  return { el: wrapper.querySelector('pc-network')!, errors, loads };
}

/** Resolves when `el` sends `pc-load` or `pc-error`, with which one it was. */
function loadOutcome(el: PcNetwork): Promise<'pc-load' | 'pc-error'> {
  return Promise.race([
    oneEvent(el, 'pc-load').then(() => 'pc-load' as const),
    oneEvent(el, 'pc-error').then(() => 'pc-error' as const),
  ]);
}

async function savedBytes(template: ReturnType<typeof html>): Promise<Uint8Array> {
  return (await fixture<PcNetwork>(template)).save();
}

describe('<pc-network>: drawing a digit', () => {
  it('paints a soft brush of radius 1.5 pixels, values in [0, 1]', () => {
    const image = new Float32Array(784);
    brush(image, 28, 10.5, 5.5, 1.5);
    expect(pixel(image, 10, 5)).to.equal(1);
    expect(pixel(image, 11, 5)).to.be.closeTo(1 - 1 / 2.25, 1e-6);
    expect(pixel(image, 11, 6)).to.be.closeTo(1 - 2 / 2.25, 1e-6);
    expect(pixel(image, 12, 5)).to.equal(0);
    expect(Array.from(image).filter((v) => v > 0)).to.have.length(9);
  });

  it('clamps the stroke as the input through clampInput on pointerup, sending pc-clamp-change', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="mnist"></pc-network>`);
    const inputs: number[][] = [];
    const clampInputOf = el.clampInput;
    el.clampInput = (values) => {
      inputs.push(Array.from(values));
      clampInputOf.call(el, values);
    };
    const changes = record<PcClampChangeDetail>(el, 'pc-clamp-change');
    drawStroke(el, [
      [8.5, 7.5],
      [19.5, 7.5],
    ]);
    expect(changes).to.have.length(1);
    const { layer, indices, values, clamped } = changes[0].detail;
    expect([layer, clamped, indices.length, values.length]).to.deep.equal([0, true, 784, 784]);
    expect(inputs).to.deep.equal([values]); // the public path a program takes
    for (let col = 8; col <= 19; col++) expect(pixel(values, col, 7)).to.be.above(0.95);
    expect(pixel(values, 14, 8)).to.be.within(0.3, 0.9); // the soft edge
    expect(pixel(values, 14, 10)).to.equal(0);
    expect(values.every((v) => v >= 0 && v <= 1)).to.equal(true);
    await el.updateComplete;
    expect(Array.from(el.snapshot.X)).to.deep.equal(values.map(Math.fround));
    expect(el.snapshot.mode).to.equal('classify');
  });

  it('shows the drawing on the state canvas until the network moves on', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="mnist"></pc-network>`);
    drawStroke(el, [
      [3, 3],
      [3, 20],
    ]);
    await el.updateComplete;
    const context = drawCanvas(el).getContext('2d')!;
    const rgb = (col: number, row: number) => Array.from(context.getImageData(col, row, 1, 1).data);
    expect(rgb(3, 10)).to.not.deep.equal(rgb(20, 10)); // drawn, though x(1) is still 0
    await stepTicks(el, 1);
    expect(rgb(3, 10)).to.deep.equal(rgb(20, 10)); // x(1) itself: still 0 (ε(1) moves first)
    await stepTicks(el, 1);
    expect(el.snapshot.x[0][10 * 28 + 3]).to.be.greaterThan(0); // x(1) follows X
    expect(rgb(3, 10)).to.not.deep.equal(rgb(20, 10));
  });

  it('switches generate mode (α = 0, where X does nothing) to classify', async () => {
    const el = await fixture<PcNetwork>(
      html`<pc-network preset="mnist" mode="generate"></pc-network>`,
    );
    const modes = record<PcModeChangeDetail>(el, 'pc-mode-change');
    drawStroke(el, [[14, 14]], { pointerType: 'pen' });
    expect(modes.map((e) => e.detail)).to.deep.equal([{ mode: 'classify' }]);
    await el.updateComplete;
    expect(el.snapshot.mode).to.equal('classify'); // α = 1
  });

  it('ignores other buttons, and other networks', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="mnist"></pc-network>`);
    const changes = record(el, 'pc-clamp-change');
    drawStroke(el, [[14, 14]], { button: 2 });
    expect(changes).to.have.length(0);
    const small = await fixture<PcNetwork>(html`<pc-network layers="100-10"></pc-network>`);
    expect(small.shadowRoot!.querySelector('canvas[data-draw]')).to.equal(null);
    expect(small.shadowRoot!.querySelector('button.clear')).to.equal(null);
  });

  it('adds strokes to the input a program clamped, and Clear sets it to zero', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="mnist"></pc-network>`);
    const digit = new Float32Array(784);
    digit[5 * 28 + 5] = 0.75;
    digit[6 * 28 + 6] = 2; // shown and drawn on as 1
    await clampInput(el, digit);
    drawStroke(el, [[20.5, 20.5]]);
    await el.updateComplete;
    expect(el.snapshot.X[5 * 28 + 5]).to.equal(0.75);
    expect(el.snapshot.X[6 * 28 + 6]).to.equal(1);
    expect(el.snapshot.X[20 * 28 + 20]).to.equal(1);
    const changes = record<PcClampChangeDetail>(el, 'pc-clamp-change');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button.clear')!.click();
    await el.updateComplete;
    expect(el.snapshot.X.every((v) => v === 0)).to.equal(true);
    expect(changes[0].detail.values.every((v) => v === 0)).to.equal(true);
  });
});

describe('<pc-network>: the Parameters panel', () => {
  it('changes τ on the running network: the tick is kept and the next step uses k = dt/τ', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="deep-10-5-3"></pc-network>`);
    const net = new Network(PRESETS['deep-10-5-3'].spec);
    net.setInput(INPUT_10);
    await clampInput(el, INPUT_10);
    net.step(20);
    await stepTicks(el, 20);
    const panel = el.shadowRoot!.querySelector<HTMLDetailsElement>('details[part="parameters"]')!;
    expect(panel.open).to.equal(false);
    expect(parameterInput(el, 'tau').value).to.equal('0.02');
    await setParameter(el, 'tau', '0.05');
    expect(el.snapshot.tick).to.equal(20);
    expect(el.getAttribute('tau')).to.equal('0.05');
    expect(el.spec.tau).to.equal(0.05);
    net.setParams({ tau: 0.05 });
    net.step(1);
    await stepTicks(el, 1); // the same network went on: bit for bit with `net`
    for (let l = 0; l < net.depth; l++) {
      expect(layerValues(el, l)).to.deep.equal(Array.from(net.x(l)));
      expect(layerValues(el, l, 'eps')).to.deep.equal(Array.from(net.eps(l)));
    }
  });

  it('sets every live parameter, ν per layer too, and reflects each to its attribute', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="4-3-2"></pc-network>`);
    const changes: [string, string, string][] = [
      ['dt', '0.002', 'dt'],
      ['lambdaX', '0.1', 'lambda-x'],
      ['lambdaM', '0.2', 'lambda-m'],
      ['lambdaW', '0.3', 'lambda-w'],
      ['nu', '1, 1, 10', 'nu'],
    ];
    for (const [key, text] of changes) await setParameter(el, key, text);
    expect(changes.map(([, , attribute]) => el.getAttribute(attribute))).to.deep.equal([
      '0.002',
      '0.1',
      '0.2',
      '0.3',
      '1 1 10',
    ]);
    const { dt, lambdaX, lambdaM, lambdaW, nu } = el.spec;
    expect({ dt, lambdaX, lambdaM, lambdaW, nu }).to.deep.equal({
      dt: 0.002,
      lambdaX: 0.1,
      lambdaM: 0.2,
      lambdaW: 0.3,
      nu: [1, 1, 10],
    });
    expect(parameterInput(el, 'nu').value).to.equal('1 1 10');
    expect(shownError(el)).to.equal('');
  });

  it('rejects a bad value: shows why, sends pc-error and keeps the last good value', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="3-2" tau="0.1"></pc-network>`);
    const errors = record<PcErrorDetail>(el, 'pc-error');
    await setParameter(el, 'tau', '-1');
    expect(errors).to.have.length(1);
    expect(errors[0].detail.message).to.match(/^Invalid tau: .*-1/);
    expect(shownError(el)).to.equal(errors[0].detail.message);
    expect(parameterInput(el, 'tau').value).to.equal('0.1');
    expect(el.getAttribute('tau')).to.equal('0.1');
    expect(el.spec.tau).to.equal(0.1);
    await setParameter(el, 'nu', '1 2 3');
    expect(errors[1].detail.message).to.match(/^Invalid nu:/);
    expect(parameterInput(el, 'nu').value).to.equal('1');
    await setParameter(el, 'tau', '0.2'); // a good value clears its own message only
    expect(shownError(el)).to.equal(errors[1].detail.message);
    expect(el.spec.tau).to.equal(0.2);
    await setParameter(el, 'nu', '2');
    expect(shownError(el)).to.equal('');
  });
});

describe('<pc-network>: Save and Load', () => {
  it('Save downloads the bytes of save() as network.safetensors', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network layers="4-3" seed="5"></pc-network>`);
    const blobs: Blob[] = [];
    const anchors: HTMLAnchorElement[] = [];
    const { createObjectURL } = URL;
    const { click } = HTMLAnchorElement.prototype;
    URL.createObjectURL = (blob: Blob) => (blobs.push(blob), 'blob:stub');
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      anchors.push(this);
    };
    try {
      el.shadowRoot!.querySelector<HTMLButtonElement>('button.save')!.click();
      await until(() => anchors.length > 0, 'the download'); // save() asks the worker
    } finally {
      URL.createObjectURL = createObjectURL;
      HTMLAnchorElement.prototype.click = click;
    }
    expect(blobs).to.have.length(1);
    expect(anchors.map((a) => [a.download, a.getAttribute('href')])).to.deep.equal([
      ['network.safetensors', 'blob:stub'],
    ]);
    expect(new Uint8Array(await blobs[0].arrayBuffer())).to.deep.equal(await el.save());
  });

  it('Load reads the chosen file; a bad one is reported and the network kept', async () => {
    const good = await savedBytes(html`<pc-network layers="5-4" seed="3"></pc-network>`);
    const { el, errors, loads } = await withEvents(html`<pc-network layers="3-2"></pc-network>`);
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('input[type="file"]')!;
    expect(input.accept).to.equal('.safetensors');
    expect(input.closest('label')!.textContent!.trim()).to.equal('Load network…');
    const choose = async (bytes: Uint8Array, name: string) => {
      const files = new DataTransfer();
      files.items.add(new File([bytes as BlobPart], name));
      input.files = files.files;
      const outcome = loadOutcome(el);
      input.dispatchEvent(new Event('change', { bubbles: true }));
      return outcome;
    };
    const kept = await el.save();
    expect(await choose(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 'bad.safetensors')).to.equal(
      'pc-error',
    );
    await el.updateComplete;
    expect(await el.save()).to.deep.equal(kept);
    expect(errors[0]).to.match(/^Could not load the network: /);
    expect(shownError(el)).to.equal(errors[0]);
    expect(await choose(good, 'good.safetensors')).to.equal('pc-load');
    await el.updateComplete;
    expect(loads).to.deep.equal(['good.safetensors']);
    expect(el.snapshot.sizes).to.deep.equal([5, 4]);
    expect(shownError(el)).to.equal('');
  });
});

describe('<pc-network>: src', () => {
  it('loads the file at src (a blob: URL of saved bytes)', async () => {
    const source = await fixture<PcNetwork>(html`<pc-network layers="6-4" seed="11"></pc-network>`);
    const url = URL.createObjectURL(new Blob([(await source.save()) as BlobPart]));
    try {
      const { el, errors, loads } = await withEvents(html`<pc-network src=${url}></pc-network>`);
      if (loads.length === 0) await oneEvent(el, 'pc-load');
      await el.updateComplete;
      expect(loads).to.deep.equal([url]);
      expect(errors).to.deep.equal([]);
      expect(el.snapshot.sizes).to.deep.equal([6, 4]);
      expect(decodeNetwork(await el.save()).M).to.deep.equal(decodeNetwork(await source.save()).M);
    } finally {
      URL.revokeObjectURL(url);
    }
  });

  it('a 404 shows the message, sends pc-error and keeps the network', async () => {
    const { el, errors } = await withEvents(
      html`<pc-network layers="3-2" src="/no-such-weights.safetensors"></pc-network>`,
    );
    if (errors.length === 0) await oneEvent(el, 'pc-error');
    await el.updateComplete;
    expect(errors).to.have.length(1);
    expect(errors[0]).to.match(/^Could not fetch \/no-such-weights\.safetensors: HTTP 404/);
    expect(shownError(el)).to.equal(errors[0]);
    expect(el.snapshot.sizes).to.deep.equal([3, 2]);
    await stepTicks(el, 1);
    expect(el.snapshot.tick).to.equal(1);
  });

  it('a corrupt file is reported; a later src replaces the network, and a bad one keeps it', async () => {
    const { el, errors, loads } = await withEvents(
      html`<pc-network
        layers="3-2"
        src="data:application/octet-stream;base64,AQIDBAUGBwgJ"
      ></pc-network>`,
    );
    if (errors.length === 0) await oneEvent(el, 'pc-error');
    expect(errors[0]).to.match(/^Could not load the network: /);
    expect(el.snapshot.sizes).to.deep.equal([3, 2]);

    const good = await savedBytes(html`<pc-network layers="4-4-2"></pc-network>`);
    const url = URL.createObjectURL(new Blob([good as BlobPart]));
    try {
      const loaded = oneEvent(el, 'pc-load');
      el.src = url;
      await loaded;
      await el.updateComplete;
      expect(el.snapshot.sizes).to.deep.equal([4, 4, 2]);
      expect(shownError(el)).to.equal('');
      const kept = await el.save();
      const failed = oneEvent(el, 'pc-error');
      el.setAttribute('src', '/still-no-such-file.safetensors');
      await failed;
      expect(await el.save()).to.deep.equal(kept);
      expect(loads).to.deep.equal([url]);
    } finally {
      URL.revokeObjectURL(url);
    }
  });
});

describe('<pc-network>: accessibility of the tools', () => {
  it('passes an audit with the plots, the open Parameters panel and a drawable input', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network preset="mnist"></pc-network>`);
    el.shadowRoot!.querySelector<HTMLDetailsElement>('details[part="parameters"]')!.open = true;
    drawStroke(el, [
      [10, 10],
      [18, 18],
    ]);
    await stepTicks(el, 2);
    const labels = Array.from(el.shadowRoot!.querySelectorAll('[data-param]'), (input) =>
      input.closest('label')!.textContent!.replace(/\s+/g, ' ').trim(),
    );
    expect(labels).to.deep.equal([
      'dt time step, s',
      'τ time constant, s',
      'λx activity decay',
      'λM M weight decay',
      'λW W weight decay',
      'ν variance (one, or per layer)',
    ]);
    await expect(el).to.be.accessible();
  });
});
