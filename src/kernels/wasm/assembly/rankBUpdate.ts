import { madd } from './simd';

/**
 * Rank-B update with decay (see `../../js/rankBUpdate.ts`), in place:
 *
 *   M[r,c] ← M[r,c] − decay·M[r,c] + scale·Σ_b U[b·rows + r]·V[b·cols + c]
 *
 * U batch × rows, V batch × cols, M rows × cols. This is a matrix product Uᵀ·V added to M, so
 * it is blocked like one: a tile of 4 rows × 8 columns of M lives in 8 f32x4 accumulators
 * while b runs over the whole batch (4 splats of U[b, r..r+3] and 2 loads of V[b, c..c+7] per
 * 8 multiply-adds); M is then read and written once. Then tiles of 4 × 4, leftover rows 1 × 4,
 * and the columns past the last multiple of 4 in scalar. With batch 1 this is rank1Update.
 * `decay` 0 leaves M untouched before the sum (so an infinite weight stays infinite).
 */
export function rankBUpdate(
  M: usize,
  U: usize,
  V: usize,
  batch: i32,
  rows: i32,
  cols: i32,
  scale: f64,
  decay: f64,
): void {
  const stride = (<usize>cols) << 2;
  const uStride = (<usize>rows) << 2;
  const end4 = (<usize>(cols & ~3)) << 2;
  const end8 = (<usize>(cols & ~7)) << 2;
  const rows4 = rows & ~3;
  const sv = f32x4.splat(<f32>scale);
  const dv = f32x4.splat(<f32>decay);
  const decays = decay !== 0;
  for (let r = 0; r < rows4; r += 4) {
    const mr = M + <usize>r * stride;
    const ur = U + (<usize>r << 2);
    let c: usize = 0;
    for (; c < end8; c += 32) {
      let p0 = f32x4.splat(0);
      let p1 = f32x4.splat(0);
      let p2 = f32x4.splat(0);
      let p3 = f32x4.splat(0);
      let q0 = f32x4.splat(0);
      let q1 = f32x4.splat(0);
      let q2 = f32x4.splat(0);
      let q3 = f32x4.splat(0);
      let u = ur;
      let v = V + c;
      for (let b = 0; b < batch; b++) {
        const x = v128.load(v);
        const y = v128.load(v + 16);
        const u0 = v128.load32_splat(u);
        const u1 = v128.load32_splat(u + 4);
        const u2 = v128.load32_splat(u + 8);
        const u3 = v128.load32_splat(u + 12);
        p0 = madd(u0, x, p0);
        p1 = madd(u1, x, p1);
        p2 = madd(u2, x, p2);
        p3 = madd(u3, x, p3);
        q0 = madd(u0, y, q0);
        q1 = madd(u1, y, q1);
        q2 = madd(u2, y, q2);
        q3 = madd(u3, y, q3);
        u += uStride;
        v += stride;
      }
      const m = mr + c;
      apply(m, p0, sv, dv, decays);
      apply(m + stride, p1, sv, dv, decays);
      apply(m + 2 * stride, p2, sv, dv, decays);
      apply(m + 3 * stride, p3, sv, dv, decays);
      apply(m + 16, q0, sv, dv, decays);
      apply(m + stride + 16, q1, sv, dv, decays);
      apply(m + 2 * stride + 16, q2, sv, dv, decays);
      apply(m + 3 * stride + 16, q3, sv, dv, decays);
    }
    if (c < end4) {
      let p0 = f32x4.splat(0);
      let p1 = f32x4.splat(0);
      let p2 = f32x4.splat(0);
      let p3 = f32x4.splat(0);
      let u = ur;
      let v = V + c;
      for (let b = 0; b < batch; b++) {
        const x = v128.load(v);
        p0 = madd(v128.load32_splat(u), x, p0);
        p1 = madd(v128.load32_splat(u + 4), x, p1);
        p2 = madd(v128.load32_splat(u + 8), x, p2);
        p3 = madd(v128.load32_splat(u + 12), x, p3);
        u += uStride;
        v += stride;
      }
      const m = mr + c;
      apply(m, p0, sv, dv, decays);
      apply(m + stride, p1, sv, dv, decays);
      apply(m + 2 * stride, p2, sv, dv, decays);
      apply(m + 3 * stride, p3, sv, dv, decays);
    }
  }
  for (let r = rows4; r < rows; r++) {
    const mr = M + <usize>r * stride;
    const ur = U + (<usize>r << 2);
    for (let c: usize = 0; c < end4; c += 16) {
      let p = f32x4.splat(0);
      let u = ur;
      let v = V + c;
      for (let b = 0; b < batch; b++) {
        p = madd(v128.load32_splat(u), v128.load(v), p);
        u += uStride;
        v += stride;
      }
      apply(mr + c, p, sv, dv, decays);
    }
  }
  if (end4 === stride) return;
  const s = <f32>scale;
  const d = <f32>decay;
  for (let r = 0; r < rows; r++) {
    for (let c = end4; c < stride; c += 4) {
      let acc: f32 = 0;
      let u = U + (<usize>r << 2);
      let v = V + c;
      for (let b = 0; b < batch; b++) {
        acc += load<f32>(u) * load<f32>(v);
        u += uStride;
        v += stride;
      }
      const m = M + <usize>r * stride + c;
      let w = load<f32>(m);
      if (decays) w -= d * w;
      store<f32>(m, w + s * acc);
    }
  }
}

/** M[p..p+3] ← M − decay·M + scale·acc. */
// @ts-ignore: decorator
@inline
function apply(p: usize, acc: v128, sv: v128, dv: v128, decays: bool): void {
  let w = v128.load(p);
  if (decays) w = f32x4.sub(w, f32x4.mul(dv, w));
  v128.store(p, madd(sv, acc, w));
}
