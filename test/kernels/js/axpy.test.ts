import { expect } from '@open-wc/testing';
import { axpy } from '../../../src/kernels/js/axpy';
import { Random } from '../../../src/random';
import {
  BOUND_SHAPES,
  expectClose,
  expectFinite,
  expectUntouched,
  fortyTwos,
  Guard,
  head,
  SIZES,
} from '../helpers';

describe('kernels/js: axpy', () => {
  it('matches a reference', () => {
    const g = new Guard(new Random(11));
    for (const n of SIZES) {
      const out = g.vec(n);
      const v = g.vec(n);
      const ref = head(out, n).map((o, j) => o + -0.7 * v[j]);
      const scale = head(out, n).map((o, j) => Math.abs(o) + Math.abs(0.7 * v[j]));
      axpy(out, -0.7, v, n);
      expectClose(out, ref, scale, `axpy n=${n}`, 1e-6);
    }
    const out = Float32Array.of(1, 2, 3, 4, 5);
    axpy(out, 2, Float32Array.of(1, 1, 1, 1, 1), 5);
    expect(Array.from(out)).to.deep.equal([3, 4, 5, 6, 7]);
    g.check();
  });

  it('leaves its output untouched on zero-length inputs', () => {
    const [o, v] = fortyTwos();
    axpy(o, 2, v, 0);
    expectUntouched(o, v);
  });

  it('does not read or write past n (sentinels after the data)', () => {
    const g = new Guard(new Random(16));
    for (const [batch, , cols] of BOUND_SHAPES) {
      const n = batch * cols;
      const x = g.vec(n);
      axpy(x, 0.5, g.vec(n), n);
      expectFinite(`axpy n=${n}`, n, x);
    }
    g.check();
  });
});
