/**
 * One Adam step (Kingma & Ba 2015) of n weights, in place, from their plain steps g:
 *
 *   γ[j] = g[j] − λ·w[j]
 *   m[j] ← β1·m[j] + (1 − β1)·γ[j]
 *   v[j] ← β2·v[j] + (1 − β2)·γ[j]²
 *   w[j] ← keep·w[j] + step·m[j] / (√(v[j]·c2) + ε)
 *
 * with `step` = α/(1 − β1ᵗ) and `c2` = 1/(1 − β2ᵗ) (the bias corrections), `λ` the decay
 * inside Adam (coupled) and `keep` = 1 − η λ the decay beside it (decoupled); see
 * `model/optimizer.ts`. Computed in doubles, each array element rounded once when stored.
 */
export function adamStep(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  n: number,
  step: number,
  beta1: number,
  beta2: number,
  c2: number,
  epsilon: number,
  lambda: number,
  keep: number,
): void {
  const b1 = 1 - beta1;
  const b2 = 1 - beta2;
  for (let j = 0; j < n; j++) {
    const gj = g[j] - lambda * w[j];
    const mj = beta1 * m[j] + b1 * gj;
    const vj = beta2 * v[j] + b2 * gj * gj;
    m[j] = mj;
    v[j] = vj;
    w[j] = keep * w[j] + (step * mj) / (Math.sqrt(vj * c2) + epsilon);
  }
}
