/**
 * The kernel set: every numeric operation the engine runs, as one interface. A backend
 * implements all of it in a folder of its own (`js/`, `wasm/`) and hands it out through a
 * {@link Backend} (`backend.ts`); the model never names a backend. Every kernel is a pure
 * function over preallocated Float32Arrays, `(out, ...inputs, dims)`, row-major matrices, and
 * allocates nothing. The JavaScript kernels in `js/` define each one's exact meaning (their doc
 * comments give the formulas) and are the reference the other backends are tested against.
 *
 * Equation numbers are the paper's (see docs/paper-notes): `nodeUpdate` is the Euler step of
 * eqs. 2.2, 2.3, 3.2, 3.4 and 3.11; `rankBUpdate` the learning step of eqs. 2.9, 2.10, 3.12.
 */

/** The codes of the activations σ, as the kernels take them (`kind`). */
export const ACTIVATION = { identity: 0, tanh: 1, logistic: 2, relu: 3 } as const;
export type ActivationName = keyof typeof ACTIVATION;

export interface Kernels {
  /** s = σ(x), ds = σ'(x) for j < n; `kind` is a code of {@link ACTIVATION}. */
  activate(s: Float32Array, ds: Float32Array, x: Float32Array, n: number, kind: number): void;
  /** One Adam step of n weights in place (see `js/adamStep.ts`). */
  // prettier-ignore
  adamStep(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, n: number,
    step: number, beta1: number, beta2: number, c2: number, epsilon: number, lambda: number,
    keep: number): void;
  /** out += a·v over n elements. */
  axpy(out: Float32Array, a: number, v: Float32Array, n: number): void;
  /** out = A·Mᵀ: A batch × cols, M rows × cols, out batch × rows (μ = M σ(x), W ε). */
  // prettier-ignore
  batchMatMul(out: Float32Array, A: Float32Array, M: Float32Array, batch: number, rows: number,
    cols: number): void;
  /** ε = (x − μ)/ν, the error nodes' fixed point (eq. 2.2 at equilibrium). */
  // prettier-ignore
  errorEquilibrium(eps: Float32Array, x: Float32Array, mu: Float32Array, n: number,
    nu: number): void;
  /**
   * The fused Euler step of one layer's ε and x (eqs. 2.2, 2.3, 3.2, 3.4, 3.11) into
   * xOut/epsOut, with its four running maxima in `stats` (see `js/nodeUpdate.ts`).
   */
  // prettier-ignore
  nodeUpdate(xOut: Float32Array, epsOut: Float32Array, x: Float32Array, eps: Float32Array,
    mu: Float32Array, fb: Float32Array | null, ds: Float32Array | null, n: number, k: number,
    a: number, nu: number, lambdaX: number, stats: Float64Array): void;
  /** M ← (1 − decay)·M + scale·Uᵀ·V (eqs. 2.9, 2.10 with 3.12's decay). */
  // prettier-ignore
  rankBUpdate(M: Float32Array, U: Float32Array, V: Float32Array, batch: number, rows: number,
    cols: number, scale: number, decay: number): void;
  /** The state nodes' Euler step alone (accelerated method); returns max |Δx|. */
  // prettier-ignore
  stateUpdate(x: Float32Array, fb: Float32Array | null, ds: Float32Array | null,
    eps: Float32Array, n: number, k: number, a: number, lambdaX: number): number;
  /** Σ v[j]² over n elements, in doubles. */
  sumSquares(v: Float32Array, n: number): number;
}
