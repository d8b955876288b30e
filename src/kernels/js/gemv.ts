/**
 * The batch-1 path of `batchMatMul` (not a kernel of the set). Matrix-vector product: out = M·v, with M row-major (rows × cols).
 *
 *   out[r] = Σ_c M[r·cols + c] · v[c]
 *
 * Fast path: four rows at a time, sharing each load of v[c] between four accumulators;
 * the leftover rows use four partial sums over c. Sums are kept in doubles and rounded once.
 */
export function gemv(
  out: Float32Array,
  M: Float32Array,
  v: Float32Array,
  rows: number,
  cols: number,
): void {
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const i0 = r * cols;
    const i1 = i0 + cols;
    const i2 = i1 + cols;
    const i3 = i2 + cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let c = 0; c < cols; c++) {
      const vc = v[c];
      s0 += M[i0 + c] * vc;
      s1 += M[i1 + c] * vc;
      s2 += M[i2 + c] * vc;
      s3 += M[i3 + c] * vc;
    }
    out[r] = s0;
    out[r + 1] = s1;
    out[r + 2] = s2;
    out[r + 3] = s3;
  }
  for (; r < rows; r++) {
    const i = r * cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let c = 0;
    for (; c + 3 < cols; c += 4) {
      s0 += M[i + c] * v[c];
      s1 += M[i + c + 1] * v[c + 1];
      s2 += M[i + c + 2] * v[c + 2];
      s3 += M[i + c + 3] * v[c + 3];
    }
    for (; c < cols; c++) s0 += M[i + c] * v[c];
    out[r] = s0 + s1 + (s2 + s3);
  }
}
