/**
 * Batched transposed matrix-vector product: out = A·M, A batch × rows (one sample per row),
 * M row-major rows × cols, out batch × cols. Each sample's row of out is Mᵀ·A[b,:].
 *
 *   out[b·cols + c] = Σ_r A[b·rows + r] · M[r·cols + c]
 *
 * out is zeroed, then for each block of 4 rows of M (kept in L1 across the batch) and each
 * sample, out[b,:] += Σ of the 4 rows weighted by A[b, r..r+3]; leftover rows one at a time.
 */
export function batchMatMulT(
  out: Float32Array,
  A: Float32Array,
  M: Float32Array,
  batch: number,
  rows: number,
  cols: number,
): void {
  const total = batch * cols;
  for (let i = 0; i < total; i++) out[i] = 0;
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const i0 = r * cols;
    const i1 = i0 + cols;
    const i2 = i1 + cols;
    const i3 = i2 + cols;
    for (let b = 0; b < batch; b++) {
      const j = b * rows + r;
      const a0 = A[j];
      const a1 = A[j + 1];
      const a2 = A[j + 2];
      const a3 = A[j + 3];
      const o = b * cols;
      for (let c = 0; c < cols; c++) {
        out[o + c] += a0 * M[i0 + c] + a1 * M[i1 + c] + a2 * M[i2 + c] + a3 * M[i3 + c];
      }
    }
  }
  for (; r < rows; r++) {
    const i = r * cols;
    for (let b = 0; b < batch; b++) {
      const a = A[b * rows + r];
      const o = b * cols;
      for (let c = 0; c < cols; c++) out[o + c] += a * M[i + c];
    }
  }
}
