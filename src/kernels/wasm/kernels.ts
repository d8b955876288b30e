import { JS_KERNELS } from '../js';
import { ACTIVATION, type Kernels } from '../kernels';

/** How many activations the module knows (codes 0 .. KINDS − 1). */
const KINDS = Object.keys(ACTIVATION).length;

/** The module's exports: the kernels with byte offsets in place of arrays (see assembly/). */
export interface WasmKernels {
  activate(s: number, ds: number, x: number, n: number, kind: number): void;
  // prettier-ignore
  adamStep(w: number, g: number, m: number, v: number, n: number, step: number, beta1: number,
    beta2: number, c2: number, epsilon: number, lambda: number, keep: number): void;
  axpy(out: number, a: number, v: number, n: number): void;
  batchMatMul(out: number, A: number, M: number, batch: number, rows: number, cols: number): void;
  errorEquilibrium(eps: number, x: number, mu: number, n: number, nu: number): void;
  // prettier-ignore
  nodeUpdate(xOut: number, epsOut: number, x: number, eps: number, mu: number, fb: number,
    ds: number, n: number, k: number, a: number, nu: number, lambdaX: number, stats: number,
    form: number): void;
  // prettier-ignore
  rankBUpdate(M: number, U: number, V: number, batch: number, rows: number, cols: number,
    scale: number, decay: number): void;
  // prettier-ignore
  stateUpdate(x: number, fb: number, ds: number, eps: number, n: number, k: number, a: number,
    lambdaX: number, form: number): number;
  sumSquares(v: number, n: number): number;
}

/**
 * The kernels of one WebAssembly instance, with the JavaScript kernels' signatures. Each
 * passes its arrays' byte offsets to the module when every array is a view of `buffer` (the
 * instance's memory) long enough for the sizes given, and otherwise runs the JavaScript
 * kernel, so that results are right whatever the caller passes. `offsets` holds the arrays
 * `alloc` handed out (a lookup there is cheaper than reading `buffer` and `byteOffset`, which
 * matters for small layers); `stats` is scratch room for nodeUpdate's four running maxima at
 * byte offset 0.
 */
export function wrapKernels(
  wasm: WasmKernels,
  buffer: ArrayBuffer,
  offsets: WeakMap<Float32Array, number>,
  stats: Float64Array,
): Kernels {
  /** a's byte offset if it lives in this memory and holds at least n floats, else −1. */
  const at = (a: Float32Array, n: number): number => {
    if (!(a.length >= n)) return -1;
    const offset = offsets.get(a);
    if (offset !== undefined) return offset;
    return a.buffer === buffer ? a.byteOffset : -1;
  };
  /** at() for an optional array: 0 for null (the module ignores it). */
  const atOr0 = (a: Float32Array | null, n: number): number => (a === null ? 0 : at(a, n));
  /** n is a whole count; at() then bounds it by the memory, so it fits an i32. */
  const count = (n: number): boolean => n >>> 0 === n;
  /** nodeUpdate's and stateUpdate's `form`: which terms of the state equation exist. */
  const form = (fb: Float32Array | null, ds: Float32Array | null): number =>
    fb === null ? 0 : ds === null ? 1 : 2;
  const js = JS_KERNELS;

  const kernels: Kernels = {
    activate(s, ds, x, n, kind) {
      const [ps, pd, px] = [at(s, n), at(ds, n), at(x, n)];
      if (count(n) && kind >>> 0 === kind && kind < KINDS && ps >= 0 && pd >= 0 && px >= 0) {
        wasm.activate(ps, pd, px, n, kind);
      } else js.activate(s, ds, x, n, kind);
    },
    adamStep(w, g, m, v, n, step, beta1, beta2, c2, epsilon, lambda, keep) {
      const [pw, pg, pm, pv] = [at(w, n), at(g, n), at(m, n), at(v, n)];
      if (count(n) && pw >= 0 && pg >= 0 && pm >= 0 && pv >= 0) {
        wasm.adamStep(pw, pg, pm, pv, n, step, beta1, beta2, c2, epsilon, lambda, keep);
      } else js.adamStep(w, g, m, v, n, step, beta1, beta2, c2, epsilon, lambda, keep);
    },
    axpy(out, a, v, n) {
      const [po, pv] = [at(out, n), at(v, n)];
      if (count(n) && po >= 0 && pv >= 0) wasm.axpy(po, a, pv, n);
      else js.axpy(out, a, v, n);
    },
    batchMatMul(out, A, M, batch, rows, cols) {
      const [po, pa, pm] = [at(out, batch * rows), at(A, batch * cols), at(M, rows * cols)];
      if (count(batch) && count(rows) && count(cols) && po >= 0 && pa >= 0 && pm >= 0) {
        wasm.batchMatMul(po, pa, pm, batch, rows, cols);
      } else js.batchMatMul(out, A, M, batch, rows, cols);
    },
    errorEquilibrium(eps, x, mu, n, nu) {
      const [pe, px, pm] = [at(eps, n), at(x, n), at(mu, n)];
      if (count(n) && pe >= 0 && px >= 0 && pm >= 0) wasm.errorEquilibrium(pe, px, pm, n, nu);
      else js.errorEquilibrium(eps, x, mu, n, nu);
    },
    nodeUpdate(xOut, epsOut, x, eps, mu, fb, ds, n, k, a, nu, lambdaX, st) {
      const [pxo, peo, px, pe, pm] = [at(xOut, n), at(epsOut, n), at(x, n), at(eps, n), at(mu, n)];
      const pf = atOr0(fb, n);
      const pd = fb === null ? 0 : atOr0(ds, n);
      if (count(n) && pxo >= 0 && peo >= 0 && px >= 0 && pe >= 0 && pm >= 0 && pf >= 0 && pd >= 0) {
        // The caller's maxima (a Float64Array anywhere) go through the scratch doubles.
        stats.set(st.subarray(0, 4));
        // prettier-ignore
        wasm.nodeUpdate(pxo, peo, px, pe, pm, pf, pd, n, k, a, nu, lambdaX, 0, form(fb, ds));
        st.set(stats);
      } else js.nodeUpdate(xOut, epsOut, x, eps, mu, fb, ds, n, k, a, nu, lambdaX, st);
    },
    rankBUpdate(M, U, V, batch, rows, cols, scale, decay) {
      const [pm, pu, pv] = [at(M, rows * cols), at(U, batch * rows), at(V, batch * cols)];
      if (count(batch) && count(rows) && count(cols) && pm >= 0 && pu >= 0 && pv >= 0) {
        wasm.rankBUpdate(pm, pu, pv, batch, rows, cols, scale, decay);
      } else js.rankBUpdate(M, U, V, batch, rows, cols, scale, decay);
    },
    stateUpdate(x, fb, ds, eps, n, k, a, lambdaX) {
      const [px, pe, pf] = [at(x, n), at(eps, n), atOr0(fb, n)];
      const pd = fb === null ? 0 : atOr0(ds, n);
      if (count(n) && px >= 0 && pe >= 0 && pf >= 0 && pd >= 0) {
        return wasm.stateUpdate(px, pf, pd, pe, n, k, a, lambdaX, form(fb, ds));
      }
      return js.stateUpdate(x, fb, ds, eps, n, k, a, lambdaX);
    },
    sumSquares(v, n) {
      const pv = at(v, n);
      return count(n) && pv >= 0 ? wasm.sumSquares(pv, n) : js.sumSquares(v, n);
    },
  };
  return Object.freeze(kernels);
}
