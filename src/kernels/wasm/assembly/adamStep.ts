import { hi64, lo64, round32 } from './simd';

/**
 * One Adam step of n weights in place (see `../../js/adamStep.ts`), two doubles at a time in the
 * JavaScript kernel's order of operations, so that the two agree bit for bit.
 */
export function adamStep(
  w: usize, g: usize, m: usize, v: usize, n: i32, step: f64, beta1: f64, beta2: f64, c2: f64,
  epsilon: f64, lambda: f64, keep: f64,
): void {
  const end = (<usize>n) << 2;
  const end4 = (<usize>(n & ~3)) << 2;
  const b1 = 1 - beta1;
  const b2 = 1 - beta2;
  const S = f64x2.splat(step);
  const B1 = f64x2.splat(beta1);
  const D1 = f64x2.splat(b1);
  const B2 = f64x2.splat(beta2);
  const D2 = f64x2.splat(b2);
  const C2 = f64x2.splat(c2);
  const E = f64x2.splat(epsilon);
  const L = f64x2.splat(lambda);
  const K = f64x2.splat(keep);
  let j: usize = 0;
  for (; j < end4; j += 16) {
    const wv = v128.load(w + j);
    const gv = v128.load(g + j);
    const mv = v128.load(m + j);
    const vv = v128.load(v + j);
    const wl = lo64(wv);
    const wh = hi64(wv);
    const gl = f64x2.sub(lo64(gv), f64x2.mul(L, wl));
    const gh = f64x2.sub(hi64(gv), f64x2.mul(L, wh));
    const ml = f64x2.add(f64x2.mul(B1, lo64(mv)), f64x2.mul(D1, gl));
    const mh = f64x2.add(f64x2.mul(B1, hi64(mv)), f64x2.mul(D1, gh));
    const vl = f64x2.add(f64x2.mul(B2, lo64(vv)), f64x2.mul(f64x2.mul(D2, gl), gl));
    const vh = f64x2.add(f64x2.mul(B2, hi64(vv)), f64x2.mul(f64x2.mul(D2, gh), gh));
    const dl = f64x2.add(f64x2.sqrt(f64x2.mul(vl, C2)), E);
    const dh = f64x2.add(f64x2.sqrt(f64x2.mul(vh, C2)), E);
    const nl = f64x2.add(f64x2.mul(K, wl), f64x2.div(f64x2.mul(S, ml), dl));
    const nh = f64x2.add(f64x2.mul(K, wh), f64x2.div(f64x2.mul(S, mh), dh));
    v128.store(m + j, round32(ml, mh));
    v128.store(v + j, round32(vl, vh));
    v128.store(w + j, round32(nl, nh));
  }
  for (; j < end; j += 4) {
    const wj = <f64>load<f32>(w + j);
    const gj = <f64>load<f32>(g + j) - lambda * wj;
    const mj = beta1 * <f64>load<f32>(m + j) + b1 * gj;
    const vj = beta2 * <f64>load<f32>(v + j) + b2 * gj * gj;
    store<f32>(m + j, <f32>mj);
    store<f32>(v + j, <f32>vj);
    store<f32>(w + j, <f32>(keep * wj + (step * mj) / (Math.sqrt(vj * c2) + epsilon)));
  }
}
