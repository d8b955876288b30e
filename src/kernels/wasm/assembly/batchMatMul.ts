import { hsum, hsum4, madd } from './simd';

/**
 * out = A·Mᵀ (see `../../js/batchMatMul.ts`):
 *
 *   out[b·rows + r] = Σ_c M[r·cols + c]·A[b·cols + c]
 *
 * with A batch × cols, M rows × cols, out batch × rows, all f32 at byte offsets.
 *
 * Blocks of 4 rows of M (kept in L1 across the batch) times 2 samples: 8 f32x4 accumulators,
 * 6 loads per 8 multiply-adds; the 4 dot products of a sample are reduced into one vector
 * stored at out[b, r..r+3]. Then an odd last sample (4 rows × 1, unrolled twice over c), then
 * the leftover rows one at a time; columns past the last multiple of 4 are added in scalar.
 * With batch 1 this is gemv.
 */
export function batchMatMul(
  out: usize,
  A: usize,
  M: usize,
  batch: i32,
  rows: i32,
  cols: i32,
): void {
  const stride = (<usize>cols) << 2;
  const end4 = (<usize>(cols & ~3)) << 2;
  const end8 = (<usize>(cols & ~7)) << 2;
  const outStride = (<usize>rows) << 2;
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const m0 = M + <usize>r * stride;
    const m1 = m0 + stride;
    const m2 = m1 + stride;
    const m3 = m2 + stride;
    let b = 0;
    for (; b + 1 < batch; b += 2) {
      const a0 = A + <usize>b * stride;
      const a1 = a0 + stride;
      let s00 = f32x4.splat(0);
      let s10 = f32x4.splat(0);
      let s20 = f32x4.splat(0);
      let s30 = f32x4.splat(0);
      let s01 = f32x4.splat(0);
      let s11 = f32x4.splat(0);
      let s21 = f32x4.splat(0);
      let s31 = f32x4.splat(0);
      for (let c: usize = 0; c < end4; c += 16) {
        const x0 = v128.load(a0 + c);
        const x1 = v128.load(a1 + c);
        const w0 = v128.load(m0 + c);
        const w1 = v128.load(m1 + c);
        const w2 = v128.load(m2 + c);
        const w3 = v128.load(m3 + c);
        s00 = madd(w0, x0, s00);
        s10 = madd(w1, x0, s10);
        s20 = madd(w2, x0, s20);
        s30 = madd(w3, x0, s30);
        s01 = madd(w0, x1, s01);
        s11 = madd(w1, x1, s11);
        s21 = madd(w2, x1, s21);
        s31 = madd(w3, x1, s31);
      }
      let v0 = hsum4(s00, s10, s20, s30);
      let v1 = hsum4(s01, s11, s21, s31);
      if (end4 < stride) {
        v0 = f32x4.add(v0, tail4(m0, m1, m2, m3, a0, end4, stride));
        v1 = f32x4.add(v1, tail4(m0, m1, m2, m3, a1, end4, stride));
      }
      const o = out + <usize>b * outStride + (<usize>r << 2);
      v128.store(o, v0);
      v128.store(o + outStride, v1);
    }
    if (b < batch) {
      // The odd last sample (or the only one: gemv). Two vectors per row per step.
      const a = A + <usize>b * stride;
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let s2 = f32x4.splat(0);
      let s3 = f32x4.splat(0);
      let t0 = f32x4.splat(0);
      let t1 = f32x4.splat(0);
      let t2 = f32x4.splat(0);
      let t3 = f32x4.splat(0);
      let c: usize = 0;
      for (; c < end8; c += 32) {
        const x = v128.load(a + c);
        const y = v128.load(a + c + 16);
        s0 = madd(v128.load(m0 + c), x, s0);
        s1 = madd(v128.load(m1 + c), x, s1);
        s2 = madd(v128.load(m2 + c), x, s2);
        s3 = madd(v128.load(m3 + c), x, s3);
        t0 = madd(v128.load(m0 + c + 16), y, t0);
        t1 = madd(v128.load(m1 + c + 16), y, t1);
        t2 = madd(v128.load(m2 + c + 16), y, t2);
        t3 = madd(v128.load(m3 + c + 16), y, t3);
      }
      if (c < end4) {
        const x = v128.load(a + c);
        s0 = madd(v128.load(m0 + c), x, s0);
        s1 = madd(v128.load(m1 + c), x, s1);
        s2 = madd(v128.load(m2 + c), x, s2);
        s3 = madd(v128.load(m3 + c), x, s3);
      }
      let v = hsum4(f32x4.add(s0, t0), f32x4.add(s1, t1), f32x4.add(s2, t2), f32x4.add(s3, t3));
      if (end4 < stride) v = f32x4.add(v, tail4(m0, m1, m2, m3, a, end4, stride));
      v128.store(out + <usize>b * outStride + (<usize>r << 2), v);
    }
  }
  for (; r < rows; r++) {
    const m = M + <usize>r * stride;
    for (let b = 0; b < batch; b++) {
      const a = A + <usize>b * stride;
      let s = f32x4.splat(0);
      let t = f32x4.splat(0);
      let c: usize = 0;
      for (; c < end8; c += 32) {
        s = madd(v128.load(m + c), v128.load(a + c), s);
        t = madd(v128.load(m + c + 16), v128.load(a + c + 16), t);
      }
      if (c < end4) s = madd(v128.load(m + c), v128.load(a + c), s);
      let sum = hsum(f32x4.add(s, t));
      for (c = end4; c < stride; c += 4) sum += load<f32>(m + c) * load<f32>(a + c);
      store<f32>(out + <usize>b * outStride + (<usize>r << 2), sum);
    }
  }
}

/** The scalar tail over bytes [from, to) of 4 rows times one sample, as a vector. */
// @ts-ignore: decorator
@inline
function tail4(m0: usize, m1: usize, m2: usize, m3: usize, a: usize, from: usize, to: usize): v128 {
  let s0: f32 = 0;
  let s1: f32 = 0;
  let s2: f32 = 0;
  let s3: f32 = 0;
  for (let c = from; c < to; c += 4) {
    const x = load<f32>(a + c);
    s0 += load<f32>(m0 + c) * x;
    s1 += load<f32>(m1 + c) * x;
    s2 += load<f32>(m2 + c) * x;
    s3 += load<f32>(m3 + c) * x;
  }
  return f32x4.replace_lane(
    f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(s0), 1, s1), 2, s2),
    3,
    s3,
  );
}
