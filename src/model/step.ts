/**
 * The one tick: the Euler step of one layer's error and state nodes and the learning step of
 * one weight matrix, written once, as pure functions over a kernel set. `Network`, the layer
 * streams (`src/streams/layer.ts`) and the split network's parts (`src/pool/split-part.ts`)
 * all tick through these; they differ only in where the buffers live and in what order the
 * layers are visited, never in the arithmetic, so all three give the same bits.
 *
 * For layer l (0-based; the paper's layer l+1), with k = dt/τ and a tick reading t−1 only:
 *
 *     μ(l)  = M(l−1) σ(x(l−1))                  (μ(1) = X)
 *     ε(l) += k (x(l) − μ(l) − ν(l) ε(l))                                   (2.2)
 *     x(l) += k ((W(l) ε(l+1)) ⊙ σ'(x(l)) − a ε(l) − λx x(l))               (2.3, 3.2, 3.11)
 *
 * where a = α for the input layer (3.2), 1 in between (2.3), and the top layer has no W term
 * and a = β (3.4); λx acts below the top only. A held layer or clamped node is then put back.
 * In `train` mode the weights then learn from the same tick t−1 values:
 *
 *     M(l) += (dt/γ) (⟨ε(l+1) ⊗ σ(x(l))⟩ − λM M(l))                         (2.9, 3.12)
 *     W(l) += (dt/γ) (⟨σ(x(l)) ⊗ ε(l+1)⟩ − λW W(l))                         (2.10)
 */
import type { Kernels } from '../kernels/kernels';
import { DivergenceError } from './errors';
import { maxAbs, maxAbsDiff } from './norms';
import type { Mode, NetworkSpec } from './spec';

/** The numbers one tick uses for every layer. */
export interface TickScalars {
  /** k = dt/τ, the Euler step of the nodes. */
  k: number;
  /** α (eq. 3.2) and β (eq. 3.4) of this tick. */
  alpha: number;
  beta: number;
  /** λx where it applies (eq. 3.11: `generate`, and `train` with `trainActivityDecay`), else 0. */
  lambdaX: number;
  /** `spec.divergenceLimit`. */
  limit: number;
}

/** A zeroed {@link TickScalars}, for a driver to fill with {@link tickScalars} each tick. */
export const newTickScalars = (): TickScalars => ({
  k: 0,
  alpha: 0,
  beta: 0,
  lambdaX: 0,
  limit: 0,
});

/** Fills `out` with the scalars of a tick of `spec` in `mode` with clamps α, β; returns it. */
export function tickScalars(
  out: TickScalars,
  spec: Readonly<NetworkSpec>,
  mode: Mode,
  alpha: number,
  beta: number,
): TickScalars {
  out.k = spec.dt / spec.tau;
  out.alpha = alpha;
  out.beta = beta;
  const decays = mode === 'generate' || (mode === 'train' && spec.trainActivityDecay);
  out.lambdaX = decays ? spec.lambdaX : 0;
  out.limit = spec.divergenceLimit;
  return out;
}

/**
 * One layer's buffers for one tick, or one split part's rows of them: B × `rows` row-major
 * views, never copies. The shape fields are fixed; the driver points the buffer fields at the
 * right arrays before each tick (the state buffers swap every tick), which allocates nothing.
 */
export interface LayerTick {
  /** 0-based layer and the number of layers n. */
  readonly l: number;
  readonly depth: number;
  /** B, this layer's rows (N_l, or a part's share of them), and N_{l−1}, N_{l+1} (0 at the ends). */
  readonly batch: number;
  readonly rows: number;
  readonly below: number;
  readonly above: number;
  /** ν(l) (live: the driver sets it each tick). */
  nu: number;
  /** x(l), ε(l) of tick t−1, and the buffers tick t writes. */
  x: Float32Array;
  eps: Float32Array;
  xNext: Float32Array;
  epsNext: Float32Array;
  /** μ(l): written here from M(l−1) σ(x(l−1)), except μ(1) = X. */
  mu: Float32Array;
  /** W(l) ε(l+1), written here (unused at the top). */
  fb: Float32Array;
  /** σ'(x(l)) of tick t−1 (unused at the top). */
  ds: Float32Array;
  /** σ(x(l−1)) of tick t−1, all N_{l−1} per sample, and this layer's rows of M(l−1); null for l = 0. */
  sBelow: Float32Array | null;
  M: Float32Array | null;
  /** ε(l+1) of tick t−1, all N_{l+1} per sample, and this layer's rows of W(l); null at the top. */
  epsAbove: Float32Array | null;
  W: Float32Array | null;
}

/** Makes the {@link LayerTick} of layer `l` with its fixed shape; the buffers start empty. */
export function newLayerTick(
  l: number,
  depth: number,
  batch: number,
  rows: number,
  below: number,
  above: number,
): LayerTick {
  const none = new Float32Array(0);
  return {
    l,
    depth,
    batch,
    rows,
    below,
    above,
    nu: 1,
    x: none,
    eps: none,
    xNext: none,
    epsNext: none,
    mu: none,
    fb: none,
    ds: none,
    sBelow: null,
    M: null,
    epsAbove: null,
    W: null,
  };
}

/**
 * Puts layer `l`'s held and clamped nodes back into its next states; returns 2 when the whole
 * layer is held (the input under `inputClamp: 'hold'`, the top while β = 0), 1 when only some
 * nodes are clamped, 0 when none are.
 */
export type HoldNext = (l: number) => 0 | 1 | 2;

/**
 * One layer's tick (see the module comment): its products μ(l) and W(l) ε(l+1), the fused
 * node update (the only call of the `nodeUpdate` kernel outside the kernels), then its holds.
 * Writes the layer's maxima to `stats`: |x(t)|, |ε(t)|, |Δx|, |Δε|, taken after the holds (a
 * held node does not move). Reads tick t−1 only, so the layers may run in any order.
 */
export function layerStep(
  kernels: Kernels,
  t: LayerTick,
  c: TickScalars,
  hold: HoldNext,
  stats: Float64Array,
): void {
  const { l, batch: B, rows } = t;
  const top = l === t.depth - 1;
  if (l > 0) kernels.batchMatMul(t.mu, t.sBelow!, t.M!, B, rows, t.below);
  if (!top) kernels.batchMatMul(t.fb, t.epsAbove!, t.W!, B, rows, t.above);
  const a = l === 0 ? c.alpha : top ? c.beta : 1;
  stats.fill(0);
  kernels.nodeUpdate(
    t.xNext,
    t.epsNext,
    t.x,
    t.eps,
    t.mu,
    top ? null : t.fb,
    top ? null : t.ds,
    B * rows,
    c.k,
    a,
    t.nu,
    top ? 0 : c.lambdaX,
    stats,
  );
  const held = hold(l);
  if (held !== 0) {
    // A held node does not move: measure this layer's state change after the holds.
    stats[2] = held === 2 ? 0 : maxAbsDiff(t.xNext, t.x);
    stats[0] = maxAbs(t.xNext);
  }
}

/**
 * The divergence check of one layer's tick from its maxima (see {@link layerStep}): throws a
 * {@link DivergenceError} for tick `tick` if |x| or |ε| is NaN or above `limit`; otherwise
 * returns the layer's largest change max(|Δx|, |Δε|).
 */
export function checkLayer(stats: Float64Array, l: number, tick: number, limit: number): number {
  if (!(stats[0] <= limit)) throw new DivergenceError(l, tick, 'x', stats[0], limit);
  if (!(stats[1] <= limit)) throw new DivergenceError(l, tick, 'eps', stats[1], limit);
  return Math.max(stats[2], stats[3]);
}

/**
 * The learning step of one weight matrix w (rows × cols, row-major), eqs. 2.9, 2.10 and 3.12:
 * w += rate (⟨U ⊗ V⟩ − λ w), ⟨·⟩ the mean over the B samples (U is B × rows, V is B × cols).
 * For M(l): U = ε(l+1), V = σ(x(l)); for W(l): U = σ(x(l)), V = ε(l+1); rate = dt/γ. With an
 * accumulator `dw` (`learning: 'accumulate'`) the change is added to dw and w stays as it is
 * until {@link commitWeights}.
 */
export function learnWeights(
  kernels: Kernels,
  w: Float32Array,
  dw: Float32Array | null,
  U: Float32Array,
  V: Float32Array,
  B: number,
  rows: number,
  cols: number,
  rate: number,
  lambda: number,
): void {
  if (dw !== null) {
    kernels.rankBUpdate(dw, U, V, B, rows, cols, rate / B, 0);
    kernels.axpy(dw, -rate * lambda, w, w.length);
  } else kernels.rankBUpdate(w, U, V, B, rows, cols, rate / B, rate * lambda);
}

/** Adds an accumulated weight change to w and clears it (`learning: 'accumulate'`). */
export function commitWeights(kernels: Kernels, w: Float32Array, dw: Float32Array): void {
  kernels.axpy(w, 1, dw, w.length);
  dw.fill(0);
}
