import { expect } from '@open-wc/testing';
import { sumSquares } from '../../../src/kernels/js/sumSquares';
import { Random } from '../../../src/random';
import { BOUND_SHAPES, expectUntouched, fortyTwos, Guard, SIZES } from '../helpers';

describe('kernels/js: sumSquares', () => {
  it('matches a double reference and a closed form', () => {
    const g = new Guard(new Random(10));
    for (const n of [...SIZES, 100001]) {
      const v = g.vec(n);
      let ref = 0;
      for (let j = 0; j < n; j++) ref += v[j] * v[j];
      expect(sumSquares(v, n)).to.be.closeTo(ref, 1e-12 * ref);
    }
    expect(sumSquares(Float32Array.of(1, 2, 3, 4, 5), 5)).to.equal(55);
    expect(sumSquares(Float32Array.of(1, 2, 3, 4, 5), 3)).to.equal(14);
    g.check();
  });

  it('gives 0 on a zero-length input and leaves it untouched', () => {
    const [v] = fortyTwos();
    expect(sumSquares(v, 0)).to.equal(0);
    expectUntouched(v);
  });

  it('does not read past n (sentinels after the data)', () => {
    const g = new Guard(new Random(16));
    for (const [batch, , cols] of BOUND_SHAPES) {
      const n = batch * cols;
      expect(sumSquares(g.vec(n), n)).to.be.below(1e20);
    }
    g.check();
  });
});
