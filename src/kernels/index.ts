/**
 * Numeric kernels: the kernel set ({@link Kernels}, `kernels.ts`), its backends (`js/`,
 * `wasm/`) and how a network gets one (`backend.ts`).
 */
export { ACTIVATION, type ActivationName, type Kernels } from './kernels';
export * from './js';
