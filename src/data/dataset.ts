/**
 * A data set the user brings: numeric vectors with integer class labels, the class names and
 * the feature names, as the readers (./csv.ts, ./json-data.ts) return it, and the preprocessing
 * a network needs before it trains on it:
 *
 * - {@link splitDataset}: a seeded, stratified train/test split (each class split alone, so
 *   both parts keep the class proportions);
 * - {@link fitScaling} and {@link applyScaling}: min-max scaling of each feature to the range of
 *   the activation ([0, 1] for identity, logistic and relu; [−1, 1] for tanh), its parameters
 *   fitted on the train split only and kept, so that the test split and every later input are
 *   scaled as the train split was;
 * - {@link labelledData}: scaled inputs with one-hot targets, as training takes them.
 */
import type { Activation } from '../model/params';
import { Random } from '../random';
import { oneHot } from './mnist';

/** The most classes a data set may have (labels are bytes, as in `LabelledData`). */
export const MAX_CLASSES = 256;

export interface Dataset {
  /** count × dim feature values as read (unscaled), row-major. */
  inputs: Float32Array;
  /** The class of each row, 0 to classNames.length − 1. */
  labels: Uint8Array;
  /** The name of each class, in class order. */
  classNames: string[];
  /** The name of each feature (column), in input order. */
  featureNames: string[];
  count: number;
  dim: number;
  /**
   * Set for image data (./images.ts): the grid each row is, width × height = dim, pixels in
   * row-major order (row 0 the top). An element shows the input layer shaped so.
   */
  shape?: { width: number; height: number };
}

/** Min-max scaling: feature j maps [min[j], max[j]] of the train split onto [lo, hi]. */
export interface Scaling {
  method: 'min-max';
  lo: number;
  hi: number;
  min: number[];
  max: number[];
}

/** The range that inputs are scaled to for each activation: that of σ's output. */
export function activationRange(activation: Activation): [number, number] {
  return activation === 'tanh' ? [-1, 1] : [0, 1];
}

/**
 * The per-feature minimum and maximum of `data`, to map onto [lo, hi]. Fit it on the train
 * split only: the test split must not leak into the preprocessing.
 */
export function fitScaling(
  data: Dataset,
  [lo, hi]: [number, number],
  per: ScalingPer = 'feature',
): Scaling {
  const min = new Array<number>(data.dim).fill(Infinity);
  const max = new Array<number>(data.dim).fill(-Infinity);
  for (let i = 0; i < data.count; i++) {
    for (let j = 0; j < data.dim; j++) {
      const v = data.inputs[i * data.dim + j];
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  for (let j = 0; j < data.dim; j++) {
    if (min[j] > max[j]) min[j] = max[j] = 0; // no rows
  }
  if (per === 'all') {
    const all = [Math.min(...min), Math.max(...max)];
    min.fill(all[0]);
    max.fill(all[1]);
  }
  return { method: 'min-max', lo, hi, min, max };
}

/**
 * What min-max scaling fits its range over: each feature alone (`feature`, for tables whose
 * columns have units of their own), or one minimum and maximum over all features (`all`, for
 * images: a pixel keeps its brightness relative to the others, and a pixel that is dark in
 * every train image maps to `lo` rather than to the middle of the range). {@link defaultScalingPer}
 * picks `all` for data with a {@link Dataset.shape}.
 */
export type ScalingPer = 'feature' | 'all';

/** `all` for image data (a {@link Dataset.shape}), `feature` for everything else. */
export const defaultScalingPer = (data: Dataset): ScalingPer => (data.shape ? 'all' : 'feature');

/**
 * Scales count × dim values by `s` into a new array: lo + (v − min)(hi − lo)/(max − min). A
 * feature that was constant on the train split maps to the middle of [lo, hi]. Values outside
 * the train split's range land outside [lo, hi] (not clipped), as a linear map puts them.
 */
export function applyScaling(inputs: ArrayLike<number>, s: Scaling): Float32Array {
  const dim = s.min.length;
  const out = new Float32Array(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const j = i % dim;
    const span = s.max[j] - s.min[j];
    out[i] = span > 0 ? s.lo + ((inputs[i] - s.min[j]) * (s.hi - s.lo)) / span : (s.lo + s.hi) / 2;
  }
  return out;
}

/** The inverse of {@link applyScaling}: scaled values back in the features' units. */
export function unscale(values: ArrayLike<number>, s: Scaling): number[] {
  const dim = s.min.length;
  return Array.from(values, (v, i) => {
    const j = i % dim;
    return s.min[j] + ((v - s.lo) * (s.max[j] - s.min[j])) / (s.hi - s.lo);
  });
}

/** Rows `indices` of `data`, in that order. */
export function selectRows(data: Dataset, indices: ArrayLike<number>): Dataset {
  const { dim } = data;
  const inputs = new Float32Array(indices.length * dim);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    inputs.set(data.inputs.subarray(i * dim, (i + 1) * dim), k * dim);
    labels[k] = data.labels[i];
  }
  return { ...data, inputs, labels, count: indices.length };
}

/**
 * A stratified split: the rows of each class are shuffled by one `Random(seed)` (classes in
 * order) and round(n_c · testFraction) of them go to the test part; both parts keep the file's
 * row order. The same data, fraction and seed always give the same split. testFraction is in
 * [0, 1); 0 leaves the test part empty.
 */
export function splitDataset(
  data: Dataset,
  testFraction: number,
  seed: number,
): { train: Dataset; test: Dataset } {
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new RangeError(`testFraction must be from 0 to below 1, got ${testFraction}`);
  }
  const rng = new Random(seed);
  const isTest = new Uint8Array(data.count);
  for (let c = 0; c < data.classNames.length; c++) {
    const rows: number[] = [];
    for (let i = 0; i < data.count; i++) if (data.labels[i] === c) rows.push(i);
    rng.shuffle(rows);
    const n = Math.round(rows.length * testFraction);
    for (let k = 0; k < n; k++) isTest[rows[k]] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < data.count; i++) (isTest[i] ? test : train).push(i);
  return { train: selectRows(data, train), test: selectRows(data, test) };
}

/** Scaled inputs and one-hot targets, as the training functions take them. */
export function labelledData(data: Dataset, scaling: Scaling) {
  return {
    inputs: applyScaling(data.inputs, scaling),
    targets: oneHot(data.labels, data.classNames.length),
    labels: data.labels,
    count: data.count,
    dim: data.dim,
    classes: data.classNames.length,
  };
}

/**
 * A 32-bit FNV-1a hash of the rows (their float32 bytes and labels) and the class names: a
 * weights file keeps it, so that `evaluate` knows the file it was trained on.
 */
export function fingerprint(data: Dataset): string {
  let h = 0x811c9dc5;
  const mix = (byte: number) => {
    h = Math.imul(h ^ byte, 0x01000193);
  };
  const bytes = new Uint8Array(data.inputs.buffer, data.inputs.byteOffset, data.inputs.byteLength);
  for (let i = 0; i < bytes.length; i++) mix(bytes[i]);
  for (let i = 0; i < data.count; i++) mix(data.labels[i]);
  for (const name of data.classNames) for (let i = 0; i < name.length; i++) mix(name.charCodeAt(i));
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** What a reader found wrong, as a short code; the message says it in words. */
export type DataErrorReason =
  | 'too-large'
  | 'empty'
  | 'header'
  | 'label-column'
  | 'no-features'
  | 'too-many-columns'
  | 'too-many-rows'
  | 'ragged'
  | 'cell'
  | 'missing-label'
  | 'quote'
  | 'classes'
  | 'json'
  | 'image'
  | 'layout'
  | 'path'
  | 'zip'
  | 'too-many-files';

/**
 * A file a reader rejects: `${file}: ${where}: ${what was expected, and what was there}`, with
 * the 1-based row (CSV: the file's line, the header being row 1; JSON: the item of the array)
 * and column (CSV: the column, JSON: the index into `x`) where there is one.
 */
export class DataError extends Error {
  readonly row?: number;
  readonly column?: number;
  constructor(
    readonly reason: DataErrorReason,
    readonly file: string,
    where: string | undefined,
    detail: string,
    at: { row?: number; column?: number } = {},
  ) {
    super(`${file}: ${where ? `${where}: ` : ''}${detail}`);
    this.name = 'DataError';
    this.row = at.row;
    this.column = at.column;
  }
}

/** What every reader takes: the file's name (for messages) and the limits it is held to. */
export interface ReadOptions {
  /** The name the messages give the file. Default "data". */
  file?: string;
  /** The file's size in bytes when known (a `File`, `stat`): checked before anything is read. */
  size?: number;
  /** The largest file accepted, in UTF-8 bytes. Default {@link DEFAULT_LIMITS}.maxBytes. */
  maxBytes?: number;
  /** The most data rows (items) accepted. */
  maxRows?: number;
  /** The most columns (features plus the label) accepted. */
  maxColumns?: number;
  /** Images: the most image files in a folder, a zip or a drop. */
  maxFiles?: number;
  /** Images: the most pixels (width × height) of one image, checked before it is decoded. */
  maxPixels?: number;
}

/**
 * The readers' default limits: 64 MiB (for images: of all the image files together, as stored,
 * and of a zip both as stored and inflated), a million rows, 65,536 columns, 100,000 image
 * files, 4096 × 4096 pixels an image.
 */
export const DEFAULT_LIMITS = {
  maxBytes: 64 * 2 ** 20,
  maxRows: 1_000_000,
  maxColumns: 65_536,
  maxFiles: 100_000,
  maxPixels: 4096 * 4096,
};

/** The limits of `options` with their defaults; throws if the known size is over budget. */
export function readLimits(options: ReadOptions) {
  const file = options.file ?? 'data';
  const limits = { ...DEFAULT_LIMITS, ...definedOnly(options), file };
  if (options.size !== undefined && options.size > limits.maxBytes)
    throw tooLarge(file, options.size, limits.maxBytes);
  return limits;
}

function definedOnly(options: ReadOptions): Partial<typeof DEFAULT_LIMITS> {
  const out: Partial<typeof DEFAULT_LIMITS> = {};
  if (options.maxBytes !== undefined) out.maxBytes = options.maxBytes;
  if (options.maxRows !== undefined) out.maxRows = options.maxRows;
  if (options.maxColumns !== undefined) out.maxColumns = options.maxColumns;
  if (options.maxFiles !== undefined) out.maxFiles = options.maxFiles;
  if (options.maxPixels !== undefined) out.maxPixels = options.maxPixels;
  return out;
}

export const tooLarge = (file: string, bytes: number, max: number) =>
  new DataError(
    'too-large',
    file,
    undefined,
    `${bytes === Infinity ? `more than ${max}` : bytes} bytes, over the budget of ${max} bytes`,
  );

/** The UTF-8 length of `text` (a lone surrogate counts 3, as the encoder replaces it). */
export function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

/**
 * Class indices for raw labels. Class order is sorted, so that it does not depend on the
 * order of the rows: numerically when every label is an integer (labels 0, 1, 2 are classes
 * 0, 1, 2), else by UTF-16 code units (not by locale). Throws past {@link MAX_CLASSES}.
 */
export function indexLabels(
  raw: readonly string[],
  file: string,
): { labels: Uint8Array; classNames: string[] } {
  const distinct = [...new Set(raw)];
  const integers = distinct.every((s) => /^[+-]?\d+$/.test(s));
  const classNames = integers
    ? distinct.sort((a, b) => Number(a) - Number(b))
    : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (classNames.length > MAX_CLASSES) {
    throw new DataError(
      'classes',
      file,
      undefined,
      `${classNames.length} classes, more than ${MAX_CLASSES}`,
    );
  }
  const index = new Map(classNames.map((name, i) => [name, i]));
  return { labels: Uint8Array.from(raw, (s) => index.get(s)!), classNames };
}

/** A growing float32 buffer, doubled as it fills. */
export class FloatBuffer {
  private data = new Float32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  /** The values pushed, as an array of their own. */
  take(): Float32Array {
    return this.data.slice(0, this.length);
  }
}

/** A decimal number as a cell holds it (`12`, `-0.5`, `.5`, `1e-3`); no hex, no `NaN`. */
export const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
