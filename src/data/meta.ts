/**
 * What a network trained on a data set keeps of it: the JSON under the weights file's
 * `__metadata__.dataset` (class names, feature names, the scaling fitted on the train split,
 * the seeded split, and for images their grid). One definition for `pcnet train --data` and
 * `pcnet evaluate --data` (src/cli/data.ts) and for the element's training
 * (src/worker/training.ts), so that a file saved by either reads in the other. No DOM, no Node.
 */
import { type Dataset, fingerprint, type Scaling } from './dataset';
import type { Grid } from './images';

/** The width × height of image data (its inputs are the pixels, row by row). */
export interface ImageShape {
  width: number;
  height: number;
}

/** How images became rows: `--grid WxH` (default 28x28) and `--invert`. */
export interface ImageFlags {
  grid: Grid;
  invert: boolean;
}

/**
 * What a network trained on a data set keeps of it, as JSON under the weights file's
 * `__metadata__.dataset`.
 */
export interface DataMeta {
  /** The data's name: the file as given to `train`, or a URL, or "data". */
  file: string;
  /** The label column (CSV), or null for the default. */
  label: string | null;
  classNames: string[];
  featureNames: string[];
  /** Images: the grid every image was resized to (its width × height is the input count). */
  shape?: ImageShape;
  /** Images read by the CLI: how they became rows (`--grid`, `--invert`), so `evaluate` reads them alike. */
  images?: ImageFlags;
  /** Fitted on the train split; every later input is scaled by it. */
  scaling: Scaling;
  /** The split: stratified by class, seeded (see `splitDataset`). */
  split: { testFraction: number; seed: number; rows: number; fingerprint: string };
}

/** The image shape of `data` if it has one that fits its rows (`Dataset.shape`). */
export function imageShape(data: Dataset): ImageShape | undefined {
  const shape = data.shape;
  return shape && shape.width * shape.height === data.dim ? shape : undefined;
}

/** What {@link describeData} records of how the data were read and split. */
export interface DescribeOptions {
  /** The data's name. */
  file: string;
  /** The label column it was read with (CSV), or null for the default. */
  label: string | null;
  /** The split's test fraction and seed (`splitDataset`). */
  testFraction: number;
  seed: number;
  /** Images read by the CLI: `--grid` and `--invert`. */
  images?: ImageFlags;
}

/** A {@link DataMeta} of `data` without the scaling (fitted later, on the train split). */
export function describeData(data: Dataset, options: DescribeOptions): Omit<DataMeta, 'scaling'> {
  const { file, label, testFraction, seed, images } = options;
  const shape = imageShape(data);
  return {
    file,
    label,
    classNames: data.classNames.slice(),
    featureNames: data.featureNames.slice(),
    ...(shape && { shape: { width: shape.width, height: shape.height } }),
    ...(images && { images }),
    split: { testFraction, seed, rows: data.count, fingerprint: fingerprint(data) },
  };
}

/** The weights file's `__metadata__` entry for a network trained on data described by `meta`. */
export function dataMetadata(meta: DataMeta): Record<string, string> {
  return { dataset: JSON.stringify(meta) };
}

/**
 * The `dataset` entry of a weights file's metadata, checked against the network's `layers`;
 * undefined when there is none. Throws when it is not JSON or does not fit (class names for
 * the outputs, feature names and a min-max scaling for the inputs, a shape of inputs pixels).
 */
export function readDataMeta(
  metadata: Readonly<Record<string, string>>,
  layers: readonly number[],
): DataMeta | undefined {
  if (metadata.dataset === undefined) return undefined;
  let m: DataMeta;
  try {
    m = JSON.parse(metadata.dataset) as DataMeta;
  } catch (e) {
    throw new Error(
      `weights file: __metadata__.dataset is not valid JSON (${(e as Error).message})`,
    );
  }
  const strings = (a: unknown, n: number) =>
    Array.isArray(a) && a.length === n && a.every((s) => typeof s === 'string');
  const numbers = (a: unknown, n: number) =>
    Array.isArray(a) && a.length === n && a.every((v) => Number.isFinite(v));
  const inputs = layers[0];
  const ok =
    m !== null &&
    typeof m === 'object' &&
    strings(m.classNames, layers[layers.length - 1]) &&
    strings(m.featureNames, inputs) &&
    m.scaling?.method === 'min-max' &&
    Number.isFinite(m.scaling.lo) &&
    Number.isFinite(m.scaling.hi) &&
    m.scaling.hi > m.scaling.lo &&
    numbers(m.scaling.min, inputs) &&
    numbers(m.scaling.max, inputs) &&
    (m.shape === undefined || m.shape.width * m.shape.height === inputs) &&
    (m.images === undefined ||
      (m.images.grid?.width === m.shape?.width &&
        m.images.grid?.height === m.shape?.height &&
        typeof m.images.invert === 'boolean'));
  if (!ok) {
    throw new Error(
      `weights file: __metadata__.dataset does not fit layers ${layers.join('-')} ` +
        '(expected class names, feature names and a min-max scaling for each input)',
    );
  }
  return m;
}
