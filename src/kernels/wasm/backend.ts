import { type Backend, type BackendFactory, jsBackend } from '../backend';
import { relaxedSimdSupported, wasmSimdSupported } from './detect';
import { type WasmKernels, wrapKernels } from './kernels';
import { compiledModule, type WasmVariant } from './load';

const PAGE = 65536;
/** Bytes 0..63 hold nodeUpdate's 4 running maxima (doubles); arrays start after them. */
const SCRATCH = 64;
/** Room for the 16-byte alignment of every array (up to 12 bytes each) and a little more. */
const SLACK = PAGE;
/** The largest memory a 32-bit WebAssembly engine may give (4 GiB). */
const MAX_PAGES = 65536;

/**
 * A backend whose kernels run WebAssembly SIMD over one memory of its own, made once for
 * `floats` floats and never grown (growing would detach every view handed out). `alloc`
 * hands out zeroed, 16-byte-aligned views into it. A kernel given any array that is not a view
 * of this memory (or too short for its sizes) runs the JavaScript kernel instead, so results
 * are right whatever the caller passes.
 */
function createWasmBackend(variant: WasmVariant, floats: number): Backend {
  if (!(floats >= 0) || !Number.isFinite(floats)) {
    throw new RangeError(`wasm backend: floats must be a finite number ≥ 0, got ${floats}`);
  }
  const module = compiledModule(variant);
  const pages = Math.ceil((SCRATCH + 4 * Math.ceil(floats) + SLACK) / PAGE);
  if (pages > MAX_PAGES) {
    throw new RangeError(
      `wasm backend: ${floats} floats need ${pages * PAGE} bytes, more than WebAssembly's 4 GiB`,
    );
  }
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const wasm = instance.exports as unknown as WasmKernels;
  const buffer = memory.buffer;
  const size = buffer.byteLength;
  const stats = new Float64Array(buffer, 0, 4);
  const offsets = new WeakMap<Float32Array, number>();
  let top = SCRATCH;

  const alloc = (n: number): Float32Array => {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`wasm backend: alloc size must be an integer ≥ 0, got ${n}`);
    }
    if (top + 4 * n > size) {
      throw new RangeError(
        `wasm backend: alloc(${n}) needs ${4 * n} bytes but only ${size - top} of ${size} are ` +
          `left; the backend was made for ${floats} floats, ask the factory for more`,
      );
    }
    const view = new Float32Array(buffer, top, n);
    offsets.set(view, top);
    top += Math.ceil(n / 4) * 16;
    return view;
  };

  return { name: `wasm-${variant}`, kernels: wrapKernels(wasm, buffer, offsets, stats), alloc };
}

/**
 * Kernels in WebAssembly 128-bit SIMD (backend name `wasm-simd`). Call `await initWasm()`
 * once before using it; it throws, saying so, otherwise.
 */
export const wasmBackend: BackendFactory = (floats) => createWasmBackend('simd', floats);

/**
 * The same kernels with relaxed-SIMD fused multiply-add in the matrix products and axpy (name
 * `wasm-relaxed-simd`): faster where the hardware has FMA; results may differ from
 * `wasmBackend`'s in the last bits, and from one machine to another.
 */
export const wasmRelaxedBackend: BackendFactory = (floats) =>
  createWasmBackend('relaxed-simd', floats);

/**
 * The fastest backend this engine runs: relaxed SIMD, else SIMD, else plain JavaScript (its
 * backends are named `wasm-relaxed-simd`, `wasm-simd`, `js`). Where WebAssembly SIMD works,
 * the factory returned throws until `await initWasm()` has finished, rather than fall back
 * silently.
 */
export function bestBackend(): BackendFactory {
  if (relaxedSimdSupported()) return wasmRelaxedBackend;
  if (wasmSimdSupported()) return wasmBackend;
  return jsBackend;
}

/**
 * Below this many floats (state, errors and weights together) a call into WebAssembly costs
 * more than the arithmetic it saves: measured here, a 10-5-3 network runs at 0.6× of the
 * JavaScript kernels on WebAssembly, and WebAssembly wins from about 30-20-10 (≈ 2,000 floats)
 * upwards (`npm run bench`).
 */
export const SMALL_NETWORK_FLOATS = 2000;

/**
 * {@link bestBackend} for networks of at least `minFloats` floats, plain JavaScript below: the
 * factory to give new networks by default.
 */
export function autoBackend(minFloats = SMALL_NETWORK_FLOATS): BackendFactory {
  const big = bestBackend();
  return (floats) => (floats < minFloats ? jsBackend(floats) : big(floats));
}
