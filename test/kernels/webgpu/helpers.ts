/**
 * What the WGSL kernels' tests share: one device and kernel set per test page (requested once,
 * failing with WebGpuUnavailableError's message where WebGPU is missing), the awkward sizes,
 * GPU arrays freed after each case, and comparison against the JavaScript kernels.
 */
import { expect } from '@open-wc/testing';
import { GpuKernels, type GpuArray } from '../../../src/kernels/webgpu/kernels';
import { requestGpu, type Gpu } from '../../../src/kernels/webgpu/device';
import { Random } from '../../../src/random';

/** Rows and columns smaller than a tile, odd, one past a workgroup's 32, and 33. */
export const SIZES = [1, 3, 5, 17, 33];
export const BATCHES = [1, 2, 5];
/** The big batch, against a small layer. */
export const BIG_BATCH = 1024;
export const RTOL = 1e-4;

let gpu: Promise<{ gpu: Gpu; kernels: GpuKernels }> | undefined;

/** The page's GPU and kernels, made on first use. */
export function gpuKernels(): Promise<{ gpu: Gpu; kernels: GpuKernels }> {
  return (gpu ??= requestGpu().then(async (g) => ({
    gpu: g,
    kernels: await GpuKernels.create(g.device),
  })));
}

/**
 * A test body's GPU context: the kernels, random inputs and their uploads (freed after the
 * body), under a validation error scope that fails the test on any WebGPU error.
 */
export interface Ctx {
  k: GpuKernels;
  rng: Random;
  /** n standard normals (or `fill`), on the CPU and on the GPU. */
  pair(n: number, fill?: number): [Float32Array, GpuArray];
  /** Uploads a copy of `v`. */
  up(v: Float32Array): GpuArray;
}

export async function withGpu(seed: number, body: (c: Ctx) => Promise<void>): Promise<void> {
  const { kernels: k } = await gpuKernels();
  const rng = new Random(seed);
  const made: GpuArray[] = [];
  const up = (v: Float32Array) => {
    const a = k.upload(v);
    made.push(a);
    return a;
  };
  const pair = (n: number, fill?: number): [Float32Array, GpuArray] => {
    const v = new Float32Array(n);
    if (fill === undefined) rng.fillNormal(v);
    else v.fill(fill);
    return [v, up(v)];
  };
  k.device.pushErrorScope('validation');
  try {
    await body({ k, rng, pair, up });
  } finally {
    const error = await k.device.popErrorScope();
    for (const a of made) a.buffer.destroy();
    if (error) expect.fail(`WebGPU validation error: ${error.message}`);
  }
}

/**
 * Asserts got[i] = ref[i] (NaN and ±∞ included) or |got[i] − ref[i]| ≤ rtol·(|ref[i]| +
 * scale[i]) + 1e-12 for i < ref.length: relative to the value and to a backward-error scale
 * (Σ|terms|; none where the value is its own scale), with a floor for results that underflow.
 */
export function expectNear(
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  label: string,
  scale?: ArrayLike<number>,
  rtol = RTOL,
): void {
  expect(got.length, `${label}: length`).to.equal(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const bound = rtol * (Math.abs(ref[i]) + (scale ? scale[i] : 0)) + 1e-12;
    const same = got[i] === ref[i] || (Number.isNaN(got[i]) && Number.isNaN(ref[i]));
    if (!same && !(Math.abs(got[i] - ref[i]) <= bound)) {
      expect.fail(`${label}[${i}]: got ${got[i]}, expected ${ref[i]}`);
    }
  }
}

/** |v| elementwise, summed with |w| if given: the scale of an elementwise sum. */
export function absSum(...vs: (ArrayLike<number> | null)[]): Float64Array {
  const n = vs.find((v) => v)!.length;
  const out = new Float64Array(n);
  for (const v of vs) if (v) for (let i = 0; i < n; i++) out[i] += Math.abs(v[i]);
  return out;
}

/** Σ_c |M[r,c]·A[b,c]| for each output of out = A·Mᵀ: the backward-error scale of a product. */
export function productScale(
  A: Float32Array,
  M: Float32Array,
  batch: number,
  rows: number,
  cols: number,
): Float64Array {
  const out = new Float64Array(batch * rows);
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += Math.abs(M[r * cols + c] * A[b * cols + c]);
      out[b * rows + r] = s;
    }
  }
  return out;
}
