import { rank1Update } from './rank1Update';

/**
 * Rank-B update with decay of a row-major rows × cols matrix, in place (U batch × rows,
 * V batch × cols, one sample per row): M ← (1 − decay)·M + scale·Uᵀ·V, that is
 *
 *   M[r,c] ← (1 − decay)·M[r,c] + scale·Σ_b U[b·rows + r]·V[b·cols + c]
 *
 * With batch 1 this is rank1Update. For each r, row r of M is first scaled by (1 − decay),
 * then the samples are added to it four at a time (the row stays in cache, and is read and
 * written once per four samples), then the leftover samples one at a time.
 */
export function rankBUpdate(
  M: Float32Array,
  U: Float32Array,
  V: Float32Array,
  batch: number,
  rows: number,
  cols: number,
  scale: number,
  decay: number,
): void {
  if (batch === 1) {
    rank1Update(M, U, V, rows, cols, scale, decay);
    return;
  }
  const keep = 1 - decay;
  for (let r = 0; r < rows; r++) {
    const i = r * cols;
    if (keep !== 1) for (let c = 0; c < cols; c++) M[i + c] *= keep;
    let b = 0;
    for (; b + 3 < batch; b += 4) {
      const j0 = b * cols;
      const j1 = j0 + cols;
      const j2 = j1 + cols;
      const j3 = j2 + cols;
      const s0 = scale * U[b * rows + r];
      const s1 = scale * U[(b + 1) * rows + r];
      const s2 = scale * U[(b + 2) * rows + r];
      const s3 = scale * U[(b + 3) * rows + r];
      for (let c = 0; c < cols; c++) {
        M[i + c] += s0 * V[j0 + c] + s1 * V[j1 + c] + s2 * V[j2 + c] + s3 * V[j3 + c];
      }
    }
    for (; b < batch; b++) {
      const j = b * cols;
      const s = scale * U[b * rows + r];
      for (let c = 0; c < cols; c++) M[i + c] += s * V[j + c];
    }
  }
}
