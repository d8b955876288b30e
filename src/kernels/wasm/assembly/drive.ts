/**
 * The bracket of the state equation (eqs. 2.3, 3.2, 3.4, 3.11), for two nodes in doubles,
 * evaluated in the JavaScript kernels' order so that the results agree bit for bit:
 *
 *   form 0 (top layer, no feedback):  −a·ε − λx·x
 *   form 1 (σ' ≡ 1):                  fb − a·ε − λx·x
 *   form 2:                           fb·σ'(x) − a·ε − λx·x
 *
 * `form` is a constant at every call site, so each loop is compiled with its own form.
 */
// @ts-ignore: decorator
@inline
export function drive(
  form: i32,
  fb: v128,
  ds: v128,
  eps: v128,
  x: v128,
  a: v128,
  lambdaX: v128,
): v128 {
  let t: v128;
  if (form === 0) t = f64x2.mul(f64x2.neg(a), eps);
  else if (form === 1) t = f64x2.sub(fb, f64x2.mul(a, eps));
  else t = f64x2.sub(f64x2.mul(fb, ds), f64x2.mul(a, eps));
  return f64x2.sub(t, f64x2.mul(lambdaX, x));
}

/** {@link drive} for one node. */
// @ts-ignore: decorator
@inline
export function drive1(form: i32, fb: f64, ds: f64, eps: f64, x: f64, a: f64, lambdaX: f64): f64 {
  let t: f64;
  if (form === 0) t = -a * eps;
  else if (form === 1) t = fb - a * eps;
  else t = fb * ds - a * eps;
  return t - lambdaX * x;
}

/** Form 0 when there is no feedback, 1 without σ', 2 with both. */
export const NO_FEEDBACK = 0;
export const FEEDBACK = 1;
export const FEEDBACK_DS = 2;
