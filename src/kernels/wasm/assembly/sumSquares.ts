import { hi64, lo64 } from './simd';

/**
 * Σ_j v[j]² for j < n (see `../../js/sumSquares.ts`), accumulated in doubles as the JavaScript
 * kernel does: each float is widened, so every square is exact, and 4 f64x2 partial sums run.
 */
export function sumSquares(v: usize, n: i32): f64 {
  const end = (<usize>n) << 2;
  const end8 = (<usize>(n & ~7)) << 2;
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  let j: usize = 0;
  for (; j < end8; j += 32) {
    const x = v128.load(v + j);
    const y = v128.load(v + j + 16);
    const x0 = lo64(x);
    const x1 = hi64(x);
    const y0 = lo64(y);
    const y1 = hi64(y);
    s0 = f64x2.add(s0, f64x2.mul(x0, x0));
    s1 = f64x2.add(s1, f64x2.mul(x1, x1));
    s2 = f64x2.add(s2, f64x2.mul(y0, y0));
    s3 = f64x2.add(s3, f64x2.mul(y1, y1));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let sum = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; j < end; j += 4) {
    const x = <f64>load<f32>(v + j);
    sum += x * x;
  }
  return sum;
}
