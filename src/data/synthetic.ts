/**
 * The seeded synthetic class data of experiments E1 to E4: a few prototype vectors and noisy
 * samples around them (section 4.2: "three 10D vectors ... uniform in [−1.5, 1.5]", samples =
 * prototype + N(0, 0.2²), one-hot targets).
 */
import { Random } from '../random';
import { oneHot } from './mnist';

export interface PrototypeDataOptions {
  /** The number of classes (prototypes), 1 to 255. */
  classes: number;
  /** The dimension of each input vector. */
  dim: number;
  /** The number of samples. */
  samples: number;
  /** Prototype coordinates are uniform in [−range, range). Default 1.5. */
  range?: number;
  /** Standard deviation of the gaussian noise added to the prototype. Default 0.2. */
  noiseStd?: number;
  /** The seed of the generator: the same seed gives the same data. */
  seed: number;
}

export interface PrototypeData {
  /** samples × dim, row-major. */
  inputs: Float32Array;
  /** The class of each sample. */
  labels: Uint8Array;
  /** samples × classes, one-hot. */
  targets: Float32Array;
  /** classes × dim, row-major. */
  prototypes: Float32Array;
  classes: number;
  dim: number;
  count: number;
}

/**
 * Draws the prototypes, then the samples, from one `Random(seed)`: first classes × dim uniforms,
 * then dim normals per sample in order. Sample i belongs to class i mod classes, so the classes
 * are balanced (sizes differ by at most one) and interleaved, with no shuffle needed.
 */
export function makePrototypeData(options: PrototypeDataOptions): PrototypeData {
  const { classes, dim, samples, range = 1.5, noiseStd = 0.2, seed } = options;
  checkInt('classes', classes, 1, 255);
  checkInt('dim', dim, 1, 2 ** 24);
  checkInt('samples', samples, 0, 2 ** 24);
  if (!Number.isFinite(range) || range < 0) {
    throw new RangeError(`range must be a finite number ≥ 0, got ${range}`);
  }
  if (!Number.isFinite(noiseStd) || noiseStd < 0) {
    throw new RangeError(`noiseStd must be a finite number ≥ 0, got ${noiseStd}`);
  }
  const rng = new Random(seed);
  const prototypes = new Float32Array(classes * dim);
  for (let i = 0; i < prototypes.length; i++) prototypes[i] = rng.uniformIn(-range, range);
  const inputs = new Float32Array(samples * dim);
  const labels = new Uint8Array(samples);
  for (let s = 0; s < samples; s++) {
    const c = s % classes;
    labels[s] = c;
    for (let j = 0; j < dim; j++) {
      inputs[s * dim + j] = prototypes[c * dim + j] + rng.normal(0, noiseStd);
    }
  }
  return {
    inputs,
    labels,
    targets: oneHot(labels, classes),
    prototypes,
    classes,
    dim,
    count: samples,
  };
}

/** The empirical mean of each class's samples (classes × dim); a class with no samples gets 0. */
export function classCentroids(
  inputs: Float32Array,
  labels: ArrayLike<number>,
  classes: number,
  dim: number,
): Float32Array {
  if (inputs.length < labels.length * dim) {
    throw new RangeError(`classCentroids: ${inputs.length} values for ${labels.length} × ${dim}`);
  }
  const sums = new Float64Array(classes * dim);
  const counts = new Float64Array(classes);
  for (let s = 0; s < labels.length; s++) {
    const c = labels[s];
    if (!(c >= 0 && c < classes)) {
      throw new RangeError(`classCentroids: label ${s} is ${c}, expected 0 to ${classes - 1}`);
    }
    counts[c]++;
    for (let j = 0; j < dim; j++) sums[c * dim + j] += inputs[s * dim + j];
  }
  const out = new Float32Array(classes * dim);
  for (let c = 0; c < classes; c++) {
    if (counts[c] === 0) continue;
    for (let j = 0; j < dim; j++) out[c * dim + j] = sums[c * dim + j] / counts[c];
  }
  return out;
}

function checkInt(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${v}`);
  }
}
