import { expect } from '@open-wc/testing';
import { nodeUpdate } from '../../../src/kernels/js/nodeUpdate';
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

describe('kernels/js: nodeUpdate', () => {
  const [k, a, nu, lambdaX] = [0.1, 1, 0.7, 0.05];

  it('matches a reference with and without feedback, with running stats', () => {
    const g = new Guard(new Random(13));
    for (const variant of ['top', 'fb', 'fb, ds null'] as const) {
      for (const n of [...SIZES, 1000]) {
        const [x, eps, mu] = [g.vec(n), g.vec(n), g.vec(n)];
        const fb = variant === 'top' ? null : g.vec(n);
        const ds = variant === 'fb' ? g.vec(n) : null;
        const [xOut, epsOut] = [g.vec(n, 99), g.vec(n, 99)];
        const stats = Float64Array.of(0, 0, 0, 0);
        nodeUpdate(xOut, epsOut, x, eps, mu, fb, ds, n, k, a, nu, lambdaX, stats);
        const ref = refNodeUpdate(n, x, eps, mu, fb, ds, k, a, nu, lambdaX);
        const label = `nodeUpdate ${variant} n=${n}`;
        const ones = ref.xOut.map(() => 1);
        expectClose(xOut, ref.xOut, ones, `${label} x`, ONE_EPS);
        expectClose(epsOut, ref.epsOut, ones, `${label} eps`, ONE_EPS);
        expectClose(stats, ref.stats, [1, 1, 1, 1], `${label} stats`, ONE_EPS);
        // A second step (ping-pong) keeps the running maxima over both.
        const before = Array.from(stats);
        const [x2, eps2] = [g.vec(n), g.vec(n)];
        nodeUpdate(x2, eps2, xOut, epsOut, mu, fb, ds, n, k, a, nu, lambdaX, stats);
        const ref2 = refNodeUpdate(n, xOut, epsOut, mu, fb, ds, k, a, nu, lambdaX);
        const both = ref2.stats.map((s, i) => Math.max(s, before[i]));
        expectClose(stats, both, [1, 1, 1, 1], `${label} running stats`, ONE_EPS);
      }
    }
    g.check();
  });

  it('gives hand-computed values', () => {
    // k = 0.1, a = 1, ν = 1, λx = 0.5.
    // j=0: x 1, ε 0.5, μ 0.25, fb·ds 2·0.5 = 1:  x' = 1 + 0.1(1 − 0.5 − 0.5) = 1,
    //      ε' = 0.5 + 0.1(1 − 0.25 − 0.5) = 0.525.
    // j=1: x −2, ε 1, μ 0, fb·ds 4·0.25 = 1:   x' = −2 + 0.1(1 − 1 + 1) = −1.9,
    //      ε' = 1 + 0.1(−2 − 0 − 1) = 0.7.
    const x = Float32Array.of(1, -2);
    const eps = Float32Array.of(0.5, 1);
    const mu = Float32Array.of(0.25, 0);
    const [xOut, epsOut] = [new Float32Array(2), new Float32Array(2)];
    const stats = Float64Array.of(5, 0, 0, 0); // stats[0] = 5 from an earlier call survives
    nodeUpdate(
      xOut,
      epsOut,
      x,
      eps,
      mu,
      Float32Array.of(2, 4),
      Float32Array.of(0.5, 0.25),
      2,
      0.1,
      1,
      1,
      0.5,
      stats,
    );
    expect(xOut[0]).to.be.closeTo(1, 1e-7);
    expect(xOut[1]).to.be.closeTo(-1.9, 1e-6);
    expect(epsOut[0]).to.be.closeTo(0.525, 1e-7);
    expect(epsOut[1]).to.be.closeTo(0.7, 1e-7);
    expect(stats[0]).to.equal(5);
    expect(stats[1]).to.be.closeTo(0.7, 1e-7);
    expect(stats[2]).to.be.closeTo(0.1, 1e-6);
    expect(stats[3]).to.be.closeTo(0.3, 1e-7);
    // Top layer (no feedback): x' = 1 + 0.1(−0.5 − 0.5) = 0.9 and −2 + 0.1(−1 + 1) = −2.
    stats.fill(0);
    nodeUpdate(xOut, epsOut, x, eps, mu, null, null, 2, 0.1, 1, 1, 0.5, stats);
    expect(xOut[0]).to.be.closeTo(0.9, 1e-7);
    expect(xOut[1]).to.equal(-2);
    expect(stats[0]).to.equal(2);
    expect(stats[2]).to.be.closeTo(0.1, 1e-7);
  });

  it('makes a stat NaN when a NaN appears, and keeps it NaN', () => {
    const rng = new Random(14);
    const n = 7;
    const run = (where: 'x' | 'eps' | 'mu' | 'fb', at: number, stats: Float64Array) => {
      const [x, eps, mu, fb, ds] = [0, 0, 0, 0, 0].map(() => rng.fillNormal(new Float32Array(n)));
      ({ x, eps, mu, fb })[where][at] = NaN;
      nodeUpdate(
        new Float32Array(n),
        new Float32Array(n),
        x,
        eps,
        mu,
        fb,
        ds,
        n,
        k,
        a,
        nu,
        lambdaX,
        stats,
      );
      return Array.from(stats, (s) => Number.isNaN(s));
    };
    // A NaN in fb reaches x only; in μ, ε only; in x or ε, both. First, middle and last element.
    for (const at of [0, 3, n - 1]) {
      expect(run('fb', at, new Float64Array(4)), `fb@${at}`).to.deep.equal([
        true,
        false,
        true,
        false,
      ]);
      expect(run('mu', at, new Float64Array(4)), `mu@${at}`).to.deep.equal([
        false,
        true,
        false,
        true,
      ]);
      expect(run('x', at, new Float64Array(4)), `x@${at}`).to.deep.equal([true, true, true, true]);
      expect(run('eps', at, new Float64Array(4)), `eps@${at}`).to.deep.equal([
        true,
        true,
        true,
        true,
      ]);
    }
    // A NaN stat from an earlier call stays NaN through a finite call; the others stay finite.
    const stats = Float64Array.of(NaN, 0, 0, NaN);
    const x = rng.fillNormal(new Float32Array(n));
    nodeUpdate(
      new Float32Array(n),
      new Float32Array(n),
      x,
      x,
      x,
      null,
      null,
      n,
      k,
      a,
      nu,
      lambdaX,
      stats,
    );
    expect(Array.from(stats, (s) => Number.isNaN(s))).to.deep.equal([true, false, false, true]);
  });

  it('leaves its outputs and stats untouched on zero-length inputs', () => {
    const [o, M, v, A] = fortyTwos();
    const stats = Float64Array.of(1, 2, 3, 4);
    nodeUpdate(o, M, v, v, v, v, v, 0, K0, 1, 1, 0, stats);
    nodeUpdate(o, M, v, v, v, null, null, 0, K0, 1, 1, 0, stats);
    expect(Array.from(stats)).to.deep.equal([1, 2, 3, 4]);
    expectUntouched(o, M, v, A);
  });

  it('does not read or write past n (sentinels after the data)', () => {
    const g = new Guard(new Random(16));
    for (const [batch, , cols] of BOUND_SHAPES) {
      const n = batch * cols;
      const [x, eps, mu, fb, ds, xOut, epsOut] = Array.from({ length: 7 }, () => g.vec(n));
      const stats = new Float64Array(4);
      nodeUpdate(xOut, epsOut, x, eps, mu, fb, ds, n, K0, 1, 1, 0.1, stats);
      nodeUpdate(xOut, epsOut, x, eps, mu, null, null, n, K0, 1, 1, 0.1, stats);
      expect(Math.max(...stats)).to.be.below(1e20);
      expectFinite(`nodeUpdate n=${n}`, n, xOut, epsOut);
    }
    g.check();
  });
});
