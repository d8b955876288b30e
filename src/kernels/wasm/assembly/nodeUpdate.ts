import { drive, drive1, FEEDBACK, FEEDBACK_DS, NO_FEEDBACK } from './drive';
import { hi64, hmax64, lo64, round32 } from './simd';

/**
 * Fused Euler step of state and error nodes (eqs. 2.2, 2.3; see `../../js/nodeUpdate.ts`):
 *
 *   ε' = ε + k·(x − μ − ν·ε),  x' = x + k·drive
 *
 * (drive.ts; `form` says which terms exist).
 *
 * Four nodes per step, widened to doubles and rounded once on store as the JavaScript kernel
 * does, so both agree bit for bit. `stats` points at 4 doubles updated in place with the
 * running maxima of |x'|, |ε'|, |x' − x|, |ε' − ε| over the values as stored; wasm's max
 * returns NaN if either side is NaN, so a NaN, once in, stays.
 */
export function nodeUpdate(
  xOut: usize,
  epsOut: usize,
  x: usize,
  eps: usize,
  mu: usize,
  fb: usize,
  ds: usize,
  n: i32,
  k: f64,
  a: f64,
  nu: f64,
  lambdaX: f64,
  stats: usize,
  form: i32,
): void {
  const f = fb;
  const d = ds;
  if (form === NO_FEEDBACK) {
    run(NO_FEEDBACK, xOut, epsOut, x, eps, mu, f, d, n, k, a, nu, lambdaX, stats);
  } else if (form === FEEDBACK) {
    run(FEEDBACK, xOut, epsOut, x, eps, mu, f, d, n, k, a, nu, lambdaX, stats);
  } else {
    run(FEEDBACK_DS, xOut, epsOut, x, eps, mu, f, d, n, k, a, nu, lambdaX, stats);
  }
}

// @ts-ignore: decorator
@inline
function run(
  form: i32,
  xOut: usize,
  epsOut: usize,
  x: usize,
  eps: usize,
  mu: usize,
  fb: usize,
  ds: usize,
  n: i32,
  k: f64,
  a: f64,
  nu: f64,
  lambdaX: f64,
  stats: usize,
): void {
  const end = (<usize>n) << 2;
  const end4 = (<usize>(n & ~3)) << 2;
  const kv = f64x2.splat(k);
  const av = f64x2.splat(a);
  const nv = f64x2.splat(nu);
  const lv = f64x2.splat(lambdaX);
  let mx = f32x4.splat(-Infinity);
  let me = f32x4.splat(-Infinity);
  let mdx = f64x2.splat(-Infinity);
  let mde = f64x2.splat(-Infinity);
  let f = f32x4.splat(0);
  let d = f32x4.splat(0);
  let j: usize = 0;
  for (; j < end4; j += 16) {
    const xv = v128.load(x + j);
    const ev = v128.load(eps + j);
    const mv = v128.load(mu + j);
    if (form !== NO_FEEDBACK) f = v128.load(fb + j);
    if (form === FEEDBACK_DS) d = v128.load(ds + j);
    const x0 = lo64(xv);
    const x1 = hi64(xv);
    const e0 = lo64(ev);
    const e1 = hi64(ev);
    const xn0 = f64x2.add(x0, f64x2.mul(kv, drive(form, lo64(f), lo64(d), e0, x0, av, lv)));
    const xn1 = f64x2.add(x1, f64x2.mul(kv, drive(form, hi64(f), hi64(d), e1, x1, av, lv)));
    const en0 = f64x2.add(
      e0,
      f64x2.mul(kv, f64x2.sub(f64x2.sub(x0, lo64(mv)), f64x2.mul(nv, e0))),
    );
    const en1 = f64x2.add(
      e1,
      f64x2.mul(kv, f64x2.sub(f64x2.sub(x1, hi64(mv)), f64x2.mul(nv, e1))),
    );
    const xr = round32(xn0, xn1);
    const er = round32(en0, en1);
    v128.store(xOut + j, xr);
    v128.store(epsOut + j, er);
    mx = f32x4.max(mx, f32x4.abs(xr));
    me = f32x4.max(me, f32x4.abs(er));
    mdx = f64x2.max(mdx, f64x2.abs(f64x2.sub(lo64(xr), x0)));
    mdx = f64x2.max(mdx, f64x2.abs(f64x2.sub(hi64(xr), x1)));
    mde = f64x2.max(mde, f64x2.abs(f64x2.sub(lo64(er), e0)));
    mde = f64x2.max(mde, f64x2.abs(f64x2.sub(hi64(er), e1)));
  }
  let sx = hmax64(f64x2.max(lo64(mx), hi64(mx)));
  let se = hmax64(f64x2.max(lo64(me), hi64(me)));
  let sdx = hmax64(mdx);
  let sde = hmax64(mde);
  for (; j < end; j += 4) {
    const xo = <f64>load<f32>(x + j);
    const eo = <f64>load<f32>(eps + j);
    const fj = form !== NO_FEEDBACK ? <f64>load<f32>(fb + j) : 0;
    const dj = form === FEEDBACK_DS ? <f64>load<f32>(ds + j) : 0;
    const xn = <f32>(xo + k * drive1(form, fj, dj, eo, xo, a, lambdaX));
    const en = <f32>(eo + k * (xo - <f64>load<f32>(mu + j) - nu * eo));
    store<f32>(xOut + j, xn);
    store<f32>(epsOut + j, en);
    sx = max<f64>(sx, abs<f64>(xn));
    se = max<f64>(se, abs<f64>(en));
    sdx = max<f64>(sdx, abs<f64>(<f64>xn - xo));
    sde = max<f64>(sde, abs<f64>(<f64>en - eo));
  }
  store<f64>(stats, max<f64>(load<f64>(stats), sx));
  store<f64>(stats, max<f64>(load<f64>(stats, 8), se), 8);
  store<f64>(stats, max<f64>(load<f64>(stats, 16), sdx), 16);
  store<f64>(stats, max<f64>(load<f64>(stats, 24), sde), 24);
}
