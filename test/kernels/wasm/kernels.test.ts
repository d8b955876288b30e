import { expect } from '@open-wc/testing';
import { JS_KERNELS as js } from '../../../src/kernels/js';
import { ACTIVATION } from '../../../src/kernels/kernels';
import { wasmBackend } from '../../../src/kernels/wasm';
import { Random } from '../../../src/random';
import { describeBuilds } from './helpers';

describeBuilds('the wrappers', (t) => {
  it('falls back to the JavaScript kernels for arrays outside its memory', () => {
    const { be, arena } = t;
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
