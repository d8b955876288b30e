/**
 * A kernel backend: the kernels and the memory they read. The plain-JavaScript backend
 * allocates ordinary Float32Arrays; a WebAssembly backend allocates views into its linear
 * memory so that its kernels read the network's state and weights in place, with no copy per
 * tick. A network asks its backend factory for one backend sized for all its arrays.
 */
import { JS_KERNELS } from './js';
import type { Kernels } from './kernels';

export type { Kernels } from './kernels';
export { JS_KERNELS } from './js';

export interface Backend {
  /** Which kernels run: `js`, `wasm-simd`, `wasm-relaxed-simd`. */
  readonly name: string;
  readonly kernels: Kernels;
  /** A zeroed array of `n` floats that the kernels can read in place. */
  alloc(n: number): Float32Array;
}

/** Makes a backend able to hold `floats` floats in all (a hint the JS backend ignores). */
export type BackendFactory = (floats: number) => Backend;

/** The plain-JavaScript backend. */
export const jsBackend: BackendFactory = () => ({
  name: 'js',
  kernels: JS_KERNELS,
  alloc: (n) => new Float32Array(n),
});

let defaultFactory: BackendFactory = jsBackend;

/** The factory new networks use when none is given. */
export function getDefaultBackend(): BackendFactory {
  return defaultFactory;
}

/** Sets the factory new networks use when none is given (e.g. after WebAssembly loads). */
export function setDefaultBackend(factory: BackendFactory): void {
  defaultFactory = factory;
}
