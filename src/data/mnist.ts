/**
 * MNIST: 28 × 28 grey-level digits with labels 0 to 9, read from the IDX files (see ./idx.ts),
 * either already in memory or fetched from a URL (page, worker). Node reads them from disk with
 * ./mnist-node.ts.
 */
import { cosineSimilarity } from '../metrics';
import { parseIdx } from './idx';

export interface MnistSet {
  /** count × 784 pixel values, row-major per image, scaled as asked (see {@link MnistOptions}). */
  images: Float32Array;
  /** count labels, 0 to 9. */
  labels: Uint8Array;
  count: number;
  rows: 28;
  cols: 28;
}

export interface MnistOptions {
  /** Keep only the first `limit` images (all by default). */
  limit?: number;
  /** `unit`: pixel / 255 in [0, 1] (default); `signed`: 2 · pixel / 255 − 1 in [−1, 1]. */
  scale?: 'unit' | 'signed';
}

export type MnistSplit = 'train' | 't10k';

export const MNIST_PIXELS = 28 * 28;

/** Builds an {@link MnistSet} from the bytes of an images file and a labels file. */
export function mnistFromIdx(
  imagesBytes: Uint8Array | ArrayBuffer,
  labelsBytes: Uint8Array | ArrayBuffer,
  options: MnistOptions = {},
): MnistSet {
  const images = parseIdx(imagesBytes);
  const labels = parseIdx(labelsBytes);
  if (images.dims.length !== 3 || images.dims[1] !== 28 || images.dims[2] !== 28) {
    throw new Error(
      `MNIST: images file has dimensions ${images.dims.join('×')}, expected count×28×28`,
    );
  }
  if (labels.dims.length !== 1) {
    throw new Error(`MNIST: labels file has dimensions ${labels.dims.join('×')}, expected count`);
  }
  if (images.dims[0] !== labels.dims[0]) {
    throw new Error(
      `MNIST: the images file has ${images.dims[0]} images but the labels file has ${labels.dims[0]} labels`,
    );
  }
  const { limit, scale = 'unit' } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new RangeError(`MNIST: limit must be a non-negative integer, got ${limit}`);
  }
  if (scale !== 'unit' && scale !== 'signed') {
    throw new RangeError(`MNIST: scale must be "unit" or "signed", got ${JSON.stringify(scale)}`);
  }
  const count = Math.min(images.dims[0], limit ?? Infinity);
  const out = new Float32Array(count * MNIST_PIXELS);
  const pixels = images.data;
  if (scale === 'unit') {
    for (let i = 0; i < out.length; i++) out[i] = pixels[i] / 255;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = (2 * pixels[i]) / 255 - 1;
  }
  const labelsOut = labels.data.slice(0, count);
  const bad = labelsOut.findIndex((l) => l > 9);
  if (bad >= 0) throw new Error(`MNIST: label ${bad} is ${labelsOut[bad]}, expected 0 to 9`);
  return { images: out, labels: labelsOut, count, rows: 28, cols: 28 };
}

/** The file names of a split, as in the MNIST distribution (uncompressed). */
export function mnistFileNames(split: MnistSplit): { images: string; labels: string } {
  if (split !== 'train' && split !== 't10k') {
    throw new RangeError(`MNIST: split must be "train" or "t10k", got ${JSON.stringify(split)}`);
  }
  return { images: `${split}-images-idx3-ubyte`, labels: `${split}-labels-idx1-ubyte` };
}

/** Fetches `${baseUrl}/${split}-images-idx3-ubyte` and the labels, and parses them. */
export async function loadMnistFromUrl(
  baseUrl: string,
  split: MnistSplit,
  options: MnistOptions = {},
): Promise<MnistSet> {
  const names = mnistFileNames(split);
  const base = baseUrl.replace(/\/+$/, '');
  const [images, labels] = await Promise.all([
    fetchBytes(`${base}/${names.images}`),
    fetchBytes(`${base}/${names.labels}`),
  ]);
  return mnistFromIdx(images, labels, options);
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new Error(`MNIST: could not fetch ${url}: ${(e as Error).message}`);
  }
  if (!response.ok) {
    throw new Error(
      `MNIST: could not fetch ${url}: HTTP ${response.status} ${response.statusText}`.trimEnd(),
    );
  }
  return response.arrayBuffer();
}

/** One-hot rows: labels.length × classes, 1 at each label, 0 elsewhere. */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < 0 || l >= classes) {
      throw new RangeError(`oneHot: label ${i} is ${l}, expected 0 to ${classes - 1}`);
    }
    out[i * classes + l] = 1;
  }
  return out;
}

/**
 * The mean image of each class (classes × 784), the reference of the paper's cosine
 * similarity (Tables 3, 4). A class with no images gets an all-zero mean.
 */
export function classMeanImages(set: MnistSet, classes = 10): Float32Array {
  const sums = new Float64Array(classes * MNIST_PIXELS);
  const counts = new Float64Array(classes);
  for (let i = 0; i < set.count; i++) {
    const c = set.labels[i];
    if (c >= classes) continue;
    counts[c]++;
    const src = i * MNIST_PIXELS;
    const dst = c * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) sums[dst + p] += set.images[src + p];
  }
  const out = new Float32Array(classes * MNIST_PIXELS);
  for (let c = 0; c < classes; c++) {
    if (counts[c] === 0) continue;
    for (let p = 0; p < MNIST_PIXELS; p++) {
      out[c * MNIST_PIXELS + p] = sums[c * MNIST_PIXELS + p] / counts[c];
    }
  }
  return out;
}

/** Image k of a block of 784-value images (class k in a block of one image per class). */
export const classImage = (block: Float32Array, k: number): Float32Array =>
  block.subarray(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS);

/** The first `classes` images of a block, one per class. */
export const classImages = (block: Float32Array, classes = 10): Float32Array[] =>
  Array.from({ length: classes }, (_, k) => classImage(block, k));

/**
 * Cosine similarity of each class's image to its class mean (Tables 3, 4): `images` and
 * `means` hold one 784-value image per class.
 */
export const classCosines = (images: Float32Array, means: Float32Array, classes = 10): number[] =>
  Array.from({ length: classes }, (_, k) =>
    cosineSimilarity(classImage(images, k), classImage(means, k)),
  );

/**
 * Grey levels of an image for display: `lo` black (0), `hi` white (255), by default the
 * image's own range; non-finite values black.
 */
export function greyLevels(image: ArrayLike<number>, lo?: number, hi?: number): Uint8ClampedArray {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < image.length; i++) {
    if (image[i] < min) min = image[i];
    if (image[i] > max) max = image[i];
  }
  const a = lo ?? min;
  const b = hi ?? max;
  const scale = b > a ? 255 / (b - a) : 0;
  const out = new Uint8ClampedArray(image.length);
  for (let i = 0; i < image.length; i++) {
    out[i] = Number.isFinite(image[i]) ? (image[i] - a) * scale : 0;
  }
  return out;
}
