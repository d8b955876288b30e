/**
 * `pcnet` on the user's own data (`--data FILE.csv|FILE.json|DIR|FILE.zip`): reading the file
 * (size checked first, then streamed; a folder or zip of class folders of PNG images, see
 * ../data/images-node.ts, resized to `--grid` and inverted by `--invert`), the split and the scaling that `train` stores in the weights file's
 * metadata (`dataset`), and `evaluate`, `classify` and `generate` reading them back.
 */
import { createReadStream, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { readCsv } from '../data/csv';
import {
  activationRange,
  applyScaling,
  DataError,
  type Dataset,
  defaultScalingPer,
  fingerprint,
  fitScaling,
  labelledData,
  type Scaling,
  splitDataset,
  unscale,
} from '../data/dataset';
import { DEFAULT_GRID, type Grid, parseGrid } from '../data/images';
import { readImages } from '../data/images-node';
import { readJsonData } from '../data/json-data';
import {
  dataMetadata as datasetEntry,
  type DataMeta,
  describeData,
  type ImageFlags,
  readDataMeta,
} from '../data/meta';
import type { LabelledData } from '../experiments/protocol';
import { decodeNetwork } from '../io/safetensors';
import { cosineSimilarity } from '../metrics';
import { Network } from '../model/network';
import type { NetworkSpec } from '../model/spec';
import { classifyRows, EvaluationTally } from '../worker/training';
import { checkSpec, num, option, type OptionBound, specFlags, UsageError } from './args';

// The weights file's `dataset` entry is defined in ../data/meta.ts, shared with the element.
export { type DataMeta, type ImageFlags, readDataMeta };

/** A file read for `train`, split and ready to scale. */
export interface FileData {
  meta: Omit<DataMeta, 'scaling'>;
  train: Dataset;
  test: Dataset;
  scaling?: Scaling;
}

export const TEST_FRACTION: OptionBound = {
  flag: '--test-fraction',
  range: { kind: 'real', min: 0, minExclusive: false, max: 1, maxExclusive: true },
  doc: 'rows held back for testing (train --data FILE; default 0.2)',
};

/**
 * Whether `--data` names a file (by its extension: .csv, .json, .zip) or a folder (of class
 * folders of images) rather than `synthetic` or `mnist`.
 */
export const isDataFile = (data: string | undefined): data is string =>
  data !== undefined &&
  (/\.(csv|json|zip)$/i.test(data) || (data !== 'synthetic' && data !== 'mnist' && isFolder(data)));

const isFolder = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Whether `path` is images (a .zip or a folder) rather than a CSV or JSON file. */
const isImages = (path: string) => /\.zip$/i.test(path) || isFolder(path);

/** `--grid WxH` and `--invert` of `train` (a usage error for data that is not images). */
export function imageFlags(values: Record<string, unknown>, path: string): ImageFlags | undefined {
  const grid = values.grid as string | undefined;
  const invert = values.invert as boolean | undefined;
  if (!isImages(path)) {
    if (grid !== undefined || invert) {
      throw new UsageError(`--grid and --invert are for images (a folder or a .zip), not ${path}`);
    }
    return undefined;
  }
  let parsed: Grid = { ...DEFAULT_GRID };
  if (grid !== undefined) {
    try {
      parsed = parseGrid(grid);
    } catch {
      throw new UsageError(
        `--grid must be WxH with sides from 1 to 256 (e.g. 28x28), got "${grid}"`,
      );
    }
  }
  return { grid: parsed, invert: invert ?? false };
}

/**
 * Reads a data file: its size is checked against the budget before a byte is read, then it is
 * streamed through the reader. An unknown `--label` is a usage error; a bad file throws its
 * {@link DataError} (exit status 1).
 */
export async function readDataFile(
  path: string,
  label: string | undefined,
  images?: ImageFlags,
): Promise<Dataset> {
  if (isImages(path)) {
    if (label !== undefined) throw new UsageError(`--label is for CSV files, not ${path}`);
    await stat(path).catch((e: Error) => {
      throw new Error(`cannot read data file ${path}: ${e.message}`);
    });
    return readImages(path, { ...(images ?? { grid: DEFAULT_GRID }), file: path });
  }
  const json = /\.json$/i.test(path);
  if (json && label !== undefined) throw new UsageError(`--label is for CSV files, not ${path}`);
  const info = await stat(path).catch((e: Error) => {
    throw new Error(`cannot read data file ${path}: ${e.message}`);
  });
  if (info.isDirectory()) throw new Error(`cannot read data file ${path}: it is a folder`);
  const options = { file: path, size: info.size, label };
  const chunks = () => createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 16 });
  try {
    return json ? await readJsonData(chunks(), options) : await readCsv(chunks(), options);
  } catch (e) {
    if (e instanceof DataError && e.reason === 'label-column' && label !== undefined) {
      throw new UsageError(`--label must name a column of ${path}, got "${label}" (${e.message})`);
    }
    throw e;
  }
}

/** `train --data FILE`: reads the file and splits it by `--test-fraction` and `--seed`. */
export async function readTrainData(values: Record<string, unknown>): Promise<FileData> {
  if (values.preset !== undefined) {
    throw new UsageError('--data FILE trains a network of its own: give --layers, not --preset');
  }
  if (values.samples !== undefined) {
    throw new UsageError(
      '--samples is for synthetic and MNIST data; a file trains on all its rows',
    );
  }
  const testFraction = option(values, TEST_FRACTION, 0.2) as number;
  const { seed } = checkSpec({ layers: [1, 1], ...specFlags(values, ['seed']) });
  const path = values.data as string;
  const label = values.label as string | undefined;
  const images = imageFlags(values, path);
  const data = await readDataFile(path, label, images);
  const { train, test } = splitDataset(data, testFraction, seed);
  if (train.count === 0) throw new Error(`${path}: no rows left to train on`);
  const meta = describeData(data, { file: path, label: label ?? null, testFraction, seed, images });
  return { meta, train, test };
}

/**
 * The default layers of a file's network: inputs, a hidden layer of twice as many (at most
 * 256, at least the classes), classes.
 */
export function defaultLayers(file: FileData): string {
  const { dim } = file.train;
  const classes = file.meta.classNames.length;
  return `${dim}-${Math.max(classes, Math.min(256, 2 * dim))}-${classes}`;
}

/** The train split scaled to the activation's range (the scaling kept in `file`). */
export function fileTrainData(file: FileData, spec: NetworkSpec): LabelledData {
  const n = spec.layers;
  const classes = file.meta.classNames.length;
  if (n[0] !== file.train.dim || n[n.length - 1] !== classes) {
    throw new UsageError(
      `${file.meta.file} has ${file.train.dim} inputs and ${classes} classes; layers are ${n.join('-')}`,
    );
  }
  const per = defaultScalingPer(file.train);
  file.scaling = fitScaling(file.train, activationRange(spec.activation), per);
  return labelledData(file.train, file.scaling);
}

/** The weights file's metadata entry for a network trained on `file`. */
export function dataMetadata(file: FileData): Record<string, string> {
  return datasetEntry({ ...file.meta, scaling: file.scaling! });
}

/** The test accuracy for the train summary (null with no test rows). */
export function testAccuracy(net: Network, file: FileData): number | null {
  if (file.test.count === 0) return null;
  const { test } = file;
  const tally = new EvaluationTally(file.meta.classNames.length);
  classifyRows(
    net,
    null,
    applyScaling(test.inputs, file.scaling!),
    test.labels,
    0,
    test.count,
    tally,
  );
  return tally.result().accuracy;
}

/**
 * `generate --class`: a class name of the network's data set, or an integer from 0 to
 * classes − 1 (the only form for networks without class names).
 */
export function classFlag(raw: string, data: DataMeta | undefined, classes: number): number {
  const named = data?.classNames.indexOf(raw) ?? -1;
  if (named >= 0) return named;
  if (data && !/^\s*\d+\s*$/.test(raw)) {
    const names = data.classNames.map((n) => `"${n}"`).join(', ');
    throw new UsageError(
      `--class must be one of ${names} or an integer from 0 to ${classes - 1}, got "${raw}"`,
    );
  }
  const k = num({ class: raw }, 'class') as number;
  if (!Number.isInteger(k) || k < 0 || k >= classes) {
    throw new UsageError(`--class must be an integer from 0 to ${classes - 1}, got ${k}`);
  }
  return k;
}

/** A generated input in the features' units, by name. */
export function featuresOf(data: DataMeta, x: ArrayLike<number>): Record<string, number> {
  const raw = unscale(x, data.scaling);
  return Object.fromEntries(data.featureNames.map((name, j) => [name, raw[j]]));
}

/** The rows of `data` as the network's classes (its class order); unknown classes throw. */
function asNetworkClasses(data: Dataset, meta: DataMeta, path: string): Dataset {
  if (data.dim !== meta.featureNames.length) {
    throw new Error(
      `${path} has ${data.dim} feature columns, the network ${meta.featureNames.length} ` +
        `(${meta.featureNames.join(', ')})`,
    );
  }
  const map = data.classNames.map((name) => {
    const k = meta.classNames.indexOf(name);
    if (k < 0) {
      const known = meta.classNames.join(', ');
      throw new Error(`${path}: class "${name}" is not one the network knows (${known})`);
    }
    return k;
  });
  return {
    ...data,
    labels: data.labels.map((l) => map[l]),
    classNames: meta.classNames,
  };
}

/**
 * `evaluate --weights W --data FILE`: the accuracy and the confusion matrix of the classify
 * mode (feed-forward) on the file's rows, and the cosine of each class's generated input (from
 * the zero state, `seconds` at `dt`) to the mean of that class's rows, both scaled. `--split`:
 * `test` (the rows `train` held back: the default when FILE is the file trained on), `train`,
 * or `all` (the default for any other file).
 */
export async function evaluateData(
  values: Record<string, unknown>,
  seconds: number,
): Promise<void> {
  const weights = values.weights as string;
  const path = values.data as string;
  if (values.images !== undefined)
    throw new UsageError('--images is for MNIST networks, not --data');
  const split = values.split as string | undefined;
  if (split !== undefined && split !== 'test' && split !== 'train' && split !== 'all') {
    throw new UsageError(`--split must be test, train or all, got "${split}"`);
  }
  const start = Date.now();
  const { spec, M, W, metadata } = decodeNetwork(
    await readFile(weights).catch((e: Error) => {
      throw new Error(`cannot read weights file ${weights}: ${e.message}`);
    }),
  );
  const meta = readDataMeta(metadata, spec.layers);
  if (!meta) {
    throw new UsageError(
      `--data needs a network trained on a data file; ${weights} has no class names or scaling`,
    );
  }
  const { dt } = checkSpec({ ...spec, dt: 0.002, ...specFlags(values, ['dt']) });
  const label =
    (values.label as string | undefined) ??
    (/\.json$/i.test(path) ? undefined : (meta.label ?? undefined));
  if (isImages(path) !== (meta.images !== undefined)) {
    throw new UsageError(
      `${weights} was trained on ${meta.images ? 'images' : 'a CSV or JSON file'}; ${path} is ${
        isImages(path) ? 'images' : 'not'
      }`,
    );
  }
  const whole = await readDataFile(path, label, meta.images);
  const same = fingerprint(whole) === meta.split.fingerprint;
  const which = split ?? (same && meta.split.testFraction > 0 ? 'test' : 'all');
  if (which !== 'all' && !same) {
    throw new UsageError(
      `--split ${which} needs the file the network was trained on; ${path} differs`,
    );
  }
  const parts =
    which === 'all' ? undefined : splitDataset(whole, meta.split.testFraction, meta.split.seed);
  const data = asNetworkClasses(parts ? parts[which as 'test' | 'train'] : whole, meta, path);
  const classes = meta.classNames.length;
  const inputs = applyScaling(data.inputs, meta.scaling);

  const c = new Network({ ...spec, mode: 'classify' }, { batch: data.count });
  c.setWeights(M, W);
  c.setInput(inputs);
  c.feedForward();
  const tally = new EvaluationTally(classes);
  tally.add(c.x(c.depth - 1), data.labels, 0, data.count);
  const { accuracy: acc, confusion } = tally.result();

  const g = new Network({ ...spec, mode: 'generate', dt }, { batch: classes });
  g.setWeights(M, W);
  g.setTargetClass(Uint8Array.from({ length: classes }, (_, k) => k));
  g.resetState();
  g.runFor(seconds);
  const x = g.x(0);
  const dim = data.dim;
  const means = new Float64Array(classes * dim);
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < data.count; i++) {
    counts[data.labels[i]]++;
    for (let j = 0; j < dim; j++) means[data.labels[i] * dim + j] += inputs[i * dim + j];
  }
  const cosines = meta.classNames.map((_, k) => {
    if (counts[k] === 0) return null;
    const mean = Array.from({ length: dim }, (_, j) => means[k * dim + j] / counts[k]);
    return cosineSimilarity(x.subarray(k * dim, (k + 1) * dim), mean);
  });
  const generated = meta.classNames.map((_, k) =>
    featuresOf(meta, x.subarray(k * dim, (k + 1) * dim)),
  );

  const result = {
    weights,
    data: path,
    layers: spec.layers.join('-'),
    split: which,
    rows: data.count,
    classNames: meta.classNames,
    results: { accuracy: acc, confusion, cosine: cosines },
    generate: { seconds, dt, from: 'zero state', inputs: generated },
    seconds: (Date.now() - start) / 1000,
  };
  if (values.json) {
    console.log(JSON.stringify(result));
    return;
  }
  const width = Math.max(6, ...meta.classNames.map((n) => n.length)) + 2;
  const lines = [
    `${weights} on ${path} (${which}, ${data.count} rows): accuracy ${(acc * 100).toFixed(2)}%`,
    'confusion (rows: true class, columns: predicted):',
    ' '.repeat(width) + meta.classNames.map((n) => n.padStart(width)).join(''),
    ...confusion.map(
      (row, k) =>
        meta.classNames[k].padEnd(width) + row.map((v) => String(v).padStart(width)).join(''),
    ),
    `cosine of the generated input to the class mean: ${cosines
      .map((v, k) => `${meta.classNames[k]} ${v === null ? '–' : v.toFixed(3)}`)
      .join(', ')}`,
  ];
  console.log(lines.join('\n'));
}
