import { expect } from '@open-wc/testing';
import { JS_KERNELS as js } from '../../../src/kernels/js';
import { describeBuilds, SIZES } from './helpers';

describeBuilds('errorEquilibrium', (t) => {
  it('agrees with the JavaScript kernel bit for bit', () => {
    const { be, arena } = t;
    for (const n of [...SIZES, 600 * 784]) {
      const x = arena.vec(n);
      const eps = arena.vec(n);
      const mu = arena.vec(n);
      be.kernels.errorEquilibrium(eps, x, mu, n, 1.7);
      const re = new Float32Array(n);
      js.errorEquilibrium(re, x, mu, n, 1.7);
      expect(
        eps.subarray(0, n).every((e, j) => e === re[j]),
        `errorEquilibrium ${n}`,
      ).to.equal(true);
    }
  });
});
