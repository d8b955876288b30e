/**
 * Backend-independent argument checks and host-side fills shared by {@link Network} (CPU) and
 * {@link GpuNetwork} (WebGPU): per-sample inputs and targets, one-hot classes, layer and node
 * indices, clamp tables, weight lengths. Same messages on both backends, by construction.
 */
import { checkMemoryBudget, getDefaultMemoryBudget } from './budget';
import { type NetworkSpec, SpecError } from './spec';

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

/**
 * The batch size of `options` (default 1), checked (an integer from 1 to 65536), and the
 * spec checked against the memory budget (`memoryBudget`, else `setDefaultMemoryBudget`'s).
 */
export function checkBatchAndBudget(
  spec: NetworkSpec,
  options: { batch?: number; memoryBudget?: number },
): number {
  const batch = options.batch ?? 1;
  if (!Number.isInteger(batch) || batch < 1 || batch > 1 << 16) {
    throw new SpecError('batch', `batch must be an integer from 1 to 65536, got ${batch}`);
  }
  const budget = getDefaultMemoryBudget();
  if (options.memoryBudget !== undefined) {
    checkMemoryBudget(spec, options.memoryBudget, 'memoryBudget', batch);
  } else checkMemoryBudget(spec, budget.mib, budget.setting, batch);
  return batch;
}

/** Checks `setClamps`' argument: every given α or β a finite number. */
export function checkClamps(clamps: { alpha?: number; beta?: number }): void {
  for (const [name, v] of Object.entries(clamps)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new SpecError(name, `${name} must be a finite number, got ${JSON.stringify(v)}`);
    }
  }
}

/**
 * Checks weights handed to `setWeights` against the network's own (`ownM`, `ownW`, anything
 * with a length): as many matrices, each of the same length.
 */
export function checkWeights(
  M: readonly Float32Array[],
  W: readonly Float32Array[],
  ownM: readonly { readonly length: number }[],
  ownW: readonly { readonly length: number }[],
): void {
  if (M.length !== ownM.length || W.length !== ownW.length) {
    throw new SpecError('weights', `expected ${ownM.length} M and W matrices`);
  }
  M.forEach((m, l) => checkLength(`M.${l}`, m, ownM[l].length));
  W.forEach((w, l) => checkLength(`W.${l}`, w, ownW[l].length));
}
