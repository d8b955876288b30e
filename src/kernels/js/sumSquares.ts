/**
 * Sum of squares of the first n entries, accumulated in doubles:
 *
 *   Σ_j v[j]²
 *
 * Four independent partial sums (unrolled by 4), then the remainder.
 */
export function sumSquares(v: Float32Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const a = v[j];
    const b = v[j + 1];
    const c = v[j + 2];
    const d = v[j + 3];
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  for (; j < n; j++) s0 += v[j] * v[j];
  return s0 + s1 + (s2 + s3);
}
