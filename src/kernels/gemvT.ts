/**
 * Transposed matrix-vector product: out = Mᵀ·v, with M row-major (rows × cols), without
 * materialising the transpose.
 *
 *   out[c] = Σ_r M[r·cols + c] · v[r]
 *
 * out is zeroed, then rows are walked in order (r outer, c inner, unit stride through M).
 * Fast path: four rows at a time, so each out[c] is read and written once per four rows.
 */
export function gemvT(
  out: Float32Array,
  M: Float32Array,
  v: Float32Array,
  rows: number,
  cols: number,
): void {
  for (let c = 0; c < cols; c++) out[c] = 0;
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const i0 = r * cols;
    const i1 = i0 + cols;
    const i2 = i1 + cols;
    const i3 = i2 + cols;
    const v0 = v[r];
    const v1 = v[r + 1];
    const v2 = v[r + 2];
    const v3 = v[r + 3];
    for (let c = 0; c < cols; c++) {
      out[c] += M[i0 + c] * v0 + M[i1 + c] * v1 + M[i2 + c] * v2 + M[i3 + c] * v3;
    }
  }
  for (; r < rows; r++) {
    const i = r * cols;
    const vr = v[r];
    for (let c = 0; c < cols; c++) out[c] += M[i + c] * vr;
  }
}
