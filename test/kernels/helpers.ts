/**
 * What the kernels' tests share: awkward sizes, buffers guarded by sentinels, tolerant
 * comparisons, and naive double-precision references.
 */
import { expect } from '@open-wc/testing';
import { Random } from '../../src/random';

// Awkward sizes: empty, smaller than the unroll, odd, not a multiple of 4, more than a block.
export const SIZES = [0, 1, 2, 3, 5, 7, 13, 33];
export const BATCHES = [0, 1, 2, 3, 5];
export const RTOL = 1e-5; // float32 results against a double-precision reference
export const SENTINEL = Math.fround(1e30);
const PAD = 5;
export const K0 = 0.1; // dt/τ for the bounds tests
/** The kernels round the same double expression once, as the reference does. */
export const ONE_EPS = 1e-6;

/**
 * Buffers with sentinels. A typed-array view is bounds-checked against its own length (writes
 * beyond it are dropped, reads give undefined), so an exact-length view would hide an overrun.
 * Instead vec(n) returns a view at offset PAD into a larger buffer, of length n + PAD: its first
 * n entries are the data, the PAD entries after them hold SENTINEL, as when a caller passes a
 * buffer preallocated for a larger size. A kernel reading past n drags 1e30 into a result
 * (caught by the comparison); one writing past n changes a sentinel (caught by check()).
 * Assertions look at the first n entries only (head()).
 */
export class Guard {
  private readonly rng: Random;
  private readonly buffers: Float32Array[] = [];
  constructor(rng: Random) {
    this.rng = rng;
  }
  /** A view whose first n entries are standard normals (or `fill` if given), then sentinels. */
  vec(n: number, fill?: number): Float32Array {
    const buffer = new Float32Array(n + 2 * PAD).fill(SENTINEL);
    this.buffers.push(buffer);
    const data = buffer.subarray(PAD, PAD + n);
    if (fill === undefined) this.rng.fillNormal(data);
    else data.fill(fill);
    return buffer.subarray(PAD);
  }
  check(): void {
    for (const buffer of this.buffers) {
      for (let i = 0; i < PAD; i++) {
        expect(buffer[i], 'sentinel before').to.equal(SENTINEL);
        expect(buffer[buffer.length - 1 - i], 'sentinel after').to.equal(SENTINEL);
      }
    }
  }
}

/** The first n entries of v, as a plain array. */
export function head(v: Float32Array, n: number): number[] {
  return Array.from(v.subarray(0, n));
}

/**
 * Asserts |got[i] − ref[i]| ≤ rtol·scale[i] for i < ref.length (scale = Σ|terms|, a backward
 * error bound); got may be longer (a guarded view).
 */
export function expectClose(
  got: ArrayLike<number>,
  ref: ArrayLike<number>,
  scale: ArrayLike<number>,
  label: string,
  rtol = RTOL,
): void {
  expect(got.length, `${label}: length`).to.be.at.least(ref.length);
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i] - ref[i]);
    if (!(err <= rtol * scale[i])) {
      expect.fail(`${label}[${i}]: got ${got[i]}, expected ${ref[i]} (scale ${scale[i]})`);
    }
  }
}

// Naive double-precision references: value and Σ|term| for each output.

/** out = M·v, M rows × cols. */
export function refMatVec(M: Float32Array, v: Float32Array, rows: number, cols: number) {
  const val = new Float64Array(rows);
  const abs = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      val[r] += M[r * cols + c] * v[c];
      abs[r] += Math.abs(M[r * cols + c] * v[c]);
    }
  }
  return { val, abs };
}

/** M ← (1 − decay)·M + scale·Uᵀ·V. */
export function refRankB(
  M: Float32Array,
  U: Float32Array,
  V: Float32Array,
  batch: number,
  rows: number,
  cols: number,
  scale: number,
  decay: number,
) {
  const val = new Float64Array(rows * cols);
  const abs = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      val[i] = (1 - decay) * M[i];
      abs[i] = Math.abs(val[i]);
      for (let b = 0; b < batch; b++) {
        const t = scale * U[b * rows + r] * V[b * cols + c];
        val[i] += t;
        abs[i] += Math.abs(t);
      }
    }
  }
  return { val, abs };
}

/** Reference Euler step in doubles, rounded to float32 as stored. */
export function refNodeUpdate(
  n: number,
  x: Float32Array,
  eps: Float32Array,
  mu: Float32Array,
  fb: Float32Array | null,
  ds: Float32Array | null,
  k: number,
  a: number,
  nu: number,
  lambdaX: number,
) {
  const xOut: number[] = [];
  const epsOut: number[] = [];
  for (let j = 0; j < n; j++) {
    const drive = fb === null ? 0 : fb[j] * (ds === null ? 1 : ds[j]);
    xOut.push(Math.fround(x[j] + k * (drive - a * eps[j] - lambdaX * x[j])));
    epsOut.push(Math.fround(eps[j] + k * (x[j] - mu[j] - nu * eps[j])));
  }
  const maxAbs = (v: ArrayLike<number>, w?: ArrayLike<number>) =>
    Array.from(v).reduce((m, vj, j) => Math.max(m, Math.abs(vj - (w ? w[j] : 0))), 0);
  const stats = [maxAbs(xOut), maxAbs(epsOut), maxAbs(xOut, x), maxAbs(epsOut, eps)];
  return { xOut, epsOut, stats };
}

/** Runs f on every (a, b) pair of sizes, plus the big case. */
export function forShapes(f: (rows: number, cols: number) => void): void {
  for (const rows of SIZES) for (const cols of SIZES) f(rows, cols);
  f(600, 784);
}

export function forBatchShapes(f: (batch: number, rows: number, cols: number) => void): void {
  for (const batch of BATCHES)
    for (const rows of SIZES) for (const cols of SIZES) f(batch, rows, cols);
  f(2, 600, 784);
  f(3, 7, 13);
}

/** The n × n identity, guarded. */
export function identity(g: Guard, n: number): Float32Array {
  const I = g.vec(n * n, 0);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

// The bounds tests: zero lengths, and sentinels right after the data.

/** (batch, rows, cols) for the past-the-end tests: odd sizes, a row and a column. */
export const BOUND_SHAPES = [
  [3, 7, 13],
  [2, 5, 3],
  [5, 1, 9],
  [1, 9, 1],
] as const;

/** Four arrays of four 42s, for a kernel called with a zero length. */
export function fortyTwos(): [Float32Array, Float32Array, Float32Array, Float32Array] {
  const z = () => new Float32Array(4).fill(42);
  return [z(), z(), z(), z()];
}

/** Asserts that arrays from {@link fortyTwos} still hold their 42s. */
export function expectUntouched(...arrays: Float32Array[]): void {
  for (const v of arrays) expect(Array.from(v)).to.deep.equal([42, 42, 42, 42]);
}

/** Asserts that the first n entries of each array are finite and not a sentinel read in. */
export function expectFinite(label: string, n: number, ...arrays: Float32Array[]): void {
  for (const w of arrays) {
    for (let i = 0; i < n; i++) {
      if (!(Math.abs(w[i]) < 1e20)) expect.fail(`${label}[${i}] = ${w[i]}: read a sentinel`);
    }
  }
}
