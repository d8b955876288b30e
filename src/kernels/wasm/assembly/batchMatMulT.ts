import { madd } from './simd';

/**
 * out = A·M (see `../../batchMatMulT.ts`): out[b·cols + c] = Σ_r A[b·rows + r]·M[r·cols + c],
 * A batch × rows, M rows × cols, out batch × cols. With batch 1 this is gemvT.
 *
 * out is zeroed; then for each block of 4 rows of M (kept in L1 across the batch) and each
 * sample, out[b,:] += the 4 rows weighted by A[b, r..r+3] (4 splats, 4 multiply-adds per
 * vector of out); leftover rows one at a time, leftover columns in scalar.
 */
export function batchMatMulT(
  out: usize,
  A: usize,
  M: usize,
  batch: i32,
  rows: i32,
  cols: i32,
): void {
  const stride = (<usize>cols) << 2;
  const end4 = (<usize>(cols & ~3)) << 2;
  const aStride = (<usize>rows) << 2;
  memory.fill(out, 0, <usize>batch * stride);
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const m0 = M + <usize>r * stride;
    const m1 = m0 + stride;
    const m2 = m1 + stride;
    const m3 = m2 + stride;
    for (let b = 0; b < batch; b++) {
      const a = A + <usize>b * aStride + (<usize>r << 2);
      const a0 = v128.load32_splat(a);
      const a1 = v128.load32_splat(a + 4);
      const a2 = v128.load32_splat(a + 8);
      const a3 = v128.load32_splat(a + 12);
      const o = out + <usize>b * stride;
      let c: usize = 0;
      for (; c < end4; c += 16) {
        let v = v128.load(o + c);
        v = madd(a0, v128.load(m0 + c), v);
        v = madd(a1, v128.load(m1 + c), v);
        v = madd(a2, v128.load(m2 + c), v);
        v = madd(a3, v128.load(m3 + c), v);
        v128.store(o + c, v);
      }
      const x0 = f32x4.extract_lane(a0, 0);
      const x1 = f32x4.extract_lane(a1, 0);
      const x2 = f32x4.extract_lane(a2, 0);
      const x3 = f32x4.extract_lane(a3, 0);
      for (; c < stride; c += 4) {
        let v = load<f32>(o + c);
        v += x0 * load<f32>(m0 + c);
        v += x1 * load<f32>(m1 + c);
        v += x2 * load<f32>(m2 + c);
        v += x3 * load<f32>(m3 + c);
        store<f32>(o + c, v);
      }
    }
  }
  for (; r < rows; r++) {
    const m = M + <usize>r * stride;
    for (let b = 0; b < batch; b++) {
      const p = A + <usize>b * aStride + (<usize>r << 2);
      const a = v128.load32_splat(p);
      const x = load<f32>(p);
      const o = out + <usize>b * stride;
      let c: usize = 0;
      for (; c < end4; c += 16) v128.store(o + c, madd(a, v128.load(m + c), v128.load(o + c)));
      for (; c < stride; c += 4) store<f32>(o + c, load<f32>(o + c) + x * load<f32>(m + c));
    }
  }
}
