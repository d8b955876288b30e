/**
 * What the WebAssembly kernels' tests share: both builds, arrays in a backend's memory guarded
 * by sentinels, and comparisons against the JavaScript kernels, the reference.
 */
import { expect } from '@open-wc/testing';
import type { Backend, BackendFactory } from '../../../src/kernels/backend';
import {
  initWasm,
  relaxedSimdSupported,
  wasmBackend,
  wasmRelaxedBackend,
} from '../../../src/kernels/wasm';
import { Random } from '../../../src/random';
import { RTOL, SENTINEL, SIZES } from '../helpers';

export { SIZES } from '../helpers';
export const BATCHES = [1, 2, 3, 5];
/** The MNIST layer: more than a block in both directions. */
export const BIG: [number, number] = [600, 784];

/** Both builds, as the engine names them. */
export const BUILDS: readonly (readonly [string, BackendFactory])[] = [
  ['wasm-simd', wasmBackend],
  ['wasm-relaxed-simd', wasmRelaxedBackend],
];

/** Where a test of {@link describeBuilds} finds its backend and its arena. */
export interface BuildContext {
  be: Backend;
  arena: Arena;
}

/**
 * Declares the tests of `body` once for each build (relaxed SIMD only where the browser has
 * it), each test on a fresh backend, as a backend's allocations are never freed, with an
 * {@link Arena} whose sentinels are checked after the test.
 */
export function describeBuilds(title: string, body: (t: BuildContext) => void): void {
  for (const [name, factory] of BUILDS) {
    describe(`kernels/wasm ${name}: ${title}`, function () {
      const t = {} as BuildContext;
      before(async function () {
        if (name === 'wasm-relaxed-simd' && !relaxedSimdSupported()) this.skip();
        await initWasm();
      });
      beforeEach(() => {
        t.be = factory(6_000_000);
        expect(t.be.name).to.equal(name);
        t.arena = new Arena(t.be, new Random(7));
      });
      afterEach(() => t.arena.check());
      body(t);
    });
  }
}

/**
 * Test arrays in a backend's memory, each with a sentinel float before and after it, and
 * deliberately not 16-byte aligned (the kernels must take any float offset): a kernel that
 * writes outside its arrays changes a sentinel (check()); one that reads outside drags 1e30
 * into a result.
 */
export class Arena {
  private readonly guards: [Float32Array, number][] = [];
  constructor(
    private readonly be: Backend,
    private readonly rng: Random,
  ) {}
  /** n standard normals (or `fill`), at an offset of 1 float into a fresh allocation. */
  vec(n: number, fill?: number): Float32Array {
    const whole = this.be.alloc(n + 2).fill(SENTINEL);
    const data = whole.subarray(1, n + 1);
    if (fill === undefined) this.rng.fillNormal(data);
    else data.fill(fill);
    this.guards.push([whole, n]);
    return data;
  }
  check(): void {
    for (const [whole, n] of this.guards) {
      expect(whole[0], 'sentinel before').to.equal(SENTINEL);
      expect(whole[n + 1], 'sentinel after').to.equal(SENTINEL);
    }
  }
}

/** Every (rows, cols) pair of SIZES, and the MNIST layer. */
export function allShapes(): [number, number][] {
  const shapes: [number, number][] = [];
  for (const rows of SIZES) for (const cols of SIZES) shapes.push([rows, cols]);
  shapes.push(BIG);
  return shapes;
}

export function abs(v: Float32Array): Float32Array {
  return v.map(Math.abs);
}

/** |got[i] − ref[i]| ≤ RTOL·scale[i] (scale = Σ|terms|, a backward error bound) for i < ref.length. */
export function expectClose(
  got: Float32Array,
  ref: Float32Array,
  scale: Float32Array,
  label: string,
): void {
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i] - ref[i]);
    if (!(err <= RTOL * scale[i] + 1e-30)) {
      expect.fail(`${label}[${i}]: got ${got[i]}, expected ${ref[i]} (scale ${scale[i]})`);
    }
  }
}

/** |got − ref| ≤ atol, NaN matching NaN, infinities exactly. */
export function expectNear(got: number, ref: number, atol: number, label: string): void {
  if (Number.isNaN(ref) ? Number.isNaN(got) : Math.abs(got - ref) <= atol || got === ref) return;
  expect.fail(`${label}: got ${got}, expected ${ref}`);
}

/**
 * |got[i] − ref[i]| ≤ 1e-4·max|ref|: relative to the array's largest value, since errors and
 * states are differences whose small entries carry the absolute rounding of the large ones.
 */
export function expectRelClose(got: Float32Array, ref: Float32Array, label: string): void {
  expect(got.length, label).to.equal(ref.length);
  let big = 0;
  for (const v of ref) big = Math.max(big, Math.abs(v));
  for (let i = 0; i < ref.length; i++) {
    if (!(Math.abs(got[i] - ref[i]) <= 1e-4 * big)) {
      expect.fail(`${label}[${i}]: got ${got[i]}, expected ${ref[i]} (largest |ref| ${big})`);
    }
  }
}
