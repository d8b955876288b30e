import { setFlagsFromString } from 'node:v8';
import { RELAXED_SIMD_PROBE } from './detect';

/**
 * Node only: turns on WebAssembly relaxed SIMD where this Node has it behind a flag (Node 20:
 * `--experimental-wasm-relaxed-simd`; on by default from Node 22), so the relaxed-SIMD kernels
 * (fused multiply-add, about 1.3× the plain SIMD products here: `npm run bench`) run in Node as
 * they do in Chrome. V8's flags are the process's: call this before the first
 * `relaxedSimdSupported()` (which remembers its answer) and before any worker thread starts;
 * the workers then see relaxed SIMD too. Returns whether relaxed SIMD now validates.
 */
export function enableRelaxedSimd(): boolean {
  if (WebAssembly.validate(RELAXED_SIMD_PROBE)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(RELAXED_SIMD_PROBE);
}
