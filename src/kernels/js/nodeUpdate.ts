/**
 * Fused Euler step of one layer's state nodes x and error nodes ε over a whole batch
 * (n = batch·N elements), old values in x/eps, new ones in xOut/epsOut (the caller ping-pongs):
 *
 *   ε ← ε + k·(x − μ − ν·ε)                        (eq. 2.2)
 *   x ← x + k·(fb ⊙ σ'(x) − a·ε − λx·x)            (eqs. 2.3, 3.2, 3.4, 3.11)
 *
 * with k = dt/τ, fb = W(i)·ε(i+1) (null for the top layer: no feedback term) and ds = σ'(x)
 * (null means σ' ≡ 1, the identity activation). Both right-hand sides use the old x and ε.
 *
 * Running maxima (NaN-propagating: once NaN, a stat stays NaN; the caller resets them):
 *   stats[0] ← max(stats[0], |xOut|),  stats[1] ← max(stats[1], |epsOut|),
 *   stats[2] ← max(stats[2], |xOut − x|),  stats[3] ← max(stats[3], |epsOut − eps|).
 * The maxima are taken over the values as stored (rounded to float32).
 */
export function nodeUpdate(
  xOut: Float32Array,
  epsOut: Float32Array,
  x: Float32Array,
  eps: Float32Array,
  mu: Float32Array,
  fb: Float32Array | null,
  ds: Float32Array | null,
  n: number,
  k: number,
  a: number,
  nu: number,
  lambdaX: number,
  stats: Float64Array,
): void {
  let mx = stats[0];
  let me = stats[1];
  let mdx = stats[2];
  let mde = stats[3];
  let t = 0;
  if (fb === null) {
    for (let j = 0; j < n; j++) {
      const xo = x[j];
      const eo = eps[j];
      const xn = Math.fround(xo + k * (-a * eo - lambdaX * xo));
      const en = Math.fround(eo + k * (xo - mu[j] - nu * eo));
      xOut[j] = xn;
      epsOut[j] = en;
      if ((t = Math.abs(xn)) > mx || t !== t) mx = t;
      if ((t = Math.abs(en)) > me || t !== t) me = t;
      if ((t = Math.abs(xn - xo)) > mdx || t !== t) mdx = t;
      if ((t = Math.abs(en - eo)) > mde || t !== t) mde = t;
    }
  } else if (ds === null) {
    for (let j = 0; j < n; j++) {
      const xo = x[j];
      const eo = eps[j];
      const xn = Math.fround(xo + k * (fb[j] - a * eo - lambdaX * xo));
      const en = Math.fround(eo + k * (xo - mu[j] - nu * eo));
      xOut[j] = xn;
      epsOut[j] = en;
      if ((t = Math.abs(xn)) > mx || t !== t) mx = t;
      if ((t = Math.abs(en)) > me || t !== t) me = t;
      if ((t = Math.abs(xn - xo)) > mdx || t !== t) mdx = t;
      if ((t = Math.abs(en - eo)) > mde || t !== t) mde = t;
    }
  } else {
    for (let j = 0; j < n; j++) {
      const xo = x[j];
      const eo = eps[j];
      const xn = Math.fround(xo + k * (fb[j] * ds[j] - a * eo - lambdaX * xo));
      const en = Math.fround(eo + k * (xo - mu[j] - nu * eo));
      xOut[j] = xn;
      epsOut[j] = en;
      if ((t = Math.abs(xn)) > mx || t !== t) mx = t;
      if ((t = Math.abs(en)) > me || t !== t) me = t;
      if ((t = Math.abs(xn - xo)) > mdx || t !== t) mdx = t;
      if ((t = Math.abs(en - eo)) > mde || t !== t) mde = t;
    }
  }
  stats[0] = mx;
  stats[1] = me;
  stats[2] = mdx;
  stats[3] = mde;
}
