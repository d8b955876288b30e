/**
 * The batch-1 path of `rankBUpdate` (not a kernel of the set). Rank-1 update with decay of a row-major rows × cols matrix, in place:
 *
 *   M[r,c] ← (1 − decay)·M[r,c] + scale·u[r]·v[c]
 *
 * Fast path: four rows at a time, sharing each load of v[c]; leftover rows one at a time.
 */
export function rank1Update(
  M: Float32Array,
  u: Float32Array,
  v: Float32Array,
  rows: number,
  cols: number,
  scale: number,
  decay: number,
): void {
  const keep = 1 - decay;
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const i0 = r * cols;
    const i1 = i0 + cols;
    const i2 = i1 + cols;
    const i3 = i2 + cols;
    const s0 = scale * u[r];
    const s1 = scale * u[r + 1];
    const s2 = scale * u[r + 2];
    const s3 = scale * u[r + 3];
    for (let c = 0; c < cols; c++) {
      const vc = v[c];
      M[i0 + c] = keep * M[i0 + c] + s0 * vc;
      M[i1 + c] = keep * M[i1 + c] + s1 * vc;
      M[i2 + c] = keep * M[i2 + c] + s2 * vc;
      M[i3 + c] = keep * M[i3 + c] + s3 * vc;
    }
  }
  for (; r < rows; r++) {
    const i = r * cols;
    const s = scale * u[r];
    for (let c = 0; c < cols; c++) M[i + c] = keep * M[i + c] + s * v[c];
  }
}
