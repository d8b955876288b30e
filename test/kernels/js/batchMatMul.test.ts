import { expect } from '@open-wc/testing';
import { batchMatMul } from '../../../src/kernels/js/batchMatMul';
import { Random } from '../../../src/random';
import {
  BOUND_SHAPES,
  expectClose,
  expectFinite,
  expectUntouched,
  forBatchShapes,
  forShapes,
  fortyTwos,
  Guard,
  head,
  identity,
  refMatVec,
} from '../helpers';

describe('kernels/js: batchMatMul', () => {
  it('(A·Mᵀ) matches a reference on awkward shapes', () => {
    const g = new Guard(new Random(3));
    forBatchShapes((batch, rows, cols) => {
      const M = g.vec(rows * cols);
      const A = g.vec(batch * cols);
      const out = g.vec(batch * rows, 99);
      batchMatMul(out, A, M, batch, rows, cols);
      for (let b = 0; b < batch; b++) {
        const ref = refMatVec(M, A.subarray(b * cols, (b + 1) * cols), rows, cols);
        const got = out.subarray(b * rows, (b + 1) * rows);
        expectClose(got, ref.val, ref.abs, `batchMatMul ${batch}x${rows}x${cols} b=${b}`);
      }
    });
    g.check();
  });

  it('with batch 1 (M·v, its gemv path) matches a double-precision reference', () => {
    const g = new Guard(new Random(1));
    forShapes((rows, cols) => {
      const M = g.vec(rows * cols);
      const v = g.vec(cols);
      const out = g.vec(rows, 99);
      batchMatMul(out, v, M, 1, rows, cols);
      const ref = refMatVec(M, v, rows, cols);
      expectClose(out, ref.val, ref.abs, `batchMatMul 1x${rows}x${cols}`);
    });
    g.check();
  });

  it('returns its input exactly for the identity matrix, batch 1 and 3', () => {
    const g = new Guard(new Random(5));
    for (const n of [1, 2, 3, 5, 7, 13, 33]) {
      const I = identity(g, n);
      const v = g.vec(n);
      const out = g.vec(n);
      batchMatMul(out, v, I, 1, n, n);
      expect(head(out, n)).to.deep.equal(head(v, n));
      const A = g.vec(3 * n);
      const outB = g.vec(3 * n);
      batchMatMul(outB, A, I, 3, n, n);
      expect(head(outB, 3 * n)).to.deep.equal(head(A, 3 * n));
    }
    g.check();
  });

  it('with batch 1 agrees with each sample of a batch of 3', () => {
    const g = new Guard(new Random(6));
    const [rows, cols] = [7, 13];
    const M = g.vec(rows * cols);
    const A = g.vec(3 * cols);
    const outB = g.vec(3 * rows);
    batchMatMul(outB, A, M, 3, rows, cols);
    for (let b = 0; b < 3; b++) {
      const v = A.subarray(b * cols, (b + 1) * cols);
      const out = g.vec(rows);
      batchMatMul(out, v, M, 1, rows, cols);
      const ref = refMatVec(M, v, rows, cols);
      const got = outB.subarray(b * rows, (b + 1) * rows);
      expectClose(out, head(got, rows), ref.abs, `batch 1 vs sample ${b} of 3`);
    }
    g.check();
  });

  it('leaves its output untouched on zero-length inputs', () => {
    const [o, A, M, v] = fortyTwos();
    batchMatMul(o, A, M, 0, 0, 0);
    batchMatMul(o, A, M, 0, 3, 5);
    batchMatMul(o, A, M, 3, 0, 5);
    batchMatMul(o, v, M, 1, 0, 0);
    batchMatMul(o, v, M, 1, 0, 5);
    expectUntouched(o, A, M, v);
  });

  it('does not read or write past rows·cols or batch·size (sentinels after the data)', () => {
    const g = new Guard(new Random(16));
    for (const [batch, rows, cols] of BOUND_SHAPES) {
      const M = g.vec(rows * cols);
      for (const b of [1, batch]) {
        const [A, out] = [g.vec(b * cols), g.vec(b * rows)];
        batchMatMul(out, A, M, b, rows, cols);
        expectFinite(`batchMatMul ${b}x${rows}x${cols}`, b * rows, out);
      }
    }
    g.check();
  });
});
