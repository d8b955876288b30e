import { ACTIVATION } from '../kernels';

/**
 * Elementwise activation and its derivative, for j < n:
 *
 *   s[j] = σ(x[j]),  ds[j] = σ'(x[j])
 *
 *   identity  σ = x               σ' = 1
 *   tanh      σ = tanh x          σ' = 1 − σ²
 *   logistic  σ = 1 / (1 + e^−x)  σ' = σ(1 − σ)
 *   relu      σ = max(0, x)       σ' = x > 0 ? 1 : 0   (σ(NaN) = NaN, so a NaN propagates)
 *
 * `kind` is a value of ACTIVATION; the switch is outside the loops (one loop per kind).
 */

export function activate(
  s: Float32Array,
  ds: Float32Array,
  x: Float32Array,
  n: number,
  kind: number,
): void {
  switch (kind) {
    case ACTIVATION.identity:
      for (let j = 0; j < n; j++) {
        s[j] = x[j];
        ds[j] = 1;
      }
      return;
    case ACTIVATION.tanh:
      for (let j = 0; j < n; j++) {
        const t = Math.tanh(x[j]);
        s[j] = t;
        ds[j] = 1 - t * t;
      }
      return;
    case ACTIVATION.logistic:
      for (let j = 0; j < n; j++) {
        const t = 1 / (1 + Math.exp(-x[j]));
        s[j] = t;
        ds[j] = t * (1 - t);
      }
      return;
    case ACTIVATION.relu:
      for (let j = 0; j < n; j++) {
        const v = x[j];
        s[j] = Math.max(0, v);
        ds[j] = v > 0 ? 1 : 0;
      }
      return;
    default:
      // Checked once per call, never inside a loop: an unknown kind is a caller's bug.
      throw new RangeError(`activate: unknown activation kind ${kind}`);
  }
}
