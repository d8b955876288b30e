/**
 * In-place scaled vector addition over the first n entries:
 *
 *   out[j] ← out[j] + a·v[j]
 *
 * Unrolled by 4, then the remainder.
 */
export function axpy(out: Float32Array, a: number, v: Float32Array, n: number): void {
  let j = 0;
  for (; j + 3 < n; j += 4) {
    out[j] += a * v[j];
    out[j + 1] += a * v[j + 1];
    out[j + 2] += a * v[j + 2];
    out[j + 3] += a * v[j + 3];
  }
  for (; j < n; j++) out[j] += a * v[j];
}
