import { drive, drive1, FEEDBACK, FEEDBACK_DS, NO_FEEDBACK } from './drive';
import { hi64, hmax64, lo64, round32 } from './simd';

/**
 * In-place Euler step of the state nodes alone (see `../../js/stateUpdate.ts`):
 * x ← x + k·drive (drive.ts; `form` says which terms exist). Four nodes per step in doubles,
 * rounded once on store as in JavaScript. Returns max |Δx| over the values as stored; NaN if
 * any is NaN.
 */
export function stateUpdate(
  x: usize,
  fb: usize,
  ds: usize,
  eps: usize,
  n: i32,
  k: f64,
  a: f64,
  lambdaX: f64,
  form: i32,
): f64 {
  if (form === NO_FEEDBACK) return run(NO_FEEDBACK, x, fb, ds, eps, n, k, a, lambdaX);
  if (form === FEEDBACK) return run(FEEDBACK, x, fb, ds, eps, n, k, a, lambdaX);
  return run(FEEDBACK_DS, x, fb, ds, eps, n, k, a, lambdaX);
}

// @ts-ignore: decorator
@inline
function run(
  form: i32,
  x: usize,
  fb: usize,
  ds: usize,
  eps: usize,
  n: i32,
  k: f64,
  a: f64,
  lambdaX: f64,
): f64 {
  const end = (<usize>n) << 2;
  const end4 = (<usize>(n & ~3)) << 2;
  const kv = f64x2.splat(k);
  const av = f64x2.splat(a);
  const lv = f64x2.splat(lambdaX);
  let m = f64x2.splat(0);
  let f = f32x4.splat(0);
  let d = f32x4.splat(0);
  let j: usize = 0;
  for (; j < end4; j += 16) {
    const xv = v128.load(x + j);
    const ev = v128.load(eps + j);
    if (form !== NO_FEEDBACK) f = v128.load(fb + j);
    if (form === FEEDBACK_DS) d = v128.load(ds + j);
    const x0 = lo64(xv);
    const x1 = hi64(xv);
    const xn0 = f64x2.add(x0, f64x2.mul(kv, drive(form, lo64(f), lo64(d), lo64(ev), x0, av, lv)));
    const xn1 = f64x2.add(x1, f64x2.mul(kv, drive(form, hi64(f), hi64(d), hi64(ev), x1, av, lv)));
    const xr = round32(xn0, xn1);
    v128.store(x + j, xr);
    m = f64x2.max(m, f64x2.abs(f64x2.sub(lo64(xr), x0)));
    m = f64x2.max(m, f64x2.abs(f64x2.sub(hi64(xr), x1)));
  }
  let s = hmax64(m);
  for (; j < end; j += 4) {
    const xo = <f64>load<f32>(x + j);
    const fj = form !== NO_FEEDBACK ? <f64>load<f32>(fb + j) : 0;
    const dj = form === FEEDBACK_DS ? <f64>load<f32>(ds + j) : 0;
    const xn = <f32>(xo + k * drive1(form, fj, dj, <f64>load<f32>(eps + j), xo, a, lambdaX));
    store<f32>(x + j, xn);
    s = max<f64>(s, abs<f64>(<f64>xn - xo));
  }
  return s;
}
