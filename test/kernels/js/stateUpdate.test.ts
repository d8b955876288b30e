import { expect } from '@open-wc/testing';
import { stateUpdate } from '../../../src/kernels/js/stateUpdate';
import { Random } from '../../../src/random';
import {
  BOUND_SHAPES,
  expectClose,
  expectFinite,
  expectUntouched,
  fortyTwos,
  Guard,
  K0,
  ONE_EPS,
  refNodeUpdate,
  SIZES,
} from '../helpers';

describe('kernels/js: stateUpdate', () => {
  const [k, a, nu, lambdaX] = [0.1, 1, 0.7, 0.05];

  it('matches a reference in place and returns max |Δx|', () => {
    const g = new Guard(new Random(15));
    for (const variant of ['top', 'fb', 'fb, ds null'] as const) {
      for (const n of [...SIZES, 1000]) {
        const [x, eps, mu] = [g.vec(n), g.vec(n), g.vec(n)];
        const fb = variant === 'top' ? null : g.vec(n);
        const ds = variant === 'fb' ? g.vec(n) : null;
        const ref = refNodeUpdate(n, x, eps, mu, fb, ds, k, a, nu, lambdaX);
        const ones = ref.xOut.map(() => 1);
        const m = stateUpdate(x, fb, ds, eps, n, k, a, lambdaX);
        expectClose(x, ref.xOut, ones, `stateUpdate ${variant} n=${n}`, ONE_EPS);
        expect(m).to.be.closeTo(ref.stats[2], ONE_EPS);
      }
    }
    g.check();
  });

  it('gives hand-computed values and propagates NaN', () => {
    // x' = x + 0.1(fb·ds − ε − 0.5x): 1 + 0.1(1 − 0.5 − 0.5) = 1; −2 + 0.1(1 − 1 + 1) = −1.9.
    const x = Float32Array.of(1, -2);
    const m = stateUpdate(
      x,
      Float32Array.of(2, 4),
      Float32Array.of(0.5, 0.25),
      Float32Array.of(0.5, 1),
      2,
      0.1,
      1,
      0.5,
    );
    expect(x[0]).to.be.closeTo(1, 1e-7);
    expect(x[1]).to.be.closeTo(-1.9, 1e-6);
    expect(m).to.be.closeTo(0.1, 1e-6);
    for (const at of [0, 1, 4]) {
      const y = Float32Array.of(1, 2, 3, 4, 5);
      y[at] = NaN;
      expect(
        Number.isNaN(stateUpdate(y, null, null, new Float32Array(5), 5, k, a, lambdaX)),
      ).to.equal(true);
    }
  });

  it('returns 0 and leaves its arrays untouched on zero-length inputs', () => {
    const [o, v, M, A] = fortyTwos();
    expect(stateUpdate(o, v, v, v, 0, K0, 1, 0)).to.equal(0);
    expectUntouched(o, v, M, A);
  });

  it('does not read or write past n (sentinels after the data)', () => {
    const g = new Guard(new Random(16));
    for (const [batch, , cols] of BOUND_SHAPES) {
      const n = batch * cols;
      const [x, eps, fb, ds] = [g.vec(n), g.vec(n), g.vec(n), g.vec(n)];
      expect(stateUpdate(x, fb, ds, eps, n, K0, 1, 0.1)).to.be.below(1e20);
      expect(stateUpdate(x, fb, null, eps, n, K0, 1, 0.1)).to.be.below(1e20);
      expectFinite(`stateUpdate n=${n}`, n, x);
    }
    g.check();
  });
});
