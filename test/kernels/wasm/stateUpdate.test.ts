import { expect } from '@open-wc/testing';
import { JS_KERNELS as js } from '../../../src/kernels/js';
import { describeBuilds, SIZES } from './helpers';

describeBuilds('stateUpdate', (t) => {
  it('agrees with the JavaScript kernel bit for bit, its maximum included', () => {
    const { be, arena } = t;
    for (const n of [...SIZES, 600 * 3]) {
      for (const form of [0, 1, 2]) {
        const x = arena.vec(n);
        const eps = arena.vec(n);
        const fb = form > 0 ? arena.vec(n) : null;
        const ds = form > 1 ? arena.vec(n) : null;
        const label = `n ${n}, form ${form}`;
        const y = arena.vec(n);
        y.set(x.subarray(0, n));
        const ry = x.slice(0, n);
        const m = be.kernels.stateUpdate(y, fb, ds, eps, n, 0.1, 0.9, 0.05);
        const rm = js.stateUpdate(ry, fb, ds, eps, n, 0.1, 0.9, 0.05);
        expect(Array.from(y.subarray(0, n)), `stateUpdate ${label}`).to.deep.equal(Array.from(ry));
        expect(m, `stateUpdate max ${label}`).to.equal(rm);
      }
    }
  });

  it('returns NaN when a NaN appears', () => {
    const { be, arena } = t;
    for (const n of [3, 13, 33]) {
      // A NaN in the vector part (index 1) and in the scalar tail (index n − 1).
      for (const at of [1, n - 1]) {
        const x = arena.vec(n);
        const eps = arena.vec(n);
        const fb = arena.vec(n);
        const ds = arena.vec(n);
        fb[at] = NaN;
        const m = be.kernels.stateUpdate(x, fb, ds, eps, n, 0.1, 1, 0);
        expect(Number.isNaN(m), `NaN at ${at} of ${n}`).to.equal(true);
      }
    }
  });
});
