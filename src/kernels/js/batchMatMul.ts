import { gemv } from './gemv';

/**
 * Batched matrix-vector product: out = A·Mᵀ, A batch × cols (one sample per row), M row-major
 * rows × cols, out batch × rows. Each sample's row of out is M·A[b,:].
 *
 *   out[b·rows + r] = Σ_c M[r·cols + c] · A[b·cols + c]
 *
 * With batch 1 this is gemv. Fast path: a block of 4 rows of M (kept in L1 across the batch)
 * times 2 samples, 8 accumulators; then an odd last sample, then the leftover rows.
 */
export function batchMatMul(
  out: Float32Array,
  A: Float32Array,
  M: Float32Array,
  batch: number,
  rows: number,
  cols: number,
): void {
  if (batch === 1) {
    gemv(out, M, A, rows, cols);
    return;
  }
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const i0 = r * cols;
    const i1 = i0 + cols;
    const i2 = i1 + cols;
    const i3 = i2 + cols;
    let b = 0;
    for (; b + 1 < batch; b += 2) {
      const j0 = b * cols;
      const j1 = j0 + cols;
      // prettier-ignore
      let s00 = 0, s10 = 0, s20 = 0, s30 = 0;
      // prettier-ignore
      let s01 = 0, s11 = 0, s21 = 0, s31 = 0;
      for (let c = 0; c < cols; c++) {
        const a0 = A[j0 + c];
        const a1 = A[j1 + c];
        const m0 = M[i0 + c];
        const m1 = M[i1 + c];
        const m2 = M[i2 + c];
        const m3 = M[i3 + c];
        s00 += m0 * a0;
        s10 += m1 * a0;
        s20 += m2 * a0;
        s30 += m3 * a0;
        s01 += m0 * a1;
        s11 += m1 * a1;
        s21 += m2 * a1;
        s31 += m3 * a1;
      }
      const o0 = b * rows + r;
      const o1 = o0 + rows;
      out[o0] = s00;
      out[o0 + 1] = s10;
      out[o0 + 2] = s20;
      out[o0 + 3] = s30;
      out[o1] = s01;
      out[o1 + 1] = s11;
      out[o1 + 2] = s21;
      out[o1 + 3] = s31;
    }
    if (b < batch) {
      const j = b * cols;
      // prettier-ignore
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let c = 0; c < cols; c++) {
        const a = A[j + c];
        s0 += M[i0 + c] * a;
        s1 += M[i1 + c] * a;
        s2 += M[i2 + c] * a;
        s3 += M[i3 + c] * a;
      }
      const o = b * rows + r;
      out[o] = s0;
      out[o + 1] = s1;
      out[o + 2] = s2;
      out[o + 3] = s3;
    }
  }
  for (; r < rows; r++) {
    const i = r * cols;
    for (let b = 0; b < batch; b++) {
      const j = b * cols;
      let s = 0;
      for (let c = 0; c < cols; c++) s += M[i + c] * A[j + c];
      out[b * rows + r] = s;
    }
  }
}
