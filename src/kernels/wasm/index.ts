/**
 * WebAssembly SIMD kernels: backends whose kernels read the network's arrays in place in one
 * WebAssembly memory. Usage:
 *
 *   await initWasm();
 *   const net = new Network(spec, { backend: bestBackend() });
 *
 * The kernels are AssemblyScript (assembly/), compiled by `npm run build:wasm` into build/.
 */
export {
  autoBackend,
  bestBackend,
  SMALL_NETWORK_FLOATS,
  wasmBackend,
  wasmRelaxedBackend,
} from './backend';
export { relaxedSimdSupported, wasmSimdSupported } from './detect';
export { initWasm, initWasmSync, wasmAvailable, type WasmVariant } from './load';
