/**
 * Backend-independent argument checks and host-side fills shared by {@link Network} (CPU) and
 * {@link GpuNetwork} (WebGPU): per-sample inputs and targets, one-hot classes, layer and node
 * indices, clamp tables, weight lengths. Same messages on both backends, by construction.
 */
import { SpecError } from './spec';

/**
 * Fills `out` (B × n) from `values`: n numbers given to every sample, or B × n numbers.
 * `what` names the argument in the error.
 */
export function fillPerSample(
  out: Float32Array,
  values: ArrayLike<number>,
  batch: number,
  n: number,
  what: string,
): void {
  if (values.length !== n && values.length !== batch * n) {
    throw new SpecError(
      what,
      `${what} must hold ${n} or ${batch * n} numbers, got ${values.length}`,
    );
  }
  for (let j = 0; j < values.length; j++) {
    if (!Number.isFinite(values[j])) {
      throw new SpecError(what, `${what} value ${j} must be a finite number, got ${values[j]}`);
    }
  }
  if (values.length === n) for (let b = 0; b < batch; b++) out.set(values, b * n);
  else out.set(values);
}

/**
 * Writes one-hot class vectors into `out` (B × n, zeroed first): one class for every sample,
 * or one class per sample.
 */
export function fillOneHot(
  out: Float32Array,
  classes: number | ArrayLike<number>,
  batch: number,
  n: number,
): void {
  out.fill(0);
  for (let b = 0; b < batch; b++) {
    const k = typeof classes === 'number' ? classes : classes[b];
    if (!Number.isInteger(k) || k < 0 || k >= n) {
      throw new SpecError('class', `class must be an integer from 0 to ${n - 1}, got ${k}`);
    }
    out[b * n + k] = 1;
  }
}

/** Checks a weight array handed in from outside: `name` must hold `n` numbers. */
export function checkLength(name: string, a: Float32Array, n: number): void {
  if (a.length !== n)
    throw new SpecError('weights', `${name} must hold ${n} numbers, got ${a.length}`);
}

/** Checks a layer index of a network of `depth` layers; returns it. */
export function checkLayerIndex(l: number, depth: number): number {
  if (!Number.isInteger(l) || l < 0 || l >= depth) {
    throw new SpecError('layer', `layer must be an integer from 0 to ${depth - 1}, got ${l}`);
  }
  return l;
}

/**
 * Adds (or updates) a clamp of node `index` of layer `l` (N_l = `n` nodes) at `value`: one
 * number for every sample, or B numbers. `clampValue` (B × N_l), `clampIndex` (N_l) are
 * layer `l`'s, `clampCount` every layer's. The caller has checked `l`.
 */
export function addClamp(
  clampValue: Float32Array,
  clampIndex: Int32Array,
  clampCount: Int32Array,
  l: number,
  n: number,
  batch: number,
  index: number,
  value: number | ArrayLike<number>,
): void {
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new SpecError('index', `node index must be an integer from 0 to ${n - 1}, got ${index}`);
  }
  for (let b = 0; b < batch; b++) {
    const v = typeof value === 'number' ? value : value[b];
    if (!Number.isFinite(v)) {
      throw new SpecError('value', `clamp value must be a finite number, got ${v}`);
    }
    clampValue[b * n + index] = v;
  }
  const count = clampCount[l];
  let found = false;
  for (let c = 0; c < count; c++) if (clampIndex[c] === index) found = true;
  if (!found) {
    clampIndex[count] = index;
    clampCount[l] = count + 1;
  }
}

/**
 * Removes the clamp of node `index` of layer `l` (`clampIndex` is layer `l`'s, `clampCount`
 * every layer's); whether it was clamped.
 */
export function removeClamp(
  clampIndex: Int32Array,
  clampCount: Int32Array,
  l: number,
  index: number,
): boolean {
  const count = clampCount[l];
  for (let c = 0; c < count; c++) {
    if (clampIndex[c] === index) {
      clampIndex[c] = clampIndex[count - 1];
      clampCount[l] = count - 1;
      return true;
    }
  }
  return false;
}
