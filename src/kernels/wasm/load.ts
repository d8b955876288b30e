import { RELAXED_SIMD_WASM, SIMD_WASM } from './build/kernels-wasm';
import { relaxedSimdSupported, wasmSimdSupported } from './detect';

/** Which build of the kernels: 128-bit SIMD, or with relaxed-SIMD fused multiply-add too. */
export type WasmVariant = 'simd' | 'relaxed-simd';

const modules: Partial<Record<WasmVariant, WebAssembly.Module>> = {};
let loading: Promise<void> | undefined;

/**
 * Compiles the kernel modules this engine supports, once (later calls return the same
 * promise). Call it before {@link wasmBackend}: the modules are about 12 KB, and Chrome used to
 * refuse to compile a module over 4 KB synchronously on a page's main thread, so they are
 * compiled asynchronously. Resolves, compiling nothing, where WebAssembly SIMD is missing.
 */
export function initWasm(): Promise<void> {
  return (loading ??= compileAll().catch((error: unknown) => {
    loading = undefined;
    throw error;
  }));
}

/** Whether {@link initWasm} has finished and the given build can run here. */
export function wasmAvailable(variant: WasmVariant = 'simd'): boolean {
  return modules[variant] !== undefined;
}

/** The compiled module of a build; throws, saying why, if it is not available. */
export function compiledModule(variant: WasmVariant): WebAssembly.Module {
  const module = modules[variant];
  if (module !== undefined) return module;
  const supported = variant === 'simd' ? wasmSimdSupported() : relaxedSimdSupported();
  throw new Error(
    supported
      ? `WebAssembly kernels (${variant}) are not loaded yet: call \`await initWasm()\` first`
      : `this engine does not support WebAssembly ${variant === 'simd' ? 'SIMD' : 'relaxed SIMD'}`,
  );
}

/**
 * Compiles the kernel modules now, synchronously, where that is allowed: in a worker or in
 * Node (a page's main thread may refuse modules over 4 KB; use {@link initWasm} there). A
 * worker that must choose its kernels before it answers its first message uses this.
 * Compiles nothing where WebAssembly SIMD is missing; throws if compiling fails.
 */
export function initWasmSync(): void {
  if (!modules.simd && wasmSimdSupported())
    modules.simd = new WebAssembly.Module(decode(SIMD_WASM));
  if (!modules['relaxed-simd'] && relaxedSimdSupported()) {
    modules['relaxed-simd'] = new WebAssembly.Module(decode(RELAXED_SIMD_WASM));
  }
}

async function compileAll(): Promise<void> {
  const [simd, relaxed] = await Promise.all([
    wasmSimdSupported() ? WebAssembly.compile(decode(SIMD_WASM)) : undefined,
    relaxedSimdSupported() ? WebAssembly.compile(decode(RELAXED_SIMD_WASM)) : undefined,
  ]);
  if (simd) modules.simd = simd;
  if (relaxed) modules['relaxed-simd'] = relaxed;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
