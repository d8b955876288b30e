import { expect } from '@open-wc/testing';
import { errorEquilibrium } from '../../../src/kernels/js/errorEquilibrium';
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

describe('kernels/js: errorEquilibrium', () => {
  it('computes (x − μ)/ν', () => {
    const g = new Guard(new Random(12));
    for (const n of SIZES) {
      const x = g.vec(n);
      const mu = g.vec(n);
      const eps = g.vec(n, 99);
      errorEquilibrium(eps, x, mu, n, 0.3);
      const ref = head(x, n).map((xj, j) => (xj - mu[j]) / 0.3);
      expectClose(
        eps,
        ref,
        ref.map((r) => Math.abs(r)),
        `errorEquilibrium n=${n}`,
        1e-6,
      );
    }
    const eps = new Float32Array(2);
    errorEquilibrium(eps, Float32Array.of(3, -1), Float32Array.of(1, 1), 2, 0.5);
    expect(Array.from(eps)).to.deep.equal([4, -4]);
    g.check();
  });

  it('leaves its output untouched on zero-length inputs', () => {
    const [o, v] = fortyTwos();
    errorEquilibrium(o, v, v, 0, 1);
    expectUntouched(o, v);
  });

  it('does not read or write past n (sentinels after the data)', () => {
    const g = new Guard(new Random(16));
    for (const [batch, , cols] of BOUND_SHAPES) {
      const n = batch * cols;
      const eps = g.vec(n);
      errorEquilibrium(eps, g.vec(n), g.vec(n), n, 0.5);
      expectFinite(`errorEquilibrium n=${n}`, n, eps);
    }
    g.check();
  });
});
