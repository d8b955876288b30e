import { exp4 } from './exp';

/**
 * s = σ(x), ds = σ'(x) for j < n (see `../../js/activate.ts`); kind 0 identity, 1 tanh,
 * 2 logistic, 3 relu. Four floats per step; the last n mod 4 go one at a time through the
 * same vector code (lane 0), so every element gets the same arithmetic.
 *
 * tanh, within about 1 ulp (|error| < 1e-7) of the true value:
 *   |x| < 0.625:  x + x³·P(x²), P a degree-4 least-squares fit in float32; σ' = 1 − σ²
 *   otherwise:    q = 2 / (e^{2|x|} + 1) = 1 − tanh|x|, σ = ±(1 − q), σ' = q·(2 − q)
 * logistic with e = e^{−x}: σ = 1 / (1 + e), σ' = σ·(e·σ) (no cancellation when σ → 1).
 * NaN in gives NaN out for every kind.
 */
export function activate(s: usize, ds: usize, x: usize, n: i32, kind: i32): void {
  const end = (<usize>n) << 2;
  const end4 = (<usize>(n & ~3)) << 2;
  let j: usize = 0;
  if (kind === 0) {
    memory.copy(s, x, end);
    const one = f32x4.splat(1);
    for (; j < end4; j += 16) v128.store(ds + j, one);
    for (; j < end; j += 4) store<f32>(ds + j, 1);
  } else if (kind === 1) {
    for (; j < end4; j += 16) tanh4(v128.load(x + j), s + j, ds + j, false);
    for (; j < end; j += 4) tanh4(v128.load32_splat(x + j), s + j, ds + j, true);
  } else if (kind === 2) {
    for (; j < end4; j += 16) logistic4(v128.load(x + j), s + j, ds + j, false);
    for (; j < end; j += 4) logistic4(v128.load32_splat(x + j), s + j, ds + j, true);
  } else {
    for (; j < end4; j += 16) relu4(v128.load(x + j), s + j, ds + j, false);
    for (; j < end; j += 4) relu4(v128.load32_splat(x + j), s + j, ds + j, true);
  }
}

/** Stores v at p, or only its lane 0 if `one`. */
// @ts-ignore: decorator
@inline
function put(p: usize, v: v128, one: bool): void {
  if (one) v128.store32_lane(p, v, 0);
  else v128.store(p, v);
}

// @ts-ignore: decorator
@inline
function tanh4(x: v128, s: usize, ds: usize, one: bool): void {
  // Both branches give tanh|x| ≥ 0; the sign of x (−0 included) is put back at the end.
  const ax = f32x4.abs(x);
  const sign = v128.and(x, i32x4.splat(0x80000000));
  const small = f32x4.lt(ax, f32x4.splat(0.625));
  // Small |x|: odd polynomial, relative error about 1e-7.
  const u = f32x4.mul(ax, ax);
  let p = f32x4.splat(-0.00588075490668416);
  p = f32x4.add(f32x4.mul(p, u), f32x4.splat(0.02080659754574299));
  p = f32x4.add(f32x4.mul(p, u), f32x4.splat(-0.05379477143287659));
  p = f32x4.add(f32x4.mul(p, u), f32x4.splat(0.13332155346870422));
  p = f32x4.add(f32x4.mul(p, u), f32x4.splat(-0.3333331048488617));
  const ts = f32x4.add(ax, f32x4.mul(f32x4.mul(ax, u), p));
  const dss = f32x4.sub(f32x4.splat(1), f32x4.mul(ts, ts));
  if (i32x4.all_true(small)) {
    // Every lane small (most of a settled network's states): the exponential is not needed.
    put(s, v128.or(ts, sign), one);
    put(ds, dss, one);
    return;
  }
  // Large |x|: from e^{2|x|}; tanh 20 is 1 in float32, and the min keeps a NaN.
  const e = exp4(f32x4.mul(f32x4.min(ax, f32x4.splat(20)), f32x4.splat(2)));
  const q = f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1)));
  const tb = f32x4.sub(f32x4.splat(1), q);
  const dsb = f32x4.mul(q, f32x4.sub(f32x4.splat(2), q));
  put(s, v128.or(v128.bitselect(ts, tb, small), sign), one);
  put(ds, v128.bitselect(dss, dsb, small), one);
}

// @ts-ignore: decorator
@inline
function logistic4(x: v128, s: usize, ds: usize, one: bool): void {
  const e = exp4(f32x4.neg(x));
  const t = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  put(s, t, one);
  put(ds, f32x4.mul(t, f32x4.mul(e, t)), one);
}

// @ts-ignore: decorator
@inline
function relu4(x: v128, s: usize, ds: usize, one: bool): void {
  const zero = f32x4.splat(0);
  put(s, f32x4.max(zero, x), one);
  put(ds, v128.and(f32x4.gt(x, zero), f32x4.splat(1)), one);
}
