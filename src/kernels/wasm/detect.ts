/**
 * Feature detection by validation: each probe is the smallest module that uses the feature,
 * `(func (result v128) (f32x4.add (f32x4.splat 1) (f32x4.splat 2)))` for 128-bit SIMD and
 * `(func (param v128) (result v128) (f32x4.relaxed_madd (local.get 0) ...))` for relaxed SIMD.
 * Validating compiles nothing, so it is allowed anywhere, the main thread included.
 */

// prettier-ignore
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 21, 1, 19, 0, 67, 0, 0,
  128, 63, 253, 19, 67, 0, 0, 0, 64, 253, 19, 253, 228, 1, 11,
]);

// prettier-ignore
export const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0,
  32, 0, 32, 0, 253, 133, 2, 11,
]);

let simd: boolean | undefined;
let relaxed: boolean | undefined;

/** Whether this engine runs WebAssembly 128-bit SIMD (every current browser and Node ≥ 16). */
export function wasmSimdSupported(): boolean {
  return (simd ??= validates(SIMD_PROBE));
}

/**
 * Whether this engine runs relaxed SIMD (Chrome ≥ 114; Node 20 only with
 * `--experimental-wasm-relaxed-simd`).
 */
export function relaxedSimdSupported(): boolean {
  return (relaxed ??= wasmSimdSupported() && validates(RELAXED_SIMD_PROBE));
}

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}
