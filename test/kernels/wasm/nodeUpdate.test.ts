import { expect } from '@open-wc/testing';
import { JS_KERNELS as js } from '../../../src/kernels/js';
import { describeBuilds, SIZES } from './helpers';

describeBuilds('nodeUpdate', (t) => {
  it('agrees with the JavaScript kernel bit for bit, maxima included', () => {
    const { be, arena } = t;
    for (const n of [...SIZES, 600 * 3]) {
      for (const form of [0, 1, 2]) {
        const x = arena.vec(n);
        const eps = arena.vec(n);
        const mu = arena.vec(n);
        const fb = form > 0 ? arena.vec(n) : null;
        const ds = form > 1 ? arena.vec(n) : null;
        const xOut = arena.vec(n);
        const epsOut = arena.vec(n);
        const stats = Float64Array.of(0.5, 0, 0, 0);
        be.kernels.nodeUpdate(xOut, epsOut, x, eps, mu, fb, ds, n, 0.1, 0.9, 1.3, 0.05, stats);
        const rx = new Float32Array(n);
        const re = new Float32Array(n);
        const rst = Float64Array.of(0.5, 0, 0, 0);
        js.nodeUpdate(rx, re, x, eps, mu, fb, ds, n, 0.1, 0.9, 1.3, 0.05, rst);
        const label = `n ${n}, form ${form}`;
        expect(Array.from(xOut.subarray(0, n)), `nodeUpdate x ${label}`).to.deep.equal(
          Array.from(rx),
        );
        expect(Array.from(epsOut.subarray(0, n)), `nodeUpdate ε ${label}`).to.deep.equal(
          Array.from(re),
        );
        expect(Array.from(stats), `nodeUpdate maxima ${label}`).to.deep.equal(Array.from(rst));
      }
    }
  });

  it('makes its maxima NaN when a NaN appears, and a NaN maximum stays NaN', () => {
    const { be, arena } = t;
    for (const n of [3, 13, 33]) {
      // A NaN in the vector part (index 1) and in the scalar tail (index n − 1).
      for (const at of [1, n - 1]) {
        const x = arena.vec(n);
        const eps = arena.vec(n);
        const mu = arena.vec(n);
        const fb = arena.vec(n);
        const ds = arena.vec(n);
        fb[at] = NaN;
        const stats = new Float64Array(4);
        // prettier-ignore
        be.kernels.nodeUpdate(arena.vec(n), arena.vec(n), x, eps, mu, fb, ds, n, 0.1, 1, 1, 0, stats);
        expect(Number.isNaN(stats[0]), `|x'| max, NaN at ${at} of ${n}`).to.equal(true);
        expect(Number.isNaN(stats[2]), `|Δx| max, NaN at ${at} of ${n}`).to.equal(true);
        expect(Number.isFinite(stats[1]), 'ε is untouched by fb').to.equal(true);
      }
      const st = Float64Array.of(NaN, NaN, NaN, NaN);
      const x = arena.vec(n);
      const eps = arena.vec(n);
      const mu = arena.vec(n);
      // prettier-ignore
      be.kernels.nodeUpdate(arena.vec(n), arena.vec(n), x, eps, mu, null, null, n, 0.1, 1, 1, 0, st);
      expect(Array.from(st).every(Number.isNaN), 'NaN maxima stay NaN').to.equal(true);
    }
  });
});
