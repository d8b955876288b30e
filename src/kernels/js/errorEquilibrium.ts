/**
 * Error nodes at equilibrium, the fixed point of eq. 2.2 (dε/dt = 0):
 *
 *   ε[j] = (x[j] − μ[j]) / ν        (eq. 2.4)
 */
export function errorEquilibrium(
  eps: Float32Array,
  x: Float32Array,
  mu: Float32Array,
  n: number,
  nu: number,
): void {
  for (let j = 0; j < n; j++) eps[j] = (x[j] - mu[j]) / nu;
}
