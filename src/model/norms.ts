/**
 * Largest magnitudes of a layer's values, as the divergence and equilibrium checks of a tick
 * measure them: NaN as soon as one value is NaN, so a NaN can never pass for a small number.
 */

/** max |a[j]|. */
export function maxAbs(a: Float32Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) {
    const v = Math.abs(a[j]);
    m = v > m || v !== v ? v : m;
    if (m !== m) return m;
  }
  return m;
}

/** max |a[j] − b[j]|. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) {
    const v = Math.abs(a[j] - b[j]);
    m = v > m || v !== v ? v : m;
    if (m !== m) return m;
  }
  return m;
}
