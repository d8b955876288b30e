import { expect } from '@open-wc/testing';
import type { BackendFactory } from '../../../src/kernels/backend';
import { JS_KERNELS as js } from '../../../src/kernels/js';
import {
  bestBackend,
  initWasm,
  relaxedSimdSupported,
  wasmAvailable,
  wasmBackend,
  wasmRelaxedBackend,
  wasmSimdSupported,
} from '../../../src/kernels/wasm';
import { Network } from '../../../src/model/network';
import type { Mode } from '../../../src/model/spec';
import { Random } from '../../../src/random';
import { abs, BIG, expectClose, expectRelClose } from './helpers';

describe('kernels/wasm: before initWasm', () => {
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

describe('kernels/wasm: the backends', () => {
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
