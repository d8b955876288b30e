import { expect } from '@open-wc/testing';
import { JS_KERNELS as js } from '../../../src/kernels/js';
import { describeBuilds, SIZES } from './helpers';

describeBuilds('sumSquares', (t) => {
  it('matches the JavaScript kernel within 1e-12', () => {
    const { be, arena } = t;
    for (const n of [...SIZES, 600 * 784]) {
      const v = arena.vec(n);
      const ss = be.kernels.sumSquares(v, n);
      expect(Math.abs(ss - js.sumSquares(v, n)), `sumSquares ${n}`).to.be.at.most(1e-12 * ss);
    }
  });
});
