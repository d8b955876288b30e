import { expect } from '@open-wc/testing';
import { Random } from '../src/random';
import {
  ACTIVATION,
  activate,
  axpy,
  batchMatMul,
  batchMatMulT,
  errorEquilibrium,
  gemv,
  gemvT,
  nodeUpdate,
  rank1Update,
  rankBUpdate,
  stateUpdate,
  sumSquares,
} from '../src/kernels';

// Awkward sizes: empty, smaller than the unroll, odd, not a multiple of 4, more than a block.
const SIZES = [0, 1, 2, 3, 5, 7, 13, 33];
const BATCHES = [0, 1, 2, 3, 5];
const RTOL = 1e-5; // float32 results against a double-precision reference
const SENTINEL = Math.fround(1e30);
const PAD = 5;
const k0 = 0.1; // dt/τ for the bounds tests

/**
 * Buffers with sentinels. A typed-array view is bounds-checked against its own length (writes
 * beyond it are dropped, reads give undefined), so an exact-length view would hide an overrun.
 * Instead vec(n) returns a view at offset PAD into a larger buffer, of length n + PAD: its first
 * n entries are the data, the PAD entries after them hold SENTINEL, as when a caller passes a
 * buffer preallocated for a larger size. A kernel reading past n drags 1e30 into a result
 * (caught by the comparison); one writing past n changes a sentinel (caught by check()).
 * Assertions look at the first n entries only (head()).
 */
class Guard {
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
function head(v: Float32Array, n: number): number[] {
  return Array.from(v.subarray(0, n));
}

/**
 * Asserts |got[i] − ref[i]| ≤ rtol·scale[i] for i < ref.length (scale = Σ|terms|, a backward
 * error bound); got may be longer (a guarded view).
 */
function expectClose(
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
function refGemv(M: Float32Array, v: Float32Array, rows: number, cols: number) {
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

function refGemvT(M: Float32Array, v: Float32Array, rows: number, cols: number) {
  const val = new Float64Array(cols);
  const abs = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      val[c] += M[r * cols + c] * v[r];
      abs[c] += Math.abs(M[r * cols + c] * v[r]);
    }
  }
  return { val, abs };
}

function refRankB(
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

/** Runs f on every (a, b) pair of sizes, plus the big case. */
function forShapes(f: (rows: number, cols: number) => void): void {
  for (const rows of SIZES) for (const cols of SIZES) f(rows, cols);
  f(600, 784);
}

function forBatchShapes(f: (batch: number, rows: number, cols: number) => void): void {
  for (const batch of BATCHES)
    for (const rows of SIZES) for (const cols of SIZES) f(batch, rows, cols);
  f(2, 600, 784);
  f(3, 7, 13);
}

function identity(g: Guard, n: number): Float32Array {
  const I = g.vec(n * n, 0);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

describe('kernels: matrix products', () => {
  it('gemv matches a double-precision reference on awkward shapes', () => {
    const g = new Guard(new Random(1));
    forShapes((rows, cols) => {
      const M = g.vec(rows * cols);
      const v = g.vec(cols);
      const out = g.vec(rows, 99);
      gemv(out, M, v, rows, cols);
      const ref = refGemv(M, v, rows, cols);
      expectClose(out, ref.val, ref.abs, `gemv ${rows}x${cols}`);
    });
    g.check();
  });

  it('gemvT matches a double-precision reference on awkward shapes', () => {
    const g = new Guard(new Random(2));
    forShapes((rows, cols) => {
      const M = g.vec(rows * cols);
      const v = g.vec(rows);
      const out = g.vec(cols, 99);
      gemvT(out, M, v, rows, cols);
      const ref = refGemvT(M, v, rows, cols);
      expectClose(out, ref.val, ref.abs, `gemvT ${rows}x${cols}`);
    });
    g.check();
  });

  it('batchMatMul (A·Mᵀ) matches a reference on awkward shapes', () => {
    const g = new Guard(new Random(3));
    forBatchShapes((batch, rows, cols) => {
      const M = g.vec(rows * cols);
      const A = g.vec(batch * cols);
      const out = g.vec(batch * rows, 99);
      batchMatMul(out, A, M, batch, rows, cols);
      for (let b = 0; b < batch; b++) {
        const ref = refGemv(M, A.subarray(b * cols, (b + 1) * cols), rows, cols);
        const got = out.subarray(b * rows, (b + 1) * rows);
        expectClose(got, ref.val, ref.abs, `batchMatMul ${batch}x${rows}x${cols} b=${b}`);
      }
    });
    g.check();
  });

  it('batchMatMulT (A·M) matches a reference on awkward shapes', () => {
    const g = new Guard(new Random(4));
    forBatchShapes((batch, rows, cols) => {
      const M = g.vec(rows * cols);
      const A = g.vec(batch * rows);
      const out = g.vec(batch * cols, 99);
      batchMatMulT(out, A, M, batch, rows, cols);
      for (let b = 0; b < batch; b++) {
        const ref = refGemvT(M, A.subarray(b * rows, (b + 1) * rows), rows, cols);
        const got = out.subarray(b * cols, (b + 1) * cols);
        expectClose(got, ref.val, ref.abs, `batchMatMulT ${batch}x${rows}x${cols} b=${b}`);
      }
    });
    g.check();
  });

  it('all four products return their input exactly for the identity matrix', () => {
    const g = new Guard(new Random(5));
    for (const n of [1, 2, 3, 5, 7, 13, 33]) {
      const I = identity(g, n);
      const v = g.vec(n);
      const out = g.vec(n);
      gemv(out, I, v, n, n);
      expect(head(out, n)).to.deep.equal(head(v, n));
      out.fill(7, 0, n);
      gemvT(out, I, v, n, n);
      expect(head(out, n)).to.deep.equal(head(v, n));
      const A = g.vec(3 * n);
      const outB = g.vec(3 * n);
      batchMatMul(outB, A, I, 3, n, n);
      expect(head(outB, 3 * n)).to.deep.equal(head(A, 3 * n));
      outB.fill(7, 0, 3 * n);
      batchMatMulT(outB, A, I, 3, n, n);
      expect(head(outB, 3 * n)).to.deep.equal(head(A, 3 * n));
    }
    g.check();
  });

  it('gemv and gemvT agree with batchMatMul and batchMatMulT on batch 1', () => {
    const g = new Guard(new Random(6));
    const M = g.vec(7 * 13);
    const v = g.vec(13);
    const u = g.vec(7);
    const a = g.vec(7);
    const b = g.vec(7);
    gemv(a, M, v, 7, 13);
    batchMatMul(b, v, M, 1, 7, 13);
    expect(head(b, 7)).to.deep.equal(head(a, 7));
    const c = g.vec(13);
    const d = g.vec(13);
    gemvT(c, M, u, 7, 13);
    batchMatMulT(d, u, M, 1, 7, 13);
    expectClose(
      d,
      head(c, 13),
      head(c, 13).map((x) => Math.abs(x) + 1e-6),
      'batchMatMulT vs gemvT',
    );
    g.check();
  });
});

describe('kernels: rank updates', () => {
  it('rank1Update matches a reference, with and without decay', () => {
    const g = new Guard(new Random(7));
    for (const [scale, decay] of [
      [0.3, 0],
      [-1.5, 0.01],
      [0, 1],
    ]) {
      forShapes((rows, cols) => {
        const M = g.vec(rows * cols);
        const u = g.vec(rows);
        const v = g.vec(cols);
        const ref = refRankB(M, u, v, 1, rows, cols, scale, decay);
        rank1Update(M, u, v, rows, cols, scale, decay);
        expectClose(M, ref.val, ref.abs, `rank1Update ${rows}x${cols} s=${scale} d=${decay}`);
      });
    }
    g.check();
  });

  it('rankBUpdate matches a reference, with and without decay', () => {
    const g = new Guard(new Random(8));
    for (const [scale, decay] of [
      [0.3, 0],
      [-1.5, 0.01],
    ]) {
      forBatchShapes((batch, rows, cols) => {
        const M = g.vec(rows * cols);
        const U = g.vec(batch * rows);
        const V = g.vec(batch * cols);
        const ref = refRankB(M, U, V, batch, rows, cols, scale, decay);
        rankBUpdate(M, U, V, batch, rows, cols, scale, decay);
        const label = `rankBUpdate ${batch}x${rows}x${cols} s=${scale} d=${decay}`;
        expectClose(M, ref.val, ref.abs, label);
      });
    }
    g.check();
  });

  it('rank1Update builds u·vᵀ from zero and decay 1 with scale 0 clears M', () => {
    const M = new Float32Array(6);
    rank1Update(M, Float32Array.of(1, -2), Float32Array.of(3, 0.5, -1), 2, 3, 2, 0);
    expect(Array.from(M)).to.deep.equal([6, 1, -2, -12, -2, 4]);
    rank1Update(M, Float32Array.of(1, 1), Float32Array.of(1, 1, 1), 2, 3, 0, 1);
    expect(Array.from(M)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    const B = new Float32Array(6).fill(1);
    rankBUpdate(B, Float32Array.of(1, 0, 0, 1), Float32Array.of(1, 2, 3, 4, 5, 6), 2, 2, 3, 1, 0.5);
    expect(Array.from(B)).to.deep.equal([1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
  });

  it('rankBUpdate with batch 0 only decays M', () => {
    const M = Float32Array.of(2, 4, -8);
    rankBUpdate(M, new Float32Array(0), new Float32Array(0), 0, 1, 3, 1, 0.25);
    expect(Array.from(M)).to.deep.equal([1.5, 3, -6]);
  });
});

describe('kernels: activate', () => {
  const sigma: Record<string, (x: number) => [number, number]> = {
    identity: (x) => [x, 1],
    tanh: (x) => [Math.tanh(x), 1 - Math.tanh(x) ** 2],
    logistic: (x) => {
      const s = 1 / (1 + Math.exp(-x));
      return [s, s * (1 - s)];
    },
    relu: (x) => [Math.max(0, x), x > 0 ? 1 : 0],
  };

  it('matches Math-based references for every kind and size', () => {
    const g = new Guard(new Random(9));
    for (const [name, kind] of Object.entries(ACTIVATION)) {
      for (const n of [...SIZES, 1000]) {
        const x = g.vec(n);
        const s = g.vec(n, 99);
        const ds = g.vec(n, 99);
        activate(s, ds, x, n, kind);
        const ref = head(x, n).map((v) => sigma[name](v));
        const ones = ref.map(() => 1);
        expectClose(
          s,
          ref.map((r) => r[0]),
          ones,
          `${name} σ n=${n}`,
          1e-6,
        );
        expectClose(
          ds,
          ref.map((r) => r[1]),
          ones,
          `${name} σ' n=${n}`,
          1e-6,
        );
      }
    }
    g.check();
  });

  it('gives the known values at known points', () => {
    const x = Float32Array.of(0, 0.5, -1, 2, 100, -100);
    const s = new Float32Array(6);
    const ds = new Float32Array(6);
    activate(s, ds, x, 6, ACTIVATION.identity);
    expect(Array.from(s)).to.deep.equal(Array.from(x));
    expect(Array.from(ds)).to.deep.equal([1, 1, 1, 1, 1, 1]);
    activate(s, ds, x, 6, ACTIVATION.tanh);
    expect(s[0]).to.equal(0);
    expect(ds[0]).to.equal(1);
    expect(s[1]).to.be.closeTo(0.46211715726000974, 1e-7);
    expect(ds[1]).to.be.closeTo(1 - 0.46211715726000974 ** 2, 1e-7);
    expect(s[4]).to.equal(1);
    expect(ds[4]).to.equal(0);
    activate(s, ds, x, 6, ACTIVATION.logistic);
    expect(s[0]).to.equal(0.5);
    expect(ds[0]).to.equal(0.25);
    expect(s[2]).to.be.closeTo(0.2689414213699951, 1e-7);
    expect(s[4]).to.equal(1);
    expect(s[5]).to.be.within(0, 1e-40); // e^−100 ≈ 3.7e−44, a float32 subnormal
    expect(ds[5]).to.be.within(0, 1e-40);
    activate(s, ds, x, 6, ACTIVATION.relu);
    expect(Array.from(s)).to.deep.equal([0, 0.5, 0, 2, 100, 0]);
    expect(Array.from(ds)).to.deep.equal([0, 1, 0, 1, 1, 0]);
  });

  it('propagates NaN through every kind', () => {
    const s = new Float32Array(1);
    const ds = new Float32Array(1);
    for (const kind of Object.values(ACTIVATION)) {
      activate(s, ds, Float32Array.of(NaN), 1, kind);
      expect(Number.isNaN(s[0]), `kind ${kind}`).to.equal(true);
    }
  });

  it('rejects an unknown kind, naming it', () => {
    const a = new Float32Array(1);
    expect(() => activate(a, a, a, 1, 7)).to.throw(RangeError, /unknown activation kind 7/);
  });
});

describe('kernels: elementwise', () => {
  it('sumSquares matches a double reference and a closed form', () => {
    const g = new Guard(new Random(10));
    for (const n of [...SIZES, 100001]) {
      const v = g.vec(n);
      let ref = 0;
      for (let j = 0; j < n; j++) ref += v[j] * v[j];
      expect(sumSquares(v, n)).to.be.closeTo(ref, 1e-12 * ref);
    }
    expect(sumSquares(Float32Array.of(1, 2, 3, 4, 5), 5)).to.equal(55);
    expect(sumSquares(Float32Array.of(1, 2, 3, 4, 5), 3)).to.equal(14);
    g.check();
  });

  it('axpy matches a reference', () => {
    const g = new Guard(new Random(11));
    for (const n of SIZES) {
      const out = g.vec(n);
      const v = g.vec(n);
      const ref = head(out, n).map((o, j) => o + -0.7 * v[j]);
      const scale = head(out, n).map((o, j) => Math.abs(o) + Math.abs(0.7 * v[j]));
      axpy(out, -0.7, v, n);
      expectClose(out, ref, scale, `axpy n=${n}`, 1e-6);
    }
    const out = Float32Array.of(1, 2, 3, 4, 5);
    axpy(out, 2, Float32Array.of(1, 1, 1, 1, 1), 5);
    expect(Array.from(out)).to.deep.equal([3, 4, 5, 6, 7]);
    g.check();
  });

  it('errorEquilibrium computes (x − μ)/ν', () => {
    const g = new Guard(new Random(12));
    for (const n of SIZES) {
      const x = g.vec(n);
      const mu = g.vec(n);
      const eps = g.vec(n, 99);
      errorEquilibrium(eps, x, mu, n, 0.3);
      const ref = head(x, n).map((xj, j) => (xj - mu[j]) / 0.3);
      expectClose(
        eps,
        ref,
        ref.map((r) => Math.abs(r)),
        `errorEquilibrium n=${n}`,
        1e-6,
      );
    }
    const eps = new Float32Array(2);
    errorEquilibrium(eps, Float32Array.of(3, -1), Float32Array.of(1, 1), 2, 0.5);
    expect(Array.from(eps)).to.deep.equal([4, -4]);
    g.check();
  });
});

/** Reference Euler step in doubles, rounded to float32 as stored. */
function refNodeUpdate(
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

const ONE_EPS = 1e-6; // the kernels round the same double expression once, as the reference does

describe('kernels: nodeUpdate and stateUpdate', () => {
  const [k, a, nu, lambdaX] = [0.1, 1, 0.7, 0.05];

  it('nodeUpdate matches a reference with and without feedback, with running stats', () => {
    const g = new Guard(new Random(13));
    for (const variant of ['top', 'fb', 'fb, ds null'] as const) {
      for (const n of [...SIZES, 1000]) {
        const [x, eps, mu] = [g.vec(n), g.vec(n), g.vec(n)];
        const fb = variant === 'top' ? null : g.vec(n);
        const ds = variant === 'fb' ? g.vec(n) : null;
        const [xOut, epsOut] = [g.vec(n, 99), g.vec(n, 99)];
        const stats = Float64Array.of(0, 0, 0, 0);
        nodeUpdate(xOut, epsOut, x, eps, mu, fb, ds, n, k, a, nu, lambdaX, stats);
        const ref = refNodeUpdate(n, x, eps, mu, fb, ds, k, a, nu, lambdaX);
        const label = `nodeUpdate ${variant} n=${n}`;
        const ones = ref.xOut.map(() => 1);
        expectClose(xOut, ref.xOut, ones, `${label} x`, ONE_EPS);
        expectClose(epsOut, ref.epsOut, ones, `${label} eps`, ONE_EPS);
        expectClose(stats, ref.stats, [1, 1, 1, 1], `${label} stats`, ONE_EPS);
        // A second step (ping-pong) keeps the running maxima over both.
        const before = Array.from(stats);
        const [x2, eps2] = [g.vec(n), g.vec(n)];
        nodeUpdate(x2, eps2, xOut, epsOut, mu, fb, ds, n, k, a, nu, lambdaX, stats);
        const ref2 = refNodeUpdate(n, xOut, epsOut, mu, fb, ds, k, a, nu, lambdaX);
        const both = ref2.stats.map((s, i) => Math.max(s, before[i]));
        expectClose(stats, both, [1, 1, 1, 1], `${label} running stats`, ONE_EPS);
      }
    }
    g.check();
  });

  it('nodeUpdate gives hand-computed values', () => {
    // k = 0.1, a = 1, ν = 1, λx = 0.5.
    // j=0: x 1, ε 0.5, μ 0.25, fb·ds 2·0.5 = 1:  x' = 1 + 0.1(1 − 0.5 − 0.5) = 1,
    //      ε' = 0.5 + 0.1(1 − 0.25 − 0.5) = 0.525.
    // j=1: x −2, ε 1, μ 0, fb·ds 4·0.25 = 1:   x' = −2 + 0.1(1 − 1 + 1) = −1.9,
    //      ε' = 1 + 0.1(−2 − 0 − 1) = 0.7.
    const x = Float32Array.of(1, -2);
    const eps = Float32Array.of(0.5, 1);
    const mu = Float32Array.of(0.25, 0);
    const [xOut, epsOut] = [new Float32Array(2), new Float32Array(2)];
    const stats = Float64Array.of(5, 0, 0, 0); // stats[0] = 5 from an earlier call survives
    nodeUpdate(
      xOut,
      epsOut,
      x,
      eps,
      mu,
      Float32Array.of(2, 4),
      Float32Array.of(0.5, 0.25),
      2,
      0.1,
      1,
      1,
      0.5,
      stats,
    );
    expect(xOut[0]).to.be.closeTo(1, 1e-7);
    expect(xOut[1]).to.be.closeTo(-1.9, 1e-6);
    expect(epsOut[0]).to.be.closeTo(0.525, 1e-7);
    expect(epsOut[1]).to.be.closeTo(0.7, 1e-7);
    expect(stats[0]).to.equal(5);
    expect(stats[1]).to.be.closeTo(0.7, 1e-7);
    expect(stats[2]).to.be.closeTo(0.1, 1e-6);
    expect(stats[3]).to.be.closeTo(0.3, 1e-7);
    // Top layer (no feedback): x' = 1 + 0.1(−0.5 − 0.5) = 0.9 and −2 + 0.1(−1 + 1) = −2.
    stats.fill(0);
    nodeUpdate(xOut, epsOut, x, eps, mu, null, null, 2, 0.1, 1, 1, 0.5, stats);
    expect(xOut[0]).to.be.closeTo(0.9, 1e-7);
    expect(xOut[1]).to.equal(-2);
    expect(stats[0]).to.equal(2);
    expect(stats[2]).to.be.closeTo(0.1, 1e-7);
  });

  it('nodeUpdate makes a stat NaN when a NaN appears, and keeps it NaN', () => {
    const rng = new Random(14);
    const n = 7;
    const run = (where: 'x' | 'eps' | 'mu' | 'fb', at: number, stats: Float64Array) => {
      const [x, eps, mu, fb, ds] = [0, 0, 0, 0, 0].map(() => rng.fillNormal(new Float32Array(n)));
      ({ x, eps, mu, fb })[where][at] = NaN;
      nodeUpdate(
        new Float32Array(n),
        new Float32Array(n),
        x,
        eps,
        mu,
        fb,
        ds,
        n,
        k,
        a,
        nu,
        lambdaX,
        stats,
      );
      return Array.from(stats, (s) => Number.isNaN(s));
    };
    // A NaN in fb reaches x only; in μ, ε only; in x or ε, both. First, middle and last element.
    for (const at of [0, 3, n - 1]) {
      expect(run('fb', at, new Float64Array(4)), `fb@${at}`).to.deep.equal([
        true,
        false,
        true,
        false,
      ]);
      expect(run('mu', at, new Float64Array(4)), `mu@${at}`).to.deep.equal([
        false,
        true,
        false,
        true,
      ]);
      expect(run('x', at, new Float64Array(4)), `x@${at}`).to.deep.equal([true, true, true, true]);
      expect(run('eps', at, new Float64Array(4)), `eps@${at}`).to.deep.equal([
        true,
        true,
        true,
        true,
      ]);
    }
    // A NaN stat from an earlier call stays NaN through a finite call; the others stay finite.
    const stats = Float64Array.of(NaN, 0, 0, NaN);
    const x = rng.fillNormal(new Float32Array(n));
    nodeUpdate(
      new Float32Array(n),
      new Float32Array(n),
      x,
      x,
      x,
      null,
      null,
      n,
      k,
      a,
      nu,
      lambdaX,
      stats,
    );
    expect(Array.from(stats, (s) => Number.isNaN(s))).to.deep.equal([true, false, false, true]);
  });

  it('stateUpdate matches a reference in place and returns max |Δx|', () => {
    const g = new Guard(new Random(15));
    for (const variant of ['top', 'fb', 'fb, ds null'] as const) {
      for (const n of [...SIZES, 1000]) {
        const [x, eps, mu] = [g.vec(n), g.vec(n), g.vec(n)];
        const fb = variant === 'top' ? null : g.vec(n);
        const ds = variant === 'fb' ? g.vec(n) : null;
        const ref = refNodeUpdate(n, x, eps, mu, fb, ds, k, a, nu, lambdaX);
        const ones = ref.xOut.map(() => 1);
        const m = stateUpdate(x, fb, ds, eps, n, k, a, lambdaX);
        expectClose(x, ref.xOut, ones, `stateUpdate ${variant} n=${n}`, ONE_EPS);
        expect(m).to.be.closeTo(ref.stats[2], ONE_EPS);
      }
    }
    g.check();
  });

  it('stateUpdate gives hand-computed values and propagates NaN', () => {
    // x' = x + 0.1(fb·ds − ε − 0.5x): 1 + 0.1(1 − 0.5 − 0.5) = 1; −2 + 0.1(1 − 1 + 1) = −1.9.
    const x = Float32Array.of(1, -2);
    const m = stateUpdate(
      x,
      Float32Array.of(2, 4),
      Float32Array.of(0.5, 0.25),
      Float32Array.of(0.5, 1),
      2,
      0.1,
      1,
      0.5,
    );
    expect(x[0]).to.be.closeTo(1, 1e-7);
    expect(x[1]).to.be.closeTo(-1.9, 1e-6);
    expect(m).to.be.closeTo(0.1, 1e-6);
    for (const at of [0, 1, 4]) {
      const y = Float32Array.of(1, 2, 3, 4, 5);
      y[at] = NaN;
      expect(
        Number.isNaN(stateUpdate(y, null, null, new Float32Array(5), 5, k, a, lambdaX)),
      ).to.equal(true);
    }
  });
});

describe('kernels: bounds', () => {
  it('leave their outputs untouched on zero-length inputs', () => {
    const z = () => new Float32Array(4).fill(42);
    const untouched = (...arrays: Float32Array[]) => {
      for (const v of arrays) expect(Array.from(v)).to.deep.equal([42, 42, 42, 42]);
    };
    const [o, A, M, v] = [z(), z(), z(), z()];
    gemv(o, M, v, 0, 0);
    gemv(o, M, v, 0, 5);
    gemvT(o, M, v, 0, 0);
    gemvT(o, M, v, 5, 0);
    batchMatMul(o, A, M, 0, 0, 0);
    batchMatMul(o, A, M, 0, 3, 5);
    batchMatMul(o, A, M, 3, 0, 5);
    batchMatMulT(o, A, M, 0, 0, 0);
    batchMatMulT(o, A, M, 0, 3, 5);
    batchMatMulT(o, A, M, 3, 5, 0);
    rank1Update(M, A, v, 0, 0, 1, 0.5);
    rank1Update(M, A, v, 0, 5, 1, 0.5);
    rank1Update(M, A, v, 5, 0, 1, 0.5);
    rankBUpdate(M, A, v, 0, 0, 0, 1, 0.5);
    rankBUpdate(M, A, v, 3, 0, 5, 1, 0.5);
    rankBUpdate(M, A, v, 3, 5, 0, 1, 0.5);
    for (const kind of Object.values(ACTIVATION)) activate(o, M, v, 0, kind);
    const stats = Float64Array.of(1, 2, 3, 4);
    nodeUpdate(o, M, v, v, v, v, v, 0, k0, 1, 1, 0, stats);
    nodeUpdate(o, M, v, v, v, null, null, 0, k0, 1, 1, 0, stats);
    expect(Array.from(stats)).to.deep.equal([1, 2, 3, 4]);
    expect(stateUpdate(o, v, v, v, 0, k0, 1, 0)).to.equal(0);
    errorEquilibrium(o, v, v, 0, 1);
    axpy(o, 2, v, 0);
    expect(sumSquares(v, 0)).to.equal(0);
    untouched(o, A, M, v);
  });

  it('do not read or write past n, rows·cols or batch·size (sentinels after the data)', () => {
    const g = new Guard(new Random(16));
    const finite = (label: string, n: number, ...arrays: Float32Array[]) => {
      for (const w of arrays) {
        for (let i = 0; i < n; i++) {
          if (!(Math.abs(w[i]) < 1e20)) expect.fail(`${label}[${i}] = ${w[i]}: read a sentinel`);
        }
      }
    };
    for (const [batch, rows, cols] of [
      [3, 7, 13],
      [2, 5, 3],
      [5, 1, 9],
      [1, 9, 1],
    ]) {
      const M = g.vec(rows * cols);
      const [vr, vc, outR, outC] = [g.vec(rows), g.vec(cols), g.vec(rows), g.vec(cols)];
      gemv(outR, M, vc, rows, cols);
      gemvT(outC, M, vr, rows, cols);
      finite('gemv', rows, outR);
      finite('gemvT', cols, outC);
      const [Ar, Ac, outBR, outBC] = [
        g.vec(batch * rows),
        g.vec(batch * cols),
        g.vec(batch * rows),
        g.vec(batch * cols),
      ];
      batchMatMul(outBR, Ac, M, batch, rows, cols);
      batchMatMulT(outBC, Ar, M, batch, rows, cols);
      finite('batchMatMul', batch * rows, outBR);
      finite('batchMatMulT', batch * cols, outBC);
      rank1Update(M, vr, vc, rows, cols, 0.1, 0.01);
      rankBUpdate(M, Ar, Ac, batch, rows, cols, 0.1, 0.01);
      finite('rank updates', rows * cols, M);
      const n = batch * cols;
      const [x, eps, mu, fb, ds, s, xOut, epsOut] = Array.from({ length: 8 }, () => g.vec(n));
      for (const kind of Object.values(ACTIVATION)) activate(s, ds, x, n, kind);
      const stats = new Float64Array(4);
      nodeUpdate(xOut, epsOut, x, eps, mu, fb, ds, n, k0, 1, 1, 0.1, stats);
      nodeUpdate(xOut, epsOut, x, eps, mu, null, null, n, k0, 1, 1, 0.1, stats);
      expect(Math.max(...stats)).to.be.below(1e20);
      expect(stateUpdate(x, fb, ds, eps, n, k0, 1, 0.1)).to.be.below(1e20);
      expect(stateUpdate(x, fb, null, eps, n, k0, 1, 0.1)).to.be.below(1e20);
      errorEquilibrium(eps, x, mu, n, 0.5);
      axpy(x, 0.5, mu, n);
      expect(sumSquares(x, n)).to.be.below(1e20);
      finite('elementwise', n, s, ds, xOut, epsOut, x, eps);
    }
    g.check();
  });
});
