/**
 * The paper's measures of generated samples and of classification, as pure functions on flat
 * row-major arrays (count rows of dim values). Sums are kept in doubles.
 */

export interface MinAvgMax {
  min: number;
  avg: number;
  max: number;
}

/** The smallest, mean and largest of a non-empty list of numbers. */
export function minAvgMax(values: ArrayLike<number>): MinAvgMax {
  if (values.length === 0) throw new RangeError('minAvgMax: no values');
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, avg: sum / values.length, max };
}

/**
 * Table 1: the standard deviation of each input node over the samples, averaged over the dim
 * nodes. Population std (ddof = 0, divide by count), as numpy's default `np.std`, so one
 * sample gives 0 rather than NaN.
 */
export function meanStd(samples: ArrayLike<number>, count: number, dim: number): number {
  checkRows('meanStd', samples, count, dim);
  let total = 0;
  for (let j = 0; j < dim; j++) {
    let mean = 0;
    for (let s = 0; s < count; s++) mean += samples[s * dim + j];
    mean /= count;
    let sq = 0;
    for (let s = 0; s < count; s++) {
      const d = samples[s * dim + j] - mean;
      sq += d * d;
    }
    total += Math.sqrt(sq / count);
  }
  return total / dim;
}

/**
 * Table 2: the Euclidean distance of each sample to the centroid of its class (centroids is
 * classes × dim), summarised as min / avg / max over the samples.
 */
export function distanceStats(
  samples: ArrayLike<number>,
  labels: ArrayLike<number>,
  centroids: ArrayLike<number>,
  count: number,
  dim: number,
): MinAvgMax {
  checkRows('distanceStats', samples, count, dim);
  if (labels.length < count) {
    throw new RangeError(`distanceStats: ${labels.length} labels for ${count} samples`);
  }
  const distances = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    const c = labels[s];
    if ((c + 1) * dim > centroids.length) {
      throw new RangeError(`distanceStats: sample ${s} has label ${c} with no centroid`);
    }
    let sq = 0;
    for (let j = 0; j < dim; j++) {
      const d = samples[s * dim + j] - centroids[c * dim + j];
      sq += d * d;
    }
    distances[s] = Math.sqrt(sq);
  }
  return minAvgMax(distances);
}

/**
 * Tables 3, 4: a·b / (|a| |b|) over the first n values (default: all of a). 0 if either vector
 * is all zero, so an empty generated image scores as unrelated rather than NaN.
 */
export function cosineSimilarity(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  n: number = a.length,
): number {
  if (n > a.length || n > b.length) {
    throw new RangeError(
      `cosineSimilarity: n = ${n} but the vectors have ${a.length}, ${b.length}`,
    );
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/**
 * The index (0 to n − 1, relative to offset) of the largest of v[offset .. offset + n); the first
 * one on ties. NaN never wins; −1 if n is 0 or every value is NaN, so a diverged output never
 * counts as a correct class.
 */
export function argmax(v: ArrayLike<number>, offset = 0, n: number = v.length - offset): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = v[offset + i];
    if (x > bestValue || (best < 0 && x === -Infinity)) {
      best = i;
      bestValue = x;
    }
  }
  return best;
}

/** The fraction of rows (count × classes) whose argmax equals the label: 0 to 1. */
export function accuracy(
  outputs: ArrayLike<number>,
  labels: ArrayLike<number>,
  count: number,
  classes: number,
): number {
  checkRows('accuracy', outputs, count, classes, 0);
  if (count === 0) return 0;
  let correct = 0;
  for (let s = 0; s < count; s++) {
    if (argmax(outputs, s * classes, classes) === labels[s]) correct++;
  }
  return correct / count;
}

function checkRows(
  name: string,
  a: ArrayLike<number>,
  count: number,
  dim: number,
  minCount = 1,
): void {
  if (!Number.isInteger(count) || count < minCount || !Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`${name}: bad count ${count} or dim ${dim}`);
  }
  if (a.length < count * dim) {
    throw new RangeError(`${name}: ${a.length} values, fewer than ${count} × ${dim}`);
  }
}
