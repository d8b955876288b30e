import { hi64, lo64, round32 } from './simd';

/**
 * ε[j] = (x[j] − μ[j]) / ν for j < n (eq. 2.4; see `../../js/errorEquilibrium.ts`). Computed in
 * doubles and rounded once, as the JavaScript kernel does, so the two agree bit for bit.
 */
export function errorEquilibrium(eps: usize, x: usize, mu: usize, n: i32, nu: f64): void {
  const end = (<usize>n) << 2;
  const end4 = (<usize>(n & ~3)) << 2;
  const nv = f64x2.splat(nu);
  let j: usize = 0;
  for (; j < end4; j += 16) {
    const xv = v128.load(x + j);
    const mv = v128.load(mu + j);
    const lo = f64x2.div(f64x2.sub(lo64(xv), lo64(mv)), nv);
    const hi = f64x2.div(f64x2.sub(hi64(xv), hi64(mv)), nv);
    v128.store(eps + j, round32(lo, hi));
  }
  for (; j < end; j += 4) {
    store<f32>(eps + j, <f32>((<f64>load<f32>(x + j) - <f64>load<f32>(mu + j)) / nu));
  }
}
