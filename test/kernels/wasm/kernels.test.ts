import { expect } from '@open-wc/testing';
import { ACTIVATION } from '../src/kernels';
import { type Backend, type BackendFactory, JS_KERNELS as js } from '../src/kernels/backend';
import {
  bestBackend,
  initWasm,
  relaxedSimdSupported,
  wasmAvailable,
  wasmBackend,
  wasmRelaxedBackend,
  wasmSimdSupported,
} from '../src/kernels/wasm';
import { Network } from '../src/model/network';
import type { Mode } from '../src/model/spec';
import { Random } from '../src/random';

// Awkward sizes: smaller than a vector, odd, not a multiple of 4 or 8, more than a block.
const SIZES = [0, 1, 2, 3, 5, 7, 13, 33];
const BATCHES = [1, 2, 3, 5];
const BIG: [number, number] = [600, 784];
const RTOL = 1e-5; // against Σ|terms|: float32 sums against the JavaScript kernels' doubles
const TANH_ATOL = 2e-6;
const SENTINEL = Math.fround(1e30);

describe('wasm kernels: before initWasm', () => {
  it('detects SIMD and refuses to make a backend until the modules are compiled', () => {
    expect(wasmSimdSupported(), 'headless Chromium runs SIMD').to.equal(true);
    expect(relaxedSimdSupported()).to.be.a('boolean');
    expect(wasmAvailable()).to.equal(false);
    expect(() => wasmBackend(10)).to.throw(/call `await initWasm\(\)` first/);
    expect(() => bestBackend()(10)).to.throw(/initWasm/);
  });
});

/** Both builds where the engine runs them. */
const variants: [string, BackendFactory][] = [['wasm-simd', wasmBackend]];

describe('wasm kernels', () => {
  before(async () => {
    await initWasm();
    if (relaxedSimdSupported()) variants.push(['wasm-relaxed-simd', wasmRelaxedBackend]);
  });

  it('loads, and bestBackend picks the fastest build', () => {
    expect(wasmAvailable('simd')).to.equal(true);
    expect(wasmAvailable('relaxed-simd')).to.equal(relaxedSimdSupported());
    const best = bestBackend()(16);
    expect(best.name).to.equal(relaxedSimdSupported() ? 'wasm-relaxed-simd' : 'wasm-simd');
  });

  it('allocates zeroed, 16-byte-aligned views of one memory and refuses to overflow it', () => {
    const be = wasmBackend(100);
    const a = be.alloc(3);
    const b = be.alloc(5);
    const c = be.alloc(0);
    expect(a.buffer).to.equal(b.buffer);
    expect(a.buffer).to.equal(c.buffer);
    for (const v of [a, b, c]) expect(v.byteOffset % 16).to.equal(0);
    expect(b.byteOffset - a.byteOffset).to.equal(16);
    expect(Array.from(b)).to.deep.equal([0, 0, 0, 0, 0]);
    // The slack covers alignment; a request far beyond the size asked for does not fit.
    expect(() => be.alloc(1 << 20)).to.throw(RangeError, /alloc\(1048576\) needs .* left/);
    expect(() => be.alloc(-1)).to.throw(RangeError, /integer ≥ 0/);
    expect(be.alloc(2).byteOffset, 'a refused alloc takes nothing').to.equal(c.byteOffset);
    expect(wasmBackend(100).alloc(1).buffer, 'one memory per backend').to.not.equal(a.buffer);
  });

  for (const [name, factory] of [
    ['wasm-simd', wasmBackend],
    ['wasm-relaxed-simd', wasmRelaxedBackend],
  ] as const) {
    describe(name, function () {
      let be: Backend;
      let arena: Arena;
      before(function () {
        if (name === 'wasm-relaxed-simd' && !relaxedSimdSupported()) this.skip();
      });
      beforeEach(() => {
        // A fresh memory per test: a backend's allocations are never freed.
        be = factory(6_000_000);
        expect(be.name).to.equal(name);
        arena = new Arena(be, new Random(7));
      });
      afterEach(() => arena.check());

      it('batchMatMul and gemv match the JavaScript kernels', () => {
        const k = be.kernels;
        const shapes = allShapes();
        for (const [rows, cols] of shapes) {
          for (const batch of [...BATCHES, ...(rows * cols < 1000 ? [0, 4, 9] : [])]) {
            const A = arena.vec(batch * cols);
            const M = arena.vec(rows * cols);
            const out = arena.vec(batch * rows);
            k.batchMatMul(out, A, M, batch, rows, cols);
            const ref = new Float32Array(batch * rows);
            js.batchMatMul(ref, A, M, batch, rows, cols);
            const scale = new Float32Array(batch * rows);
            js.batchMatMul(scale, abs(A), abs(M), batch, rows, cols);
            expectClose(out, ref, scale, `batchMatMul ${batch}×${rows}×${cols}`);
            if (rows === BIG[0]) {
              // Float32 sums, not the JavaScript kernel's doubles: the WebAssembly code ran.
              const same = out.subarray(0, batch * rows).every((v, i) => v === ref[i]);
              expect(same, 'the wasm kernel ran, not the fallback').to.equal(false);
            }
            if (batch === 1) {
              const g = arena.vec(rows);
              k.gemv(g, M, A, rows, cols);
              expectClose(g, ref, scale, `gemv ${rows}×${cols}`);
            }
          }
        }
      });

      it('batchMatMulT and gemvT match the JavaScript kernels', () => {
        const k = be.kernels;
        for (const [rows, cols] of allShapes()) {
          for (const batch of BATCHES) {
            const A = arena.vec(batch * rows);
            const M = arena.vec(rows * cols);
            const out = arena.vec(batch * cols, 5); // garbage: the kernel must clear it
            k.batchMatMulT(out, A, M, batch, rows, cols);
            const ref = new Float32Array(batch * cols);
            js.batchMatMulT(ref, A, M, batch, rows, cols);
            const scale = new Float32Array(batch * cols);
            js.batchMatMulT(scale, abs(A), abs(M), batch, rows, cols);
            expectClose(out, ref, scale, `batchMatMulT ${batch}×${rows}×${cols}`);
            if (batch === 1) {
              const g = arena.vec(cols, 5);
              k.gemvT(g, M, A, rows, cols);
              expectClose(g, ref, scale, `gemvT ${rows}×${cols}`);
            }
          }
        }
      });

      it('rankBUpdate and rank1Update match the JavaScript kernels, with and without decay', () => {
        const k = be.kernels;
        for (const [rows, cols] of allShapes()) {
          for (const batch of [...BATCHES, ...(rows * cols < 1000 ? [0, 4, 9] : [])]) {
            for (const decay of [0, 0.01]) {
              const U = arena.vec(batch * rows);
              const V = arena.vec(batch * cols);
              const M = arena.vec(rows * cols);
              const M0 = M.slice(0, rows * cols);
              const ref = M0.slice();
              js.rankBUpdate(ref, U, V, batch, rows, cols, -0.3, decay);
              const scale = abs(M0);
              js.rankBUpdate(scale, abs(U), abs(V), batch, rows, cols, 0.3, decay);
              k.rankBUpdate(M, U, V, batch, rows, cols, -0.3, decay);
              const label = `rankBUpdate ${batch}×${rows}×${cols} decay ${decay}`;
              expectClose(M, ref, scale, label);
              if (batch === 1) {
                M.set(M0);
                k.rank1Update(M, U, V, rows, cols, -0.3, decay);
                expectClose(M, ref, scale, `rank1Update ${rows}×${cols} decay ${decay}`);
              }
            }
          }
        }
      });

      it('activate: tanh within 2e-6 of Math.tanh, logistic too, identity and relu exact', () => {
        // A dense sweep through both tanh branches (|x| < 0.625 and beyond), then edge values.
        const sweep: number[] = [];
        for (let i = -2400; i <= 2400; i++) sweep.push(i / 200);
        // prettier-ignore
        const edges = [0, -0, 1e-30, -1e-30, 1e-7, -3e-4, 0.6249999, 0.625, -0.625, 0.6250001,
          8.9, 19.99, 20, 21, 40, 87, 88.5, 100, -100, 1e30, -1e30, Infinity, -Infinity, NaN];
        for (const values of [
          sweep,
          edges,
          edges.slice(0, 1),
          edges.slice(0, 3),
          edges.slice(0, 7),
        ]) {
          const n = values.length;
          const x = arena.vec(n);
          x.set(values);
          for (const kind of [0, 1, 2, 3]) {
            const s = arena.vec(n, 9);
            const ds = arena.vec(n, 9);
            be.kernels.activate(s, ds, x, n, kind);
            const rs = new Float32Array(n);
            const rds = new Float32Array(n);
            js.activate(rs, rds, x, n, kind);
            const tol = kind === ACTIVATION.identity || kind === ACTIVATION.relu ? 0 : TANH_ATOL;
            for (let j = 0; j < n; j++) {
              const what = `activate kind ${kind} at x = ${x[j]}`;
              expectNear(s[j], rs[j], tol, `${what}: σ`);
              expectNear(ds[j], rds[j], tol, `${what}: σ'`);
              if (kind === ACTIVATION.tanh && x[j] === 0) {
                expect(Object.is(s[j], x[j]), 'tanh keeps the sign of zero').to.equal(true);
              }
            }
          }
        }
        expect(() => be.kernels.activate(arena.vec(1), arena.vec(1), arena.vec(1), 1, 7)).to.throw(
          RangeError,
        );
      });

      it('nodeUpdate and stateUpdate agree bit for bit, maxima included', () => {
        for (const n of [...SIZES, 600 * 3]) {
          for (const form of [0, 1, 2]) {
            const x = arena.vec(n);
            const eps = arena.vec(n);
            const mu = arena.vec(n);
            const fb = form > 0 ? arena.vec(n) : null;
            const ds = form > 1 ? arena.vec(n) : null;
            const xOut = arena.vec(n);
            const epsOut = arena.vec(n);
            const stats = Float64Array.of(0.5, 0, 0, 0);
            be.kernels.nodeUpdate(xOut, epsOut, x, eps, mu, fb, ds, n, 0.1, 0.9, 1.3, 0.05, stats);
            const rx = new Float32Array(n);
            const re = new Float32Array(n);
            const rst = Float64Array.of(0.5, 0, 0, 0);
            js.nodeUpdate(rx, re, x, eps, mu, fb, ds, n, 0.1, 0.9, 1.3, 0.05, rst);
            const label = `n ${n}, form ${form}`;
            expect(Array.from(xOut.subarray(0, n)), `nodeUpdate x ${label}`).to.deep.equal(
              Array.from(rx),
            );
            expect(Array.from(epsOut.subarray(0, n)), `nodeUpdate ε ${label}`).to.deep.equal(
              Array.from(re),
            );
            expect(Array.from(stats), `nodeUpdate maxima ${label}`).to.deep.equal(Array.from(rst));

            const y = arena.vec(n);
            y.set(x.subarray(0, n));
            const ry = x.slice(0, n);
            const m = be.kernels.stateUpdate(y, fb, ds, eps, n, 0.1, 0.9, 0.05);
            const rm = js.stateUpdate(ry, fb, ds, eps, n, 0.1, 0.9, 0.05);
            expect(Array.from(y.subarray(0, n)), `stateUpdate ${label}`).to.deep.equal(
              Array.from(ry),
            );
            expect(m, `stateUpdate max ${label}`).to.equal(rm);
          }
        }
      });

      it('nodeUpdate maxima and stateUpdate propagate NaN, and a NaN maximum stays NaN', () => {
        for (const n of [3, 13, 33]) {
          // A NaN in the vector part (index 1) and in the scalar tail (index n − 1).
          for (const at of [1, n - 1]) {
            const x = arena.vec(n);
            const eps = arena.vec(n);
            const mu = arena.vec(n);
            const fb = arena.vec(n);
            const ds = arena.vec(n);
            fb[at] = NaN;
            const stats = new Float64Array(4);
            be.kernels.nodeUpdate(
              arena.vec(n),
              arena.vec(n),
              x,
              eps,
              mu,
              fb,
              ds,
              n,
              0.1,
              1,
              1,
              0,
              stats,
            );
            expect(Number.isNaN(stats[0]), `|x'| max, NaN at ${at} of ${n}`).to.equal(true);
            expect(Number.isNaN(stats[2]), `|Δx| max, NaN at ${at} of ${n}`).to.equal(true);
            expect(Number.isFinite(stats[1]), 'ε is untouched by fb').to.equal(true);
            expect(Number.isNaN(be.kernels.stateUpdate(x, fb, ds, eps, n, 0.1, 1, 0))).to.equal(
              true,
            );
          }
          const st = Float64Array.of(NaN, NaN, NaN, NaN);
          const x = arena.vec(n);
          const eps = arena.vec(n);
          const mu = arena.vec(n);
          be.kernels.nodeUpdate(
            arena.vec(n),
            arena.vec(n),
            x,
            eps,
            mu,
            null,
            null,
            n,
            0.1,
            1,
            1,
            0,
            st,
          );
          expect(Array.from(st).every(Number.isNaN), 'NaN maxima stay NaN').to.equal(true);
        }
      });

      it('axpy, errorEquilibrium and sumSquares match the JavaScript kernels', () => {
        const k = be.kernels;
        for (const n of [...SIZES, 600 * 784]) {
          const out = arena.vec(n);
          const v = arena.vec(n);
          const ref = out.slice(0, n);
          const scale = abs(ref);
          js.axpy(ref, -0.37, v, n);
          js.axpy(scale, 0.37, abs(v), n);
          k.axpy(out, -0.37, v, n);
          expectClose(out, ref, scale, `axpy ${n}`);

          const eps = arena.vec(n);
          const mu = arena.vec(n);
          k.errorEquilibrium(eps, v, mu, n, 1.7);
          const re = new Float32Array(n);
          js.errorEquilibrium(re, v, mu, n, 1.7);
          expect(
            eps.subarray(0, n).every((e, j) => e === re[j]),
            `errorEquilibrium ${n}`,
          ).to.equal(true);

          const ss = k.sumSquares(v, n);
          expect(Math.abs(ss - js.sumSquares(v, n)), `sumSquares ${n}`).to.be.at.most(1e-12 * ss);
        }
      });

      it('adamStep matches the JavaScript kernel bit for bit (coupled and decoupled decay)', () => {
        const k = be.kernels;
        for (const n of [...SIZES, 600 * 784]) {
          const [w, g, m, v] = [arena.vec(n), arena.vec(n), arena.vec(n), arena.vec(n)];
          for (let j = 0; j < n; j++) v[j] = Math.abs(v[j]) * 1e-4; // v ≥ 0, as Adam keeps it
          const ref = [w, g, m, v].map((a) => a.slice(0, n));
          for (const [lambda, keep] of [
            [0.05, 1],
            [0, 0.995],
          ]) {
            k.adamStep(w, g, m, v, n, 0.0031, 0.9, 0.999, 1.7, 1e-8, lambda, keep);
            js.adamStep(
              ref[0],
              ref[1],
              ref[2],
              ref[3],
              n,
              0.0031,
              0.9,
              0.999,
              1.7,
              1e-8,
              lambda,
              keep,
            );
            for (const [i, name] of ['w', 'g', 'm', 'v'].entries()) {
              const a = [w, g, m, v][i];
              expect(
                ref[i].every((e, j) => e === a[j]),
                `adamStep ${name} ${n} λ ${lambda}`,
              ).to.equal(true);
            }
          }
        }
      });

      it('falls back to the JavaScript kernels for arrays outside its memory', () => {
        const k = be.kernels;
        const rng = new Random(3);
        const outside = (n: number) => rng.fillNormal(new Float32Array(n));
        const [rows, cols, batch] = [13, 33, 3];
        const M = arena.vec(rows * cols);
        const A = outside(batch * cols);
        const out = arena.vec(batch * rows);
        k.batchMatMul(out, A, M, batch, rows, cols);
        const ref = new Float32Array(batch * rows);
        js.batchMatMul(ref, A, M, batch, rows, cols);
        // The JavaScript kernel ran: equal bit for bit, not merely close.
        expect(Array.from(out.subarray(0, batch * rows))).to.deep.equal(Array.from(ref));

        // A view of another backend's memory, and views shorter than the sizes given.
        const other = wasmBackend(1000).alloc(rows * cols);
        other.set(M.subarray(0, rows * cols));
        const A2 = arena.vec(batch * cols);
        k.batchMatMul(out, A2, other, batch, rows, cols);
        js.batchMatMul(ref, A2, other, batch, rows, cols);
        expect(Array.from(out.subarray(0, batch * rows))).to.deep.equal(Array.from(ref));
        const short = be.alloc(4);
        expect(() => k.axpy(short, 1, arena.vec(8), 8)).to.not.throw();

        // Every kernel, with one argument outside: same answers as the JavaScript kernels.
        const n = 13;
        const s = outside(n);
        const ds = arena.vec(n);
        k.activate(s, ds, arena.vec(n), n, ACTIVATION.tanh);
        const st = new Float64Array(4);
        const xo = outside(n);
        // prettier-ignore
        k.nodeUpdate(arena.vec(n), arena.vec(n), xo, arena.vec(n), arena.vec(n), null, null, n, 0.1, 1, 1, 0, st);
        expect(st[0]).to.be.above(0);
        const acc = outside(rows * cols);
        const acc2 = acc.slice();
        const U = arena.vec(batch * rows);
        const V = arena.vec(batch * cols);
        k.rankBUpdate(acc, U, V, batch, rows, cols, 0.5, 0);
        js.rankBUpdate(acc2, U, V, batch, rows, cols, 0.5, 0);
        expect(Array.from(acc)).to.deep.equal(Array.from(acc2));
        expect(k.sumSquares(acc, acc.length)).to.equal(js.sumSquares(acc, acc.length));
      });
    });
  }

  it('relaxed SIMD and plain SIMD agree within float32 tolerance', function () {
    if (!relaxedSimdSupported()) this.skip();
    const plain = wasmBackend(2_000_000);
    const relaxed = wasmRelaxedBackend(2_000_000);
    const rng = new Random(11);
    const [rows, cols] = BIG;
    for (const batch of [1, 2, 3]) {
      const A = rng.fillNormal(new Float32Array(batch * cols));
      const M = rng.fillNormal(new Float32Array(rows * cols));
      const U = rng.fillNormal(new Float32Array(batch * rows));
      const outs = [plain, relaxed].map((be) => {
        const [am, mm, uu] = [A, M, U].map((v) => {
          const copy = be.alloc(v.length);
          copy.set(v);
          return copy;
        });
        const o = be.alloc(batch * rows);
        be.kernels.batchMatMul(o, am, mm, batch, rows, cols);
        be.kernels.rankBUpdate(mm, uu, am, batch, rows, cols, 0.01, 0.001);
        return [o, mm];
      });
      const scale = new Float32Array(batch * rows);
      js.batchMatMul(scale, abs(A), abs(M), batch, rows, cols);
      expectClose(outs[1][0], outs[0][0], scale, `batchMatMul batch ${batch}`);
      const mScale = abs(M);
      js.rankBUpdate(mScale, abs(U), abs(A), batch, rows, cols, 0.01, 0.001);
      expectClose(outs[1][1], outs[0][1], mScale, `rankBUpdate batch ${batch}`);
    }
  });

  it('runs a whole network as the JavaScript backend does: 10-7-3 tanh, batch 5, every mode', () => {
    for (const [name, factory] of variants) {
      const spec = { layers: [10, 7, 3], activation: 'tanh' as const, seed: 5, lambdaX: 0.1 };
      const nets = [factory, undefined].map(
        (backend) => new Network({ ...spec }, backend ? { batch: 5, backend } : { batch: 5 }),
      );
      const [wasm, ref] = nets;
      expect(wasm.backend.name).to.equal(name);
      expect(ref.backend.name).to.equal('js');
      // The network's arrays live in the backend's memory, so the wasm kernels really run.
      expect(wasm.M[0].buffer).to.equal(wasm.x(0).buffer);
      expect(wasm.M[0].buffer).to.be.instanceOf(ArrayBuffer);
      const rng = new Random(2);
      const input = Array.from(rng.fillNormal(new Float32Array(5 * 10)));
      for (const net of nets) {
        net.setInput(input);
        net.setTargetClass([0, 1, 2, 1, 0]);
      }
      for (const mode of ['train', 'classify', 'generate'] as Mode[]) {
        for (const net of nets) {
          net.setMode(mode);
          net.step(500);
        }
        const label = `${name}, ${mode}`;
        for (let l = 0; l < 3; l++) {
          expectRelClose(wasm.x(l), ref.x(l), `${label}: x(${l})`);
          expectRelClose(wasm.eps(l), ref.eps(l), `${label}: ε(${l})`);
        }
        for (let l = 0; l < 2; l++) {
          expectRelClose(wasm.M[l], ref.M[l], `${label}: M(${l})`);
          expectRelClose(wasm.W[l], ref.W[l], `${label}: W(${l})`);
        }
        expect(Math.abs(wasm.maxRate - ref.maxRate)).to.be.at.most(1e-3 * (ref.maxRate + 1));
        const same = wasm.M[0].every((v, i) => v === ref.M[0][i]);
        expect(same, 'close, but not the same bits: the wasm kernels ran').to.equal(false);
      }
    }
  });
});

/**
 * Test arrays in a backend's memory, each with a sentinel float before and after it, and
 * deliberately not 16-byte aligned (the kernels must take any float offset): a kernel that
 * writes outside its arrays changes a sentinel (check()); one that reads outside drags 1e30
 * into a result.
 */
class Arena {
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
function allShapes(): [number, number][] {
  const shapes: [number, number][] = [];
  for (const rows of SIZES) for (const cols of SIZES) shapes.push([rows, cols]);
  shapes.push(BIG);
  return shapes;
}

function abs(v: Float32Array): Float32Array {
  return v.map(Math.abs);
}

/** |got[i] − ref[i]| ≤ RTOL·scale[i] (scale = Σ|terms|, a backward error bound) for i < ref.length. */
function expectClose(
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
function expectNear(got: number, ref: number, atol: number, label: string): void {
  if (Number.isNaN(ref) ? Number.isNaN(got) : Math.abs(got - ref) <= atol || got === ref) return;
  expect.fail(`${label}: got ${got}, expected ${ref}`);
}

/**
 * |got[i] − ref[i]| ≤ 1e-4·max|ref|: relative to the array's largest value, since errors and
 * states are differences whose small entries carry the absolute rounding of the large ones.
 */
function expectRelClose(got: Float32Array, ref: Float32Array, label: string): void {
  expect(got.length, label).to.equal(ref.length);
  let big = 0;
  for (const v of ref) big = Math.max(big, Math.abs(v));
  for (let i = 0; i < ref.length; i++) {
    if (!(Math.abs(got[i] - ref[i]) <= 1e-4 * big)) {
      expect.fail(`${label}[${i}]: got ${got[i]}, expected ${ref[i]} (largest |ref| ${big})`);
    }
  }
}
