/**
 * The `constrained` study: the paper's closing section proposes that generation "could be
 * reformulated as a constrained optimization problem in which we seek to minimize ‖x‖²₂
 * subject to Ax = y" (section 5; the penalised form min ‖Ax − y‖²₂ + λ‖x‖²₂ is section 3.2's,
 * and activity decay, eq. 3.11, is its gradient descent). Here the constraint is the network's
 * own equations at a generative equilibrium with every error node at zero (eqs. 2.4, 3.9):
 *
 *     x(i+1) = M(i) σ(x(i))   for i = 1 … n−1,   x(n) = Y clamped                 (3.9)
 *
 * and x is every free state (x(1) … x(n−1)), since λx decays all of them (eq. 3.11).
 *
 * - Linear networks (σ = identity): the constraints are a linear system A z = b, solved for
 *   its minimum 2-norm solution z* = Aᵀ (A Aᵀ)⁻¹ b in float64 (Theorem 1's "minimum 2-norm
 *   solution", here by a Cholesky factor of A Aᵀ instead of the SVD: the same solution when A
 *   has full row rank). Activity decay's equilibrium with W = Mᵀ minimises
 *   ½‖A z − b‖² + ½ λx ‖z‖² (F of eq. 2.7 with ν = 1, plus the decay's prior): the ridge
 *   solution Aᵀ (A Aᵀ + λx I)⁻¹ b, which tends to z* as λx → 0 (Theorem 1's limit). The study
 *   generates with a sequence of λx and measures the distance to z*.
 * - The tanh MNIST network: the constraints are nonlinear; {@link solveConstrained} finds a
 *   local minimum by the augmented Lagrangian (method of multipliers; a penalty method whose
 *   multipliers make the constraint exact at a moderate ρ), and the study compares it with the
 *   E5 protocol's generated digits (activity decay).
 *
 * Measured (`pcnet study constrained --quick`, seed 1; docs/results/study-constrained-quick.json):
 * the linear network's distance to z* falls with λx (1.77, 0.38, 0.042 at λx = 0.1, 0.01,
 * 0.001; 2.36 without decay, the starting state's null-space part) until float32's floor
 * (see {@link LinearRow.float32Floor}: 0.020 at λx = 1e-4, the floor 0.012), and z*'s x(1) is
 * 0.46 from its class centroid (the samples: 0.60), as Theorem 1 says. On the tanh decay network
 * the constrained digits score a higher cosine than activity decay's (0.60 against 0.49) with a
 * larger norm (6.9 against 2.0): decay's samples do not meet the equations (residual 0.60). On
 * the no-decay network the constrained form cuts ‖x(1)‖ from 6.2 to 2.1 but not the cosine
 * (0.30 either way): a minimum-norm x alone does not make a digit when M is not minimum-norm,
 * as Theorem 1 needs both.
 */
import { classCosines, oneHot } from '../data/mnist';
import { classCentroids, makePrototypeData } from '../data/synthetic';
import type { ExperimentUnits } from '../experiments/units';
import { labelled, type MnistData, subsetClassMeans } from '../experiments/mnist';
import { trainContinuous } from '../experiments/protocol';
import type { ExperimentReport } from '../experiments/types';
import { cosineSimilarity } from '../metrics';
import { Network } from '../model/network';
import { Random } from '../random';

// ---------------------------------------------------------------------------------------------
// Linear algebra (float64)

/**
 * The minimum 2-norm solution of the underdetermined system A z = b (A is m × n row-major,
 * m ≤ n, full row rank): z = Aᵀ (A Aᵀ + λ I)⁻¹ b, with λ = 0 by default (Theorem 1's proof,
 * AT_j = V Σ⁻¹ Uᵀ y_j, is the same z). With λ > 0 it is the ridge solution, the minimiser of
 * ‖A z − b‖² + λ‖z‖² (section 3.2). Throws when A Aᵀ + λ I is not positive definite (A not
 * of full row rank), naming the pivot.
 */
export function minNormSolve(
  A: ArrayLike<number>,
  m: number,
  n: number,
  b: ArrayLike<number>,
  lambda = 0,
): Float64Array {
  if (A.length !== m * n)
    throw new RangeError(`minNormSolve: A must hold ${m}×${n} numbers, got ${A.length}`);
  if (b.length !== m)
    throw new RangeError(`minNormSolve: b must hold ${m} numbers, got ${b.length}`);
  if (!(lambda >= 0)) throw new RangeError(`minNormSolve: lambda must be ≥ 0, got ${lambda}`);
  // G = A Aᵀ + λ I, then its Cholesky factor G = C Cᵀ in place (lower triangle).
  const G = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += A[i * n + k] * A[j * n + k];
      G[i * m + j] = acc + (i === j ? lambda : 0);
    }
  }
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, G[i * m + i]);
  for (let j = 0; j < m; j++) {
    let d = G[j * m + j];
    for (let k = 0; k < j; k++) d -= G[j * m + k] * G[j * m + k];
    if (!(d > 1e-13 * scale)) {
      throw new RangeError(`minNormSolve: A has no full row rank (pivot ${j} of A Aᵀ is ${d})`);
    }
    const c = Math.sqrt(d);
    G[j * m + j] = c;
    for (let i = j + 1; i < m; i++) {
      let acc = G[i * m + j];
      for (let k = 0; k < j; k++) acc -= G[i * m + k] * G[j * m + k];
      G[i * m + j] = acc / c;
    }
  }
  // Solve C u = b, then Cᵀ w = u; z = Aᵀ w.
  const w = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let acc = b[i];
    for (let k = 0; k < i; k++) acc -= G[i * m + k] * w[k];
    w[i] = acc / G[i * m + i];
  }
  for (let i = m - 1; i >= 0; i--) {
    let acc = w[i];
    for (let k = i + 1; k < m; k++) acc -= G[k * m + i] * w[k];
    w[i] = acc / G[i * m + i];
  }
  const z = new Float64Array(n);
  for (let i = 0; i < m; i++) for (let k = 0; k < n; k++) z[k] += A[i * n + k] * w[i];
  return z;
}

/**
 * The linear network's generative equations (3.9 with σ = identity) as A z = b for the free
 * states z = [x(1); …; x(n−1)]: the rows x(i+1) − M(i) x(i) = 0 for i < n−1 and
 * M(n−1) x(n−1) = Y. `b(Y)` fills the right-hand side for a target Y.
 */
export function linearConstraints(
  M: readonly ArrayLike<number>[],
  sizes: readonly number[],
): { A: Float64Array; m: number; n: number; b(Y: ArrayLike<number>): Float64Array } {
  const L = sizes.length;
  const offsets: number[] = [];
  let n = 0;
  for (let l = 0; l + 1 < L; l++) {
    offsets.push(n);
    n += sizes[l];
  }
  const m = sizes.slice(1).reduce((a, c) => a + c, 0);
  const A = new Float64Array(m * n);
  let row = 0;
  for (let l = 1; l < L; l++) {
    const Ml = M[l - 1];
    const cols = sizes[l - 1];
    for (let r = 0; r < sizes[l]; r++, row++) {
      const sign = l < L - 1 ? -1 : 1;
      for (let c = 0; c < cols; c++) A[row * n + offsets[l - 1] + c] = sign * Ml[r * cols + c];
      if (l < L - 1) A[row * n + offsets[l] + r] = 1;
    }
  }
  const nOut = sizes[L - 1];
  return {
    A,
    m,
    n,
    b: (Y) => {
      const out = new Float64Array(m);
      for (let j = 0; j < nOut; j++) out[m - nOut + j] = Y[j];
      return out;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The nonlinear constrained problem: augmented Lagrangian

/** How {@link solveConstrained} runs (every choice is ours; the paper names only the problem). */
export interface ConstrainedOptions {
  /** The penalty ρ of the first outer step. */
  rho: number;
  /** ρ is multiplied by this after every outer step, up to {@link rhoMax}. */
  rhoGrowth: number;
  rhoMax: number;
  /** Outer steps (multiplier updates μ += ρ r). */
  outer: number;
  /** Gradient steps on the augmented Lagrangian per outer step. */
  inner: number;
}

export const DEFAULT_CONSTRAINED: Readonly<ConstrainedOptions> = Object.freeze({
  rho: 1,
  rhoGrowth: 2,
  rhoMax: 256,
  outer: 30,
  inner: 100,
});

/** One outer step of the solver: ρ, and the mean over the samples of ‖z‖, ‖x(1)‖ and ‖r‖. */
export interface ConstrainedStep {
  rho: number;
  norm: number;
  inputNorm: number;
  residual: number;
}

/** A network's weights and shape, as the solver reads them. */
export interface Equations {
  M: readonly Float32Array[];
  sizes: readonly number[];
  activation: 'tanh' | 'identity';
}

const sig = (tanh: boolean, v: number) => (tanh ? Math.tanh(v) : v);

/**
 * The residuals of eq. 3.9 for B samples: r(i+1) = x(i+1) − M(i) σ(x(i)) (i+1 < n) and
 * r(n) = Y − M(n−1) σ(x(n−1)); `z[l]` holds layer l's free states (B × N_l), `r[l]` layer l's
 * residual (r[0] unused). Returns Σ ‖r‖².
 */
export function residuals(
  eq: Equations,
  z: readonly Float64Array[],
  Y: ArrayLike<number>,
  B: number,
  r: Float64Array[],
  sigma: Float64Array = new Float64Array(B * Math.max(...eq.sizes)),
): number {
  const { M, sizes } = eq;
  const tanh = eq.activation === 'tanh';
  const L = sizes.length;
  let total = 0;
  for (let l = 1; l < L; l++) {
    const rows = sizes[l];
    const cols = sizes[l - 1];
    const Ml = M[l - 1];
    const below = z[l - 1];
    for (let i = 0; i < B * cols; i++) sigma[i] = sig(tanh, below[i]);
    const out = r[l];
    for (let b = 0; b < B; b++) {
      const so = b * cols;
      for (let i = 0; i < rows; i++) {
        const mo = i * cols;
        let acc = 0;
        for (let c = 0; c < cols; c++) acc += Ml[mo + c] * sigma[so + c];
        const x = l < L - 1 ? z[l][b * rows + i] : Y[b * rows + i];
        const v = x - acc;
        out[b * rows + i] = v;
        total += v * v;
      }
    }
  }
  return total;
}

/**
 * Solves min ½‖z‖² subject to eq. 3.9 (see the module) for B targets Y (B × N_n) from the zero
 * state, by the augmented Lagrangian
 *
 *     L_ρ(z, μ) = ½‖z‖² + μᵀ r(z) + ½ ρ ‖r(z)‖²,     then μ ← μ + ρ r(z),  ρ ← min(g ρ, ρmax)
 *
 * (Nocedal & Wright, ch. 17), each inner minimisation by gradient steps of Barzilai-Borwein
 * length with a non-monotone Armijo backtracking. The problem is not convex for tanh: this is
 * a local minimum near the zero state. Returns the free states (z[l], B × N_l for l < n−1)
 * and every outer step's ρ, norms and residual.
 */
export function solveConstrained(
  eq: Equations,
  Y: ArrayLike<number>,
  B: number,
  options: Partial<ConstrainedOptions> = {},
): { z: Float64Array[]; path: ConstrainedStep[] } {
  const o = { ...DEFAULT_CONSTRAINED, ...options };
  const { M, sizes } = eq;
  const tanh = eq.activation === 'tanh';
  const L = sizes.length;
  const free = L - 1;
  const zeros = () => sizes.map((n) => new Float64Array(B * n));
  const z = zeros().slice(0, free);
  const zTry = zeros().slice(0, free);
  const zPrev = zeros().slice(0, free);
  const g = zeros().slice(0, free);
  const gPrev = zeros().slice(0, free);
  const r = zeros();
  const mu = zeros();
  const e = zeros();
  let rho = o.rho;
  const widest = B * Math.max(...sizes);
  const sigma = new Float64Array(widest);
  const back = new Float64Array(widest);
  const lagrangian = (zz: Float64Array[]): number => {
    residuals(eq, zz, Y, B, r, sigma);
    let f = 0;
    for (let l = 0; l < free; l++) for (const v of zz[l]) f += 0.5 * v * v;
    for (let l = 1; l < L; l++) {
      const rl = r[l];
      const ml = mu[l];
      for (let i = 0; i < rl.length; i++) f += ml[i] * rl[i] + 0.5 * rho * rl[i] * rl[i];
    }
    return f;
  };
  // ∂L/∂x(l) = x(l) + e(l) − σ'(x(l)) ⊙ M(l)ᵀ e(l+1), with e = μ + ρ r (e(0) = 0): r at zz.
  const gradient = (zz: Float64Array[], out: Float64Array[]): void => {
    for (let l = 1; l < L; l++) {
      const rl = r[l];
      const ml = mu[l];
      const el = e[l];
      for (let i = 0; i < rl.length; i++) el[i] = ml[i] + rho * rl[i];
    }
    for (let l = 0; l < free; l++) {
      const cols = sizes[l];
      const rows = sizes[l + 1];
      const Ml = M[l];
      const x = zz[l];
      const gl = out[l];
      const above = e[l + 1];
      // back = M(l)ᵀ e(l+1), row by row of M (contiguous), then the σ' product.
      back.fill(0, 0, B * cols);
      for (let b = 0; b < B; b++) {
        const so = b * cols;
        for (let i = 0; i < rows; i++) {
          const a = above[b * rows + i];
          if (a === 0) continue;
          const mo = i * cols;
          for (let c = 0; c < cols; c++) back[so + c] += Ml[mo + c] * a;
        }
      }
      for (let i = 0; i < B * cols; i++) {
        const t = tanh ? Math.tanh(x[i]) : 0;
        gl[i] = x[i] + (l > 0 ? e[l][i] : 0) - (tanh ? 1 - t * t : 1) * back[i];
      }
    }
  };
  const dot = (a: Float64Array[], b: Float64Array[]) => {
    let s = 0;
    for (let l = 0; l < free; l++) for (let i = 0; i < a[l].length; i++) s += a[l][i] * b[l][i];
    return s;
  };
  const path: ConstrainedStep[] = [];
  for (let k = 0; k < o.outer; k++) {
    let f = lagrangian(z);
    gradient(z, g);
    let step = 1 / (1 + rho);
    const recent: number[] = [f];
    for (let it = 0; it < o.inner; it++) {
      const gg = dot(g, g);
      if (!(gg > 1e-24)) break;
      const fMax = Math.max(...recent);
      let accepted = false;
      for (let tries = 0; tries < 40; tries++) {
        for (let l = 0; l < free; l++) {
          for (let i = 0; i < z[l].length; i++) zTry[l][i] = z[l][i] - step * g[l][i];
        }
        const fTry = lagrangian(zTry);
        if (fTry <= fMax - 1e-4 * step * gg) {
          f = fTry;
          accepted = true;
          break;
        }
        step /= 2;
      }
      if (!accepted) break;
      for (let l = 0; l < free; l++) {
        zPrev[l].set(z[l]);
        z[l].set(zTry[l]);
        gPrev[l].set(g[l]);
      }
      gradient(z, g); // r is zTry's = z's
      // Barzilai-Borwein: step = sᵀs / sᵀy with s = z − z_prev, y = g − g_prev.
      let ss = 0;
      let sy = 0;
      for (let l = 0; l < free; l++) {
        for (let i = 0; i < z[l].length; i++) {
          const s = z[l][i] - zPrev[l][i];
          ss += s * s;
          sy += s * (g[l][i] - gPrev[l][i]);
        }
      }
      step = sy > 0 ? Math.min(1e4, ss / sy) : step * 2;
      recent.push(f);
      if (recent.length > 10) recent.shift();
    }
    residuals(eq, z, Y, B, r, sigma);
    for (let l = 1; l < L; l++) for (let i = 0; i < r[l].length; i++) mu[l][i] += rho * r[l][i];
    path.push({ rho, ...stateNorms(eq, z, Y, B, r) });
    rho = Math.min(rho * o.rhoGrowth, o.rhoMax);
  }
  return { z, path };
}

/** The mean over B samples of ‖z‖ (every free layer), ‖x(1)‖ and ‖r‖ (eq. 3.9's residual). */
export function stateNorms(
  eq: Equations,
  z: readonly Float64Array[],
  Y: ArrayLike<number>,
  B: number,
  scratch?: Float64Array[],
): { norm: number; inputNorm: number; residual: number } {
  const { sizes } = eq;
  const L = sizes.length;
  const r = scratch ?? sizes.map((n) => new Float64Array(B * n));
  residuals(eq, z, Y, B, r);
  let norm = 0;
  let inputNorm = 0;
  let residual = 0;
  for (let b = 0; b < B; b++) {
    let zz = 0;
    let rr = 0;
    for (let l = 0; l + 1 < L; l++) {
      for (let i = 0; i < sizes[l]; i++) zz += z[l][b * sizes[l] + i] ** 2;
      if (l === 0) inputNorm += Math.sqrt(zz) / B;
    }
    for (let l = 1; l < L; l++)
      for (let i = 0; i < sizes[l]; i++) rr += r[l][b * sizes[l] + i] ** 2;
    norm += Math.sqrt(zz) / B;
    residual += Math.sqrt(rr) / B;
  }
  return { norm, inputNorm, residual };
}

/** A network's free states x(1) … x(n−1) (B samples) as float64 copies. */
function freeStates(net: Network): Float64Array[] {
  return net.sizes.slice(0, -1).map((_, l) => Float64Array.from(net.x(l)));
}

const distance = (
  a: ArrayLike<number>,
  ao: number,
  b: ArrayLike<number>,
  bo: number,
  n: number,
) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[ao + i] - b[bo + i]) ** 2;
  return Math.sqrt(s);
};

// ---------------------------------------------------------------------------------------------
// The study

/**
 * The study's settings (`quick` shrinks the MNIST part and the λx grid's longest runs).
 * Time on this project's 2-core machine (2026-12-08, wasm kernels): `--quick` 68 s; the full
 * study about 5 min of one core (the λx = 1e-4 unit 137 s of wall time under load; a tanh
 * unit ~105 CPU s: 60 s training, 30 s generation, 15 s solver). The units run on the
 * calling thread: two `--shard` processes halve it.
 */
export function constrainedSettings(options: { seed: number; quick: boolean }) {
  const q = options.quick;
  return {
    seed: options.seed,
    /** The training digits of the tanh networks (the class means they are compared with). */
    digits: q ? 200 : 1000,
    linear: {
      /** E3's trained-with-weight-decay network: 10-5-3, W = Mᵀ at the start (section 4.3). */
      layers: [10, 5, 3],
      tau: 0.02,
      gamma: 0.1,
      dt: 0.001,
      batch: 20,
      holdSeconds: q ? 2 : 5,
      epochs: q ? 3 : 10,
      weightDecay: 0.05,
      /** λx of the generative runs, and 0 (no decay) run as long as the smallest λx. */
      lambdaX: q
        ? [0.1, 0.01, 0.001, 0.0001, 0]
        : [0.1, 0.03, 0.01, 0.003, 0.001, 0.0003, 0.0001, 0],
      /** Each generative run lasts settleTimeConstants · τ / λx (x(1)'s null-space part decays as e^{−λx t/τ}). */
      settleTimeConstants: q ? 10 : 14,
      /** Generative runs per class, from x, ε ~ N(0, 1) (section 4.2). */
      startsPerClass: q ? 2 : 5,
      generateDt: 0.001,
    },
    tanh: {
      /** E5's network and protocol (quick: a 64-node hidden layer, E5 --quick's data). */
      layers: q ? [784, 64, 10] : [784, 600, 10],
      digits: q ? 200 : 1000,
      epochs: q ? 2 : 8,
      batch: 20,
      holdSeconds: 1,
      dt: 0.01,
      tau: 0.2,
      gamma: 0.8,
      decay: 0.05,
      generateSeconds: q ? 20 : 60,
      generateDt: q ? 0.01 : 0.002,
      /**
       * The solver (quick: fewer steps). ρ up to 256: with ρ ≤ 16 the decay network's
       * residual was still 0.06 after 30 × 100 steps (measured, quick network).
       */
      solver: q ? { ...DEFAULT_CONSTRAINED, outer: 16, inner: 60 } : { ...DEFAULT_CONSTRAINED },
    },
  };
}

export type ConstrainedSettings = ReturnType<typeof constrainedSettings>;

/** One unit: a linear generative run at one λx, or one tanh network (with or without decay). */
export type ConstrainedUnit =
  { kind: 'linear'; lambdaX: number } | { kind: 'tanh'; decay: boolean };

/** One row of the linear part (means over the generated samples). */
export interface LinearRow {
  lambdaX: number;
  /** ‖x(1) − x*(1)‖, x* the minimum-norm solution of the network's equations. */
  distance: number;
  /** The distance of the whole free state [x(1); x(2)] to z*. */
  stateDistance: number;
  /** ‖x(1)‖. */
  norm: number;
  /** ‖x(1) − x_λ(1)‖, x_λ the closed-form ridge solution: how far the run is from its equilibrium. */
  ridgeDistance: number;
  /** ‖A z − b‖ of the generated state. */
  residual: number;
  /**
   * Where float32's Euler steps stall: a state moves only while its step k λx |x − x_λ| is above
   * half an ulp of x, so the run stops about ulp(max |x(1)|) / (2 k λx) from its equilibrium
   * (k = dt/τ; null without decay). The distance cannot shrink below this floor.
   */
  float32Floor: number | null;
  seconds: number;
}

/** The minimum-norm solution's summary, the same in every linear unit. */
export interface MinNormSummary {
  /** Mean over the classes of ‖x*(1)‖ and ‖z*‖. */
  norm: number;
  stateNorm: number;
  /** ‖x*(1) − class centroid‖ (Theorem 1: the min-norm x resembles the training inputs). */
  centroidDistance: number;
  /** The training samples' mean distance to their centroid, for scale. */
  sampleSpread: number;
  /** ‖W − Mᵀ‖_max of the trained network (W = Mᵀ is what makes decay the ridge solution). */
  transposeGap: number;
}

export interface LinearUnitResult {
  row: LinearRow;
  minNorm: MinNormSummary;
}

/** What the constrained solver and activity decay give one way of generating. */
export interface GenerationSummary {
  cosine: { avg: number; min: number; max: number };
  /** Mean ‖x(1)‖, ‖z‖ (all free layers) and ‖r‖ (eq. 3.9's residual) over the classes. */
  inputNorm: number;
  norm: number;
  residual: number;
}

export interface TanhUnitResult {
  decay: boolean;
  trainSeconds: number;
  /** The E5 protocol's generated digits (λx = decay, from the zero state). */
  generated: GenerationSummary;
  /** {@link solveConstrained}'s solutions, and its path. */
  constrained: GenerationSummary & { path: ConstrainedStep[]; seconds: number };
  /**
   * min over the classes k of Σ_j |M(n−1)[k, j]|: the largest value output k can reach with
   * |σ| ≤ 1. Below 1, the one-hot target is out of reach and the constraint (3.9) infeasible:
   * the solver's residual stays above zero while ‖x‖ grows (tanh saturates).
   */
  outputBound: number;
  /** Cosine between the generated and the constrained x(1), per class. */
  agreement: number[];
  /** The generated and the constrained x(1) of each class, rounded (for the pictures). */
  images: { generated: number[][]; constrained: number[][] };
}

export type ConstrainedUnitResult = LinearUnitResult | TanhUnitResult;

/** The linear network of the study, trained (deterministic in the settings). */
function trainLinear(s: ConstrainedSettings) {
  const c = s.linear;
  const data = makePrototypeData({ classes: 3, dim: 10, samples: 200, seed: s.seed });
  const net = new Network(
    {
      layers: c.layers,
      tiedInit: true,
      tau: c.tau,
      gamma: c.gamma,
      dt: c.dt,
      lambdaM: c.weightDecay,
      lambdaW: c.weightDecay,
      seed: s.seed,
    },
    { batch: c.batch },
  );
  trainContinuous(net, data, { epochs: c.epochs, holdSeconds: c.holdSeconds, shuffleSeed: s.seed });
  return { net, data };
}

/** A linear unit: train, solve z* per class, generate at λx, compare. */
export function runLinearUnit(s: ConstrainedSettings, lambdaX: number): LinearUnitResult {
  const start = performance.now();
  const c = s.linear;
  const { net, data } = trainLinear(s);
  const classes = 3;
  const sizes = net.sizes;
  const { A, m, n, b } = linearConstraints(net.M, sizes);
  const eye = oneHot([0, 1, 2], classes);
  const zStar = [0, 1, 2].map((k) => minNormSolve(A, m, n, b(eye.subarray(k * 3, k * 3 + 3))));
  const centroids = classCentroids(data.inputs, data.labels, classes, 10);
  let spread = 0;
  for (let i = 0; i < data.count; i++) {
    spread += distance(data.inputs, i * 10, centroids, data.labels[i] * 10, 10) / data.count;
  }
  let gap = 0;
  for (let l = 0; l < net.M.length; l++) {
    const rows = sizes[l + 1];
    const cols = sizes[l];
    for (let r = 0; r < rows; r++) {
      for (let q = 0; q < cols; q++) {
        gap = Math.max(gap, Math.abs(net.M[l][r * cols + q] - net.W[l][q * rows + r]));
      }
    }
  }
  const norm2 = (v: ArrayLike<number>, o: number, len: number) =>
    distance(v, o, new Float64Array(len), 0, len);
  const minNorm: MinNormSummary = {
    norm: zStar.reduce((a, z) => a + norm2(z, 0, 10), 0) / classes,
    stateNorm: zStar.reduce((a, z) => a + norm2(z, 0, n), 0) / classes,
    centroidDistance:
      zStar.reduce((a, z, k) => a + distance(z, 0, centroids, k * 10, 10), 0) / classes,
    sampleSpread: spread,
    transposeGap: gap,
  };
  // Generate: startsPerClass runs per class from N(0, 1) states, long enough to settle.
  const smallest = Math.min(...c.lambdaX.filter((v) => v > 0));
  const seconds = (c.settleTimeConstants * c.tau) / (lambdaX > 0 ? lambdaX : smallest);
  const per = c.startsPerClass;
  const labels = Uint8Array.from({ length: classes * per }, (_, i) => Math.floor(i / per));
  net.setParams({ lambdaX, dt: c.generateDt });
  const gen = net.withBatch(labels.length);
  gen.setMode('generate');
  gen.setTargetClass(labels);
  gen.resetState({ std: 1, random: new Random(s.seed + 1) });
  gen.runFor(seconds);
  const states = freeStates(gen);
  const ridge =
    lambdaX > 0
      ? [0, 1, 2].map((k) => minNormSolve(A, m, n, b(eye.subarray(k * 3, k * 3 + 3)), lambdaX))
      : zStar;
  const row: LinearRow = {
    lambdaX,
    distance: 0,
    stateDistance: 0,
    norm: 0,
    ridgeDistance: 0,
    residual: 0,
    float32Floor: null,
    seconds: 0,
  };
  const zb = new Float64Array(n);
  const Az = new Float64Array(m);
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i];
    let o = 0;
    for (let l = 0; l + 1 < sizes.length; l++) {
      for (let j = 0; j < sizes[l]; j++) zb[o + j] = states[l][i * sizes[l] + j];
      o += sizes[l];
    }
    const bk = b(eye.subarray(k * 3, k * 3 + 3));
    let res = 0;
    for (let r = 0; r < m; r++) {
      let acc = 0;
      for (let q = 0; q < n; q++) acc += A[r * n + q] * zb[q];
      Az[r] = acc - bk[r];
      res += Az[r] ** 2;
    }
    const w = 1 / labels.length;
    row.distance += w * distance(zb, 0, zStar[k], 0, 10);
    row.stateDistance += w * distance(zb, 0, zStar[k], 0, n);
    row.norm += w * norm2(zb, 0, 10);
    row.ridgeDistance += w * distance(zb, 0, ridge[k], 0, 10);
    row.residual += w * Math.sqrt(res);
  }
  if (lambdaX > 0) {
    let big = 0;
    for (const v of states[0]) big = Math.max(big, Math.abs(v));
    const ulp = 2 ** (Math.floor(Math.log2(big)) - 23);
    row.float32Floor = ulp / ((2 * c.generateDt * lambdaX) / c.tau);
  }
  row.seconds = (performance.now() - start) / 1000;
  return { row, minNorm };
}

/** min over the rows k of Σ_j |M[k, j]| (see {@link TanhUnitResult.outputBound}). */
function outputBound(M: Float32Array, cols: number, rows: number): number {
  let bound = Infinity;
  for (let k = 0; k < rows; k++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.abs(M[k * cols + j]);
    bound = Math.min(bound, s);
  }
  return bound;
}

/** One 784-value image per class, rounded to 3 decimals. */
const rounded = (block: Float32Array): number[][] =>
  Array.from({ length: 10 }, (_, k) =>
    Array.from(block.subarray(k * 784, (k + 1) * 784), (v) => Math.round(v * 1000) / 1000),
  );

/** Mean, min and max of a list. */
const stats = (v: number[]) => ({
  avg: v.reduce((a, c) => a + c, 0) / v.length,
  min: Math.min(...v),
  max: Math.max(...v),
});

/** A tanh unit: train an E5 network, generate as E5 does, solve the constrained problem, compare. */
export function runTanhUnit(
  s: ConstrainedSettings,
  mnist: MnistData,
  decay: boolean,
  onProgress?: (fraction: number) => void,
): TanhUnitResult {
  const t = s.tanh;
  const start = performance.now();
  const data = labelled(mnist.train, t.digits);
  const means = subsetClassMeans(mnist, t.digits);
  const lambda = decay ? t.decay : 0;
  const net = new Network(
    {
      layers: t.layers,
      activation: 'tanh',
      tau: t.tau,
      gamma: t.gamma,
      dt: t.dt,
      lambdaM: lambda,
      lambdaW: lambda,
      lambdaX: lambda,
      seed: s.seed,
      divergenceLimit: 1e30,
    },
    { batch: t.batch },
  );
  trainContinuous(net, data, {
    epochs: t.epochs,
    holdSeconds: t.holdSeconds,
    shuffleSeed: s.seed,
    onProgress: onProgress && ((f) => void onProgress(0.7 * f)),
  });
  const trainSeconds = (performance.now() - start) / 1000;
  const eq: Equations = { M: net.M, sizes: net.sizes, activation: 'tanh' };
  const classes = Uint8Array.from({ length: 10 }, (_, i) => i);
  const Y = oneHot(classes, 10);
  net.setParams({ dt: t.generateDt });
  const gen = net.withBatch(10);
  gen.setMode('generate');
  gen.setTargetClass(classes);
  gen.resetState();
  gen.runFor(t.generateSeconds);
  const generatedZ = freeStates(gen);
  const generatedImages = Float32Array.from(generatedZ[0]);
  onProgress?.(0.8);
  const solveStart = performance.now();
  const { z, path } = solveConstrained(eq, Y, 10, t.solver);
  const solveSeconds = (performance.now() - solveStart) / 1000;
  const images = Float32Array.from(z[0]);
  const summary = (img: Float32Array, zz: Float64Array[]): GenerationSummary => {
    const n = stateNorms(eq, zz, Y, 10);
    return {
      cosine: stats(classCosines(img, means)),
      inputNorm: n.inputNorm,
      norm: n.norm,
      residual: n.residual,
    };
  };
  const agreement = Array.from({ length: 10 }, (_, k) =>
    cosineSimilarity(
      images.subarray(k * 784, (k + 1) * 784),
      generatedImages.subarray(k * 784, (k + 1) * 784),
    ),
  );
  onProgress?.(1);
  return {
    decay,
    trainSeconds,
    outputBound: outputBound(net.M[net.M.length - 1], net.sizes[net.depth - 2], 10),
    generated: summary(generatedImages, generatedZ),
    constrained: { ...summary(images, z), path, seconds: solveSeconds },
    agreement,
    images: { generated: rounded(generatedImages), constrained: rounded(images) },
  };
}

const withoutImages = (r: TanhUnitResult): Omit<TanhUnitResult, 'images'> => {
  const { images: _images, ...rest } = r;
  void _images;
  return rest;
};

/** The `constrained` study's results (see {@link constrainedUnits}). */
export interface ConstrainedResults {
  linear: LinearRow[];
  minNorm: MinNormSummary;
  tanh: { decay: Omit<TanhUnitResult, 'images'>; noDecay: Omit<TanhUnitResult, 'images'> };
}

/**
 * The `constrained` study as independent units: one linear generative run per λx (each trains
 * the same linear network from the seed: a few seconds), then the tanh MNIST network with and
 * without decay. `reduce` returns `results = {linear: [{lambdaX, distance, norm, …}], minNorm,
 * tanh: {decay, noDecay}}`.
 */
export function constrainedUnits(options: {
  seed: number;
  quick: boolean;
}): ExperimentUnits<ConstrainedUnit, ConstrainedUnitResult> {
  const settings = constrainedSettings(options);
  const units: ConstrainedUnit[] = [
    ...settings.linear.lambdaX.map((lambdaX) => ({ kind: 'linear' as const, lambdaX })),
    { kind: 'tanh', decay: true },
    { kind: 'tanh', decay: false },
  ];
  return {
    experiment: 'constrained',
    settings,
    units,
    name: (u) =>
      u.kind === 'linear'
        ? `linear λx = ${u.lambdaX}`
        : `tanh ${u.decay ? 'decay' : 'nondecay'} network`,
    mnist: true,
    run: (u, mnist, onProgress) => {
      if (u.kind === 'linear') return runLinearUnit(settings, u.lambdaX);
      if (!mnist) throw new Error('the constrained study needs MNIST for its tanh networks');
      return runTanhUnit(settings, mnist, u.decay, onProgress);
    },
    reduce: (results, seconds): ExperimentReport<ConstrainedResults> => {
      const linear = results.filter((r): r is LinearUnitResult => 'row' in r);
      const tanh = results.filter((r): r is TanhUnitResult => 'constrained' in r);
      const decay = tanh.find((r) => r.decay);
      const noDecay = tanh.find((r) => !r.decay);
      if (!linear.length || !decay || !noDecay)
        throw new Error('constrained: a unit result is missing');
      return {
        experiment: 'constrained',
        settings,
        results: {
          linear: linear.map((r) => r.row),
          minNorm: linear[0].minNorm,
          tanh: { decay: withoutImages(decay), noDecay: withoutImages(noDecay) },
        },
        paper: null,
        seconds,
        extra: {
          /** Rows of 10 digits (`pcnet study --images`): each network's generated, then constrained. */
          generatedImages: [decay, noDecay].flatMap((r) => [
            r.images.generated,
            r.images.constrained,
          ]),
          generatedImageRows: [
            'decay/generated',
            'decay/constrained',
            'noDecay/generated',
            'noDecay/constrained',
          ],
        },
      };
    },
  };
}
