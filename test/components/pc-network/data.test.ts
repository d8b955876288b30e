import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../../components/define';
import type { PcNetwork } from '../../../components/index';
import type { PcDataDetail, PcTrainEndDetail } from '../../../components/pc-network/events';
import type { Dataset } from '../../../src/data/dataset';
import { classifyAccuracy } from '../../../src/experiments/e3';
import {
  applyScaling,
  decodeNetwork,
  Network,
  prepareTraining,
  resolveSpec,
  TrainingRun,
  type TrainProgress,
} from '../../../src/index';
import { twoClouds } from '../../worker/clouds';
import { record, shownError, trackWorkers, until } from '../harness';

const OPTIONS = { epochs: 2, batch: 5, hold: 0.2, testFraction: 0.25 };
const SPEC = { layers: [2, 4, 2], seed: 5, dt: 0.01 };

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** The 20 points of twoClouds repeated to `rows` rows. */
function repeated(rows: number): Dataset {
  const base = twoClouds();
  return {
    ...base,
    inputs: Float32Array.from({ length: rows * 2 }, (_, i) => base.inputs[i % 40]),
    labels: Uint8Array.from({ length: rows }, (_, i) => base.labels[i % 20]),
    count: rows,
  };
}

/** A drop of `files` on `el`, as a person's would arrive. */
function drop(el: PcNetwork, ...files: File[]): void {
  const transfer = new DataTransfer();
  for (const f of files) transfer.items.add(f);
  el.dispatchEvent(
    new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
  );
}

const element = (engine: string) =>
  fixture<PcNetwork>(
    html`<pc-network layers="2-4-2" seed="5" dt="0.01" engine=${engine}></pc-network>`,
  );

describe('<pc-network>: training on a data set', () => {
  let workers: ReturnType<typeof trackWorkers>;
  beforeEach(() => (workers = trackWorkers()));
  afterEach(() => workers.restore());

  for (const engine of ['worker', 'main']) {
    it(`trains on engine="${engine}" with progress events; class names follow`, async () => {
      const el = await element(engine);
      const data = twoClouds();
      const progress = record<TrainProgress>(el, 'pc-train-progress');
      const ends = record<PcTrainEndDetail>(el, 'pc-train-end');
      const heard: TrainProgress[] = [];
      const result = await el.train(data, { ...OPTIONS, onProgress: (p) => heard.push(p) });
      expect(result).to.include({ completed: true, epochs: 2, batches: 6 });
      expect(result.rows).to.deep.equal({ train: 14, test: 6 });
      expect(result.classNames).to.deep.equal(['left', 'right']);
      expect(progress.length).to.be.above(0);
      expect(progress.at(-1)!.detail).to.include({ fraction: 1, batches: 6 });
      expect(heard.length).to.equal(progress.length);
      expect(ends.map((e) => e.detail.status)).to.deep.equal(['done']);
      await el.updateComplete;

      // The same accuracy as the engine's, on the weights and scaling the file keeps.
      const file = decodeNetwork(await el.save());
      const meta = JSON.parse(file.metadata.dataset);
      expect(meta.classNames).to.deep.equal(['left', 'right']);
      const net = new Network(file.spec);
      net.setWeights(file.M, file.W);
      const scaled = { ...data, inputs: applyScaling(data.inputs, meta.scaling) };
      const evaluation = await el.evaluate(data);
      expect(evaluation.accuracy).to.equal(classifyAccuracy(net, scaled));
      expect(evaluation.counts).to.deep.equal([10, 10]);
      expect(evaluation.classNames).to.deep.equal(['left', 'right']);

      expect(el.classNames).to.deep.equal(['left', 'right']);
      const output = el.shadowRoot!.querySelector('circle.x[data-layer="2"][data-index="1"]')!;
      expect(output.getAttribute('aria-label')).to.match(/^layer 3 node 1 \(right\), state/);
      const buttons = [...el.shadowRoot!.querySelectorAll('.classes button[data-class]')];
      expect(buttons.map((b) => b.textContent!.trim())).to.deep.equal(['left', 'right']);
      const { index, name } = await el.classifyFeatures([3, 2]);
      expect(name).to.equal(['left', 'right'][index]);
    });
  }

  it('cancel rejects with an AbortError and keeps the weights after the last whole batch', async () => {
    const el = await element('worker');
    const data = twoClouds();
    const abort = new AbortController();
    const ends = record<PcTrainEndDetail>(el, 'pc-train-end');
    const training = el.train(data, {
      ...OPTIONS,
      epochs: 100_000,
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    expect(el.busy).to.equal(true);
    const error = (await rejection(training)) as Error & { summary: { batches: number } };
    expect(error.name).to.equal('AbortError');
    const batches = error.summary.batches;
    expect(error.message).to.equal(
      `Training was cancelled after ${batches} of ${3 * 100_000} batches; ` +
        `the network keeps the weights after batch ${batches}`,
    );
    expect(ends.map((e) => e.detail.status)).to.deep.equal(['cancelled']);
    expect(el.busy).to.equal(false);

    const { train } = prepareTraining(data, resolveSpec(SPEC), { seed: 5, testFraction: 0.25 });
    const trainer = new Network(SPEC).withBatch(5);
    const run = new TrainingRun(trainer, train, {
      epochs: 100_000,
      batch: 5,
      holdSeconds: 0.2,
      shuffleSeed: 5,
    });
    for (let b = 0; b < batches; b++) run.trainBatch();
    const file = decodeNetwork(await el.save());
    expect(file.M.map(bits)).to.deep.equal(trainer.M.map(bits));
    expect(file.W.map(bits)).to.deep.equal(trainer.W.map(bits));
    // The class names of the data stand: the weights learned them, if only a little.
    expect(el.classNames).to.deep.equal(['left', 'right']);
  });

  it('refuses data of another shape, naming both, unless fit rebuilds the network', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network engine="main"></pc-network>`);
    const error = await rejection(el.train(twoClouds(), OPTIONS));
    expect(error.message).to.equal(
      'Cannot train on data: the data have 2 features and 2 classes, the network 10 inputs and ' +
        '3 outputs (layers 10-5-3). Give { fit: true } to rebuild the network as 2-5-2, or set ' +
        'layers to fit.',
    );
    expect(el.spec.layers).to.deep.equal([10, 5, 3]);
    const result = await el.train(twoClouds(), { ...OPTIONS, epochs: 1, fit: true });
    expect(result.completed).to.equal(true);
    await el.updateComplete;
    expect(el.spec.layers).to.deep.equal([2, 5, 2]);
    expect(el.layers).to.equal('2-5-2');
  });

  it('weights saved after training load with their class names; generate takes a name', async () => {
    const el = await element('main');
    await el.train(twoClouds(), { ...OPTIONS, epochs: 1 });
    const bytes = await el.save();
    const other = await fixture<PcNetwork>(html`<pc-network engine="main"></pc-network>`);
    expect(await other.load(bytes)).to.equal(true);
    expect(other.classNames).to.deep.equal(['left', 'right']);
    other.generate('right');
    await other.updateComplete;
    expect(other.snapshot.mode).to.equal('generate');
    expect(Array.from(other.snapshot.Y)).to.deep.equal([0, 1]);
    other.pause();
    expect(() => other.generate('middle')).to.throw(
      'class must be one of "left", "right" or an integer, got "middle"',
    );
  });
});

describe('<pc-network>: the Train button and evaluate cancel', () => {
  it('Train fits the network to the data held and shows Cancel, which cancels it', async () => {
    const el = await fixture<PcNetwork>(html`<pc-network engine="main"></pc-network>`);
    await el.loadData(repeated(400), 'clouds');
    await el.updateComplete;
    const ended = oneEvent(el, 'pc-train-end');
    el.shadowRoot!.querySelector<HTMLButtonElement>('.data button.train')!.click();
    expect(el.busy).to.equal(true);
    const cancel = () => el.shadowRoot!.querySelector<HTMLButtonElement>('.data button.cancel');
    await until(() => cancel() !== null, 'the Cancel button');
    expect(el.shadowRoot!.querySelector('.status [data-field="job"]')!.textContent).to.match(
      /^Training: epoch \d+ of 10, \d+%$/,
    );
    expect(el.spec.layers).to.deep.equal([2, 5, 2]);
    cancel()!.click();
    const { detail } = (await ended) as CustomEvent<PcTrainEndDetail>;
    expect(detail.status).to.equal('cancelled');
    expect(detail.summary!.batches).to.be.below(detail.summary!.totalBatches);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.data button.train')).to.not.equal(null);
    expect(shownError(el)).to.equal(''); // a cancel is no error
  });

  it('evaluate stops after a chunk when its signal aborts (AbortError)', async () => {
    const el = await element('main');
    const data = repeated(3000);
    const abort = new AbortController();
    const error = await rejection(
      el.evaluate(data, { signal: abort.signal, onProgress: () => abort.abort() }),
    );
    expect(error.name).to.equal('AbortError');
    expect(error.message).to.equal('Evaluation was cancelled after 1000 of 3000 rows');
    expect(el.busy).to.equal(false);
    expect((await el.evaluate(data)).rows).to.equal(3000);
  });
});

describe('<pc-network>: data files', () => {
  it('data="url" fetches and reads a CSV: pc-data, and no training', async () => {
    const el = document.createElement('pc-network') as PcNetwork;
    el.setAttribute('engine', 'main');
    el.setAttribute('data', '/test/fixtures/iris.csv');
    const heard = oneEvent(el, 'pc-data');
    document.body.append(el);
    try {
      const { detail } = (await heard) as CustomEvent<PcDataDetail>;
      expect(detail).to.deep.include({ source: 'iris.csv', rows: 150, features: 4, classes: 3 });
      expect(detail.classNames).to.deep.equal(['setosa', 'versicolor', 'virginica']);
      expect(el.trainingData!.count).to.equal(150);
      await el.updateComplete;
      const panel = el.shadowRoot!.querySelector('.data')!;
      expect(panel.textContent).to.contain('iris.csv: 150 rows, 4 features, 3 classes');
      expect(panel.querySelector('button.train')).to.not.equal(null);
      expect(el.busy).to.equal(false);
    } finally {
      el.remove();
    }
  });

  it('a dropped CSV is read; a bad one sends pc-error and keeps the data and network', async () => {
    const el = await element('main');
    const good = new File(['a,b,kind\n0,1,x\n1,0,y\n'], 'points.csv', { type: 'text/csv' });
    const loaded = oneEvent(el, 'pc-data');
    drop(el, good);
    expect(((await loaded) as CustomEvent<PcDataDetail>).detail).to.deep.include({
      source: 'points.csv',
      rows: 2,
      classes: 2,
    });
    const before = el.trainingData;
    const errors = record<{ message: string }>(el, 'pc-error');
    drop(el, new File(['a,b,kind\n0,oops,x\n'], 'bad.csv', { type: 'text/csv' }));
    await until(() => errors.length > 0, 'pc-error');
    expect(errors[0].detail.message).to.equal(
      'Could not read the data: bad.csv: row 2, column 2 ("b"): expected a number, got "oops"',
    );
    expect(el.trainingData).to.equal(before);
    expect(el.spec.layers).to.deep.equal([2, 4, 2]);
    await el.updateComplete;
    expect(shownError(el)).to.contain('bad.csv: row 2, column 2');
  });

  it('image data draw the input layer as their width × height grid', async () => {
    const el = await fixture<PcNetwork>(
      html`<pc-network layers="12-3-2" engine="main"></pc-network>`,
    );
    const image: Dataset = {
      inputs: new Float32Array(24).map((_, i) => i % 5),
      labels: Uint8Array.of(0, 1),
      classNames: ['a', 'b'],
      featureNames: Array.from({ length: 12 }, (_, i) => `p${i}`),
      count: 2,
      dim: 12,
      shape: { width: 4, height: 3 },
    };
    await el.loadData(image, 'tiny');
    await el.updateComplete;
    const canvas = el.shadowRoot!.querySelector<HTMLCanvasElement>(
      'canvas[data-layer="0"][data-kind="x"]',
    )!;
    expect([canvas.width, canvas.height]).to.deep.equal([4, 3]);
    expect(el.shadowRoot!.querySelector('[data-layer="0"] .layer-title')!.textContent).to.contain(
      '(3 × 4 grid)',
    );
  });
});
