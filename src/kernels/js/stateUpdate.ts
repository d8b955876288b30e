/**
 * In-place Euler step of the state nodes alone, for the accelerated equilibrium (errors held
 * at their equilibrium, see errorEquilibrium):
 *
 *   x[j] ← x[j] + k·(fb[j]·ds[j] − a·ε[j] − λx·x[j])
 *
 * fb = W(i)·ε(i+1) (null for the top layer: no feedback term), ds = σ'(x) (null means σ' ≡ 1).
 * Returns max_j |Δx[j]| over the values as stored (float32); a NaN anywhere makes it NaN.
 */
export function stateUpdate(
  x: Float32Array,
  fb: Float32Array | null,
  ds: Float32Array | null,
  eps: Float32Array,
  n: number,
  k: number,
  a: number,
  lambdaX: number,
): number {
  let m = 0;
  let t = 0;
  if (fb === null) {
    for (let j = 0; j < n; j++) {
      const xo = x[j];
      const xn = Math.fround(xo + k * (-a * eps[j] - lambdaX * xo));
      x[j] = xn;
      if ((t = Math.abs(xn - xo)) > m || t !== t) m = t;
    }
  } else if (ds === null) {
    for (let j = 0; j < n; j++) {
      const xo = x[j];
      const xn = Math.fround(xo + k * (fb[j] - a * eps[j] - lambdaX * xo));
      x[j] = xn;
      if ((t = Math.abs(xn - xo)) > m || t !== t) m = t;
    }
  } else {
    for (let j = 0; j < n; j++) {
      const xo = x[j];
      const xn = Math.fround(xo + k * (fb[j] * ds[j] - a * eps[j] - lambdaX * xo));
      x[j] = xn;
      if ((t = Math.abs(xn - xo)) > m || t !== t) m = t;
    }
  }
  return m;
}
