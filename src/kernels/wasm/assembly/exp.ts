/**
 * e^y for four floats (Cephes expf): y = n·ln 2 + r with n = round(y / ln 2) and |r| ≤ ln 2 / 2
 * (ln 2 split in two parts so r is exact), e^r by a degree-7 polynomial, 2^n put together in
 * the exponent bits. Relative error under 1e-7 on [−87.3, 88.3]; y is clamped to that range,
 * so it never overflows to infinity or underflows below the normal floats. NaN gives NaN.
 */
// @ts-ignore: decorator
@inline
export function exp4(y: v128): v128 {
  const x = f32x4.max(f32x4.min(y, f32x4.splat(88.3)), f32x4.splat(-87.3));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.39819995e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.33345191e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.16657959e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.66666655e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.00000012e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}
