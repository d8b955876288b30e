/**
 * Shared SIMD helpers. Pointers are byte offsets into the imported memory; f32x4 vectors hold
 * four consecutive floats. `ASC_FEATURE_RELAXED_SIMD` is a compile-time constant: the build
 * compiles this source twice, with and without `--enable relaxed-simd`.
 */

/** a·b + c, fused (one rounding) in the relaxed-SIMD build where the hardware has FMA. */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** [Σ lanes of p, Σ lanes of q, Σ lanes of r, Σ lanes of s]: four dot products at once. */
// @ts-ignore: decorator
@inline
export function hsum4(p: v128, q: v128, r: v128, s: v128): v128 {
  const pq = f32x4.add(f32x4.shuffle(p, q, 0, 4, 1, 5), f32x4.shuffle(p, q, 2, 6, 3, 7));
  const rs = f32x4.add(f32x4.shuffle(r, s, 0, 4, 1, 5), f32x4.shuffle(r, s, 2, 6, 3, 7));
  return f32x4.add(f32x4.shuffle(pq, rs, 0, 1, 4, 5), f32x4.shuffle(pq, rs, 2, 3, 6, 7));
}

/** The sum of the four lanes of v. */
// @ts-ignore: decorator
@inline
export function hsum(v: v128): f32 {
  const h = f32x4.add(v, f32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(h, 0) + f32x4.extract_lane(h, 1);
}

/** Lanes 0 and 1 of v, widened to doubles. */
// @ts-ignore: decorator
@inline
export function lo64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** Lanes 2 and 3 of v, widened to doubles. */
// @ts-ignore: decorator
@inline
export function hi64(v: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.shuffle(v, v, 2, 3, 2, 3));
}

/** Two pairs of doubles rounded to floats, back in one vector: [lo₀, lo₁, hi₀, hi₁]. */
// @ts-ignore: decorator
@inline
export function round32(lo: v128, hi: v128): v128 {
  return f32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** The larger lane of a pair of doubles (NaN if either is NaN). */
// @ts-ignore: decorator
@inline
export function hmax64(v: v128): f64 {
  return max<f64>(f64x2.extract_lane(v, 0), f64x2.extract_lane(v, 1));
}
