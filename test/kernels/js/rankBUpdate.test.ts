import { expect } from '@open-wc/testing';
import { rankBUpdate } from '../../../src/kernels/js/rankBUpdate';
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
  refRankB,
} from '../helpers';

describe('kernels/js: rankBUpdate', () => {
  it('matches a reference, with and without decay', () => {
    const g = new Guard(new Random(8));
    for (const [scale, decay] of [
      [0.3, 0],
      [-1.5, 0.01],
    ]) {
      forBatchShapes((batch, rows, cols) => {
        const M = g.vec(rows * cols);
        const U = g.vec(batch * rows);
        const V = g.vec(batch * cols);
        const ref = refRankB(M, U, V, batch, rows, cols, scale, decay);
        rankBUpdate(M, U, V, batch, rows, cols, scale, decay);
        const label = `rankBUpdate ${batch}x${rows}x${cols} s=${scale} d=${decay}`;
        expectClose(M, ref.val, ref.abs, label);
      });
    }
    g.check();
  });

  it('with batch 1 (u·vᵀ, its rank1Update path) matches a reference, decay 1 included', () => {
    const g = new Guard(new Random(7));
    for (const [scale, decay] of [
      [0.3, 0],
      [-1.5, 0.01],
      [0, 1],
    ]) {
      forShapes((rows, cols) => {
        const M = g.vec(rows * cols);
        const u = g.vec(rows);
        const v = g.vec(cols);
        const ref = refRankB(M, u, v, 1, rows, cols, scale, decay);
        rankBUpdate(M, u, v, 1, rows, cols, scale, decay);
        expectClose(M, ref.val, ref.abs, `rankBUpdate 1x${rows}x${cols} s=${scale} d=${decay}`);
      });
    }
    g.check();
  });

  it('builds u·vᵀ from zero, decay 1 with scale 0 clears M, and a batch of 2 adds both', () => {
    const M = new Float32Array(6);
    rankBUpdate(M, Float32Array.of(1, -2), Float32Array.of(3, 0.5, -1), 1, 2, 3, 2, 0);
    expect(Array.from(M)).to.deep.equal([6, 1, -2, -12, -2, 4]);
    rankBUpdate(M, Float32Array.of(1, 1), Float32Array.of(1, 1, 1), 1, 2, 3, 0, 1);
    expect(Array.from(M)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    const B = new Float32Array(6).fill(1);
    rankBUpdate(B, Float32Array.of(1, 0, 0, 1), Float32Array.of(1, 2, 3, 4, 5, 6), 2, 2, 3, 1, 0.5);
    expect(Array.from(B)).to.deep.equal([1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
  });

  it('with batch 0 only decays M', () => {
    const M = Float32Array.of(2, 4, -8);
    rankBUpdate(M, new Float32Array(0), new Float32Array(0), 0, 1, 3, 1, 0.25);
    expect(Array.from(M)).to.deep.equal([1.5, 3, -6]);
  });

  it('leaves M untouched on zero-length inputs', () => {
    const [M, A, v, o] = fortyTwos();
    rankBUpdate(M, A, v, 0, 0, 0, 1, 0.5);
    rankBUpdate(M, A, v, 3, 0, 5, 1, 0.5);
    rankBUpdate(M, A, v, 3, 5, 0, 1, 0.5);
    rankBUpdate(M, A, v, 1, 0, 0, 1, 0.5);
    rankBUpdate(M, A, v, 1, 0, 5, 1, 0.5);
    rankBUpdate(M, A, v, 1, 5, 0, 1, 0.5);
    expectUntouched(M, A, v, o);
  });

  it('does not read or write past rows·cols or batch·size (sentinels after the data)', () => {
    const g = new Guard(new Random(16));
    for (const [batch, rows, cols] of BOUND_SHAPES) {
      const M = g.vec(rows * cols);
      for (const b of [1, batch]) {
        rankBUpdate(M, g.vec(b * rows), g.vec(b * cols), b, rows, cols, 0.1, 0.01);
        expectFinite(`rankBUpdate ${b}x${rows}x${cols}`, rows * cols, M);
      }
    }
    g.check();
  });
});
