/**
 * Training and evaluating a simulation's network on a data set the user brought (issue 15), as
 * `pcnet train --data` and `pcnet evaluate --data` do, in slices that a worker (or the page's
 * thread) runs between its other messages:
 *
 * - {@link prepareTraining}: the seeded stratified split, the min-max scaling fitted on the
 *   train split (`src/data/dataset.ts`), one-hot targets, and the {@link DataMeta} the weights
 *   file keeps (the same `__metadata__.dataset` JSON the CLI writes and reads);
 * - {@link TrainingRun}: continuous-time training (eqs. 2.2 to 3.12) by the CLI's
 *   `trainContinuous`, one batch at a time, so that it can stop after any batch;
 * - {@link EvaluationTally}: accuracy and the confusion matrix of the classify mode (the
 *   feed-forward equilibrium, `Network.feedForward`), as `pcnet evaluate` counts them.
 */
import {
  activationRange,
  type Dataset,
  defaultScalingPer,
  fitScaling,
  labelledData,
  splitDataset,
} from '../data/dataset';
import { type DataMeta, describeData } from '../data/meta';
import { type LabelledData, trainContinuous } from '../experiments/protocol';
import { argmax } from '../metrics';
import type { Network } from '../model/network';
import type { NetworkSpec } from '../model/spec';
import { Random } from '../random';

// What the weights file keeps of the data (`__metadata__.dataset`): one definition with the CLI's.
export { type DataMeta, type ImageShape, imageShape } from '../data/meta';

/**
 * Why `data` does not fit a network of `layers` (inputs = features, outputs = classes), or null
 * when it fits.
 */
export function dataShapeProblem(data: Dataset, layers: readonly number[]): string | null {
  const inputs = layers[0];
  const outputs = layers[layers.length - 1];
  const classes = data.classNames.length;
  if (data.dim === inputs && classes === outputs) return null;
  return (
    `the data have ${data.dim} features and ${classes} classes, the network ` +
    `${inputs} inputs and ${outputs} outputs (layers ${layers.join('-')})`
  );
}

/** `layers` with the input and output sizes of `data`, the hidden layers kept. */
export function fitLayers(layers: readonly number[], data: Dataset): number[] {
  return [data.dim, ...layers.slice(1, -1), data.classNames.length];
}

export interface PrepareOptions {
  /** Rows held back for testing, from 0 to below 1. Default 0.2, as `pcnet train --data`. */
  testFraction?: number;
  /** The split's seed. */
  seed: number;
  /** The data's name in the metadata. Default "data". */
  file?: string;
  /** The label column it was read with (CSV), if not the default. */
  label?: string | null;
}

/** A data set split, scaled and one-hot, ready to train on, with what the weights file keeps. */
export interface PreparedData {
  train: LabelledData;
  test: LabelledData;
  meta: DataMeta;
}

/**
 * Splits `data` (stratified, seeded), fits the min-max scaling to σ's range on the train split
 * (per feature; over all pixels for images) and scales both parts, as `pcnet train --data` does. Throws when the data do not fit the
 * network (see {@link dataShapeProblem}) or no row is left to train on.
 */
export function prepareTraining(
  data: Dataset,
  spec: Readonly<NetworkSpec>,
  options: PrepareOptions,
): PreparedData {
  const problem = dataShapeProblem(data, spec.layers);
  if (problem) throw new RangeError(problem.charAt(0).toUpperCase() + problem.slice(1));
  const testFraction = options.testFraction ?? 0.2;
  const file = options.file ?? 'data';
  const { train, test } = splitDataset(data, testFraction, options.seed);
  if (train.count === 0) throw new RangeError(`${file}: no rows left to train on`);
  // Images share one range over all pixels, tables one per feature, as `pcnet train` scales.
  const scaling = fitScaling(train, activationRange(spec.activation), defaultScalingPer(data));
  const described = describeData(data, {
    file,
    label: options.label ?? null,
    testFraction,
    seed: options.seed,
  });
  const meta: DataMeta = { ...described, scaling };
  return { train: labelledData(train, scaling), test: labelledData(test, scaling), meta };
}

/** How a {@link TrainingRun} presents the data (the fields of `pcnet train`). */
export interface TrainRunOptions {
  /** Passes over the data, 1 or more. */
  epochs: number;
  /** Samples simulated at once (the paper's batch of 20), 1 or more. */
  batch: number;
  /** Simulated seconds each batch is held (`--hold`), above 0. */
  holdSeconds: number;
  /** The order of the samples is shuffled every epoch with this seed. */
  shuffleSeed: number;
}

/** Where a training run is. */
export interface TrainProgress {
  /** The epoch being trained, from 1 (`epochs` once done). */
  epoch: number;
  epochs: number;
  /** Batches completed, of `totalBatches`. */
  batches: number;
  totalBatches: number;
  /** The fraction done, batches / totalBatches. */
  fraction: number;
  /** Samples trained on so far (batches × batch). */
  samples: number;
  /** Euler ticks taken. */
  ticks: number;
}

/** Checks the options of a run; the error names the bad value. */
export function checkTrainOptions(options: TrainRunOptions): void {
  const whole = (name: string, v: unknown, max: number) => {
    if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max)) {
      throw new RangeError(`${name} must be an integer from 1 to ${max}, got ${String(v)}`);
    }
  };
  whole('epochs', options.epochs, 1_000_000);
  whole('batch', options.batch, 65_536);
  const hold = options.holdSeconds;
  if (!(typeof hold === 'number' && Number.isFinite(hold) && hold > 0)) {
    throw new RangeError(`hold must be seconds above 0, got ${String(hold)}`);
  }
}

/**
 * Continuous-time training of `net` (in train mode, batch B = `options.batch`) on `data`, one
 * batch at a time: each epoch shuffles the samples by one `Random(shuffleSeed)`, and each
 * batch of B of them (a last partial batch filled from the start of the order, as
 * `trainContinuous` fills it) is held `holdSeconds` by `trainContinuous` itself, so that the
 * Euler steps and the weight updates are the CLI's. After `trainBatch` or `run` returns, the
 * weights are those after the last completed batch: a run stopped there keeps them.
 */
export class TrainingRun {
  readonly totalBatches: number;
  private batchesDone = 0;
  private ticks = 0;
  private readonly order: Int32Array;
  private readonly rng: Random;
  private readonly slice: LabelledData;
  private readonly perEpoch: number;

  constructor(
    private readonly net: Network,
    private readonly data: LabelledData,
    private readonly options: TrainRunOptions,
  ) {
    checkTrainOptions(options);
    const B = options.batch;
    if (net.batch !== B) throw new RangeError(`the network's batch is ${net.batch}, not ${B}`);
    const { dim, classes, count } = data;
    if (count === 0) throw new RangeError('no rows to train on');
    this.perEpoch = Math.ceil(count / B);
    this.totalBatches = this.perEpoch * options.epochs;
    this.order = Int32Array.from({ length: count }, (_, i) => i);
    this.rng = new Random(options.shuffleSeed);
    this.slice = {
      inputs: new Float32Array(B * dim),
      targets: new Float32Array(B * classes),
      labels: new Uint8Array(B),
      count: B,
      dim,
      classes,
    };
  }

  get done(): boolean {
    return this.batchesDone === this.totalBatches;
  }

  get progress(): TrainProgress {
    const { epochs, batch } = this.options;
    const { batchesDone: batches, totalBatches } = this;
    return {
      epoch: Math.min(epochs, Math.floor(batches / this.perEpoch) + 1),
      epochs,
      batches,
      totalBatches,
      fraction: batches / totalBatches,
      samples: batches * batch,
      ticks: this.ticks,
    };
  }

  /** Trains batches until `budgetMs` of real time has passed (one at least) or the run is done. */
  run(budgetMs: number): void {
    const end = performance.now() + budgetMs;
    do this.trainBatch();
    while (!this.done && performance.now() < end);
  }

  /** Trains the next batch (a no-op once done). */
  trainBatch(): void {
    if (this.done) return;
    const { inputs, targets, dim, classes, count } = this.data;
    const B = this.options.batch;
    const k = this.batchesDone % this.perEpoch;
    if (k === 0) this.rng.shuffle(this.order);
    for (let b = 0; b < B; b++) {
      const i = this.order[(k * B + b) % count];
      this.slice.inputs.set(inputs.subarray(i * dim, (i + 1) * dim), b * dim);
      this.slice.targets.set(targets.subarray(i * classes, (i + 1) * classes), b * classes);
    }
    // One batch of B samples: trainContinuous holds it once (its in-batch order does not matter,
    // the B copies run side by side).
    this.ticks += trainContinuous(this.net, this.slice, {
      epochs: 1,
      holdSeconds: this.options.holdSeconds,
      shuffleSeed: 0,
    });
    this.batchesDone++;
  }
}

/** What training on a data set did (the element's and the worker's answer). */
export interface TrainSummary {
  /** False: cancelled after `batches` batches, whose weights the network keeps. */
  completed: boolean;
  /** Whole epochs done (the last may be partial when cancelled: see `batches`). */
  epochs: number;
  batches: number;
  totalBatches: number;
  samples: number;
  ticks: number;
  /** Real seconds the training took. */
  seconds: number;
  /** Classify-mode accuracy on the train split (a fraction), after training. */
  trainAccuracy: number;
  /** The same on the test split; null when there is none. */
  testAccuracy: number | null;
}

/** Accuracy, the confusion matrix and the counts of the classify mode on some rows. */
export interface Evaluation {
  /** Rows classified as their class, as a fraction of `rows` (0 for no rows). */
  accuracy: number;
  /** confusion[true class][predicted class]: rows counted. */
  confusion: number[][];
  /** Rows of each (true) class. */
  counts: number[];
  /** Rows of each class classified right. */
  correct: number[];
  rows: number;
  /** False: cancelled; the counts are those of the rows done. */
  completed: boolean;
}

/** Counts a classifier's answers: argmax of each row of the output, against its label. */
export class EvaluationTally {
  private readonly confusion: number[][];
  private rows = 0;

  constructor(private readonly classes: number) {
    this.confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  }

  /** Rows `from` to `from + n − 1` of `labels`, whose outputs are `out` (n × classes). */
  add(out: Float32Array, labels: Uint8Array, from: number, n: number): void {
    const c = this.classes;
    for (let i = 0; i < n; i++) this.confusion[labels[from + i]][argmax(out, i * c, c)]++;
    this.rows += n;
  }

  result(completed = true): Evaluation {
    const counts = this.confusion.map((row) => row.reduce((a, b) => a + b, 0));
    const correct = this.confusion.map((row, k) => row[k]);
    const right = correct.reduce((a, b) => a + b, 0);
    return {
      accuracy: this.rows > 0 ? right / this.rows : 0,
      confusion: this.confusion.map((row) => row.slice()),
      counts,
      correct,
      rows: this.rows,
      completed,
    };
  }
}

/** Rows classified at once by {@link classifyRows}. */
export const EVALUATE_CHUNK = 1000;

/**
 * Classifies rows `from` to `from + n − 1` of `inputs` (already scaled) with the weights of `net`
 * (classify mode, the feed-forward equilibrium) into `tally`. `scratch` is a network of batch
 * n made by `net.withBatch(n)` earlier (reused between chunks of one size), or null.
 */
export function classifyRows(
  net: Network,
  scratch: Network | null,
  inputs: Float32Array,
  labels: Uint8Array,
  from: number,
  n: number,
  tally: EvaluationTally,
): Network {
  const c = scratch && scratch.batch === n ? scratch : net.withBatch(n);
  if (c === scratch) c.setWeights(net.M, net.W);
  c.setMode('classify');
  const dim = net.sizes[0];
  c.setInput(inputs.subarray(from * dim, (from + n) * dim));
  c.feedForward();
  tally.add(c.x(c.depth - 1), labels, from, n);
  return c;
}
