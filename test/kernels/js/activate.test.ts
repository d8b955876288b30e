import { expect } from '@open-wc/testing';
import { activate } from '../../../src/kernels/js/activate';
import { ACTIVATION } from '../../../src/kernels/kernels';
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

describe('kernels/js: activate', () => {
  const sigma: Record<string, (x: number) => [number, number]> = {
    identity: (x) => [x, 1],
    tanh: (x) => [Math.tanh(x), 1 - Math.tanh(x) ** 2],
    logistic: (x) => {
      const s = 1 / (1 + Math.exp(-x));
      return [s, s * (1 - s)];
    },
    relu: (x) => [Math.max(0, x), x > 0 ? 1 : 0],
  };

  it('matches Math-based references for every kind and size', () => {
    const g = new Guard(new Random(9));
    for (const [name, kind] of Object.entries(ACTIVATION)) {
      for (const n of [...SIZES, 1000]) {
        const x = g.vec(n);
        const s = g.vec(n, 99);
        const ds = g.vec(n, 99);
        activate(s, ds, x, n, kind);
        const ref = head(x, n).map((v) => sigma[name](v));
        const ones = ref.map(() => 1);
        expectClose(
          s,
          ref.map((r) => r[0]),
          ones,
          `${name} σ n=${n}`,
          1e-6,
        );
        expectClose(
          ds,
          ref.map((r) => r[1]),
          ones,
          `${name} σ' n=${n}`,
          1e-6,
        );
      }
    }
    g.check();
  });

  it('gives the known values at known points', () => {
    const x = Float32Array.of(0, 0.5, -1, 2, 100, -100);
    const s = new Float32Array(6);
    const ds = new Float32Array(6);
    activate(s, ds, x, 6, ACTIVATION.identity);
    expect(Array.from(s)).to.deep.equal(Array.from(x));
    expect(Array.from(ds)).to.deep.equal([1, 1, 1, 1, 1, 1]);
    activate(s, ds, x, 6, ACTIVATION.tanh);
    expect(s[0]).to.equal(0);
    expect(ds[0]).to.equal(1);
    expect(s[1]).to.be.closeTo(0.46211715726000974, 1e-7);
    expect(ds[1]).to.be.closeTo(1 - 0.46211715726000974 ** 2, 1e-7);
    expect(s[4]).to.equal(1);
    expect(ds[4]).to.equal(0);
    activate(s, ds, x, 6, ACTIVATION.logistic);
    expect(s[0]).to.equal(0.5);
    expect(ds[0]).to.equal(0.25);
    expect(s[2]).to.be.closeTo(0.2689414213699951, 1e-7);
    expect(s[4]).to.equal(1);
    expect(s[5]).to.be.within(0, 1e-40); // e^−100 ≈ 3.7e−44, a float32 subnormal
    expect(ds[5]).to.be.within(0, 1e-40);
    activate(s, ds, x, 6, ACTIVATION.relu);
    expect(Array.from(s)).to.deep.equal([0, 0.5, 0, 2, 100, 0]);
    expect(Array.from(ds)).to.deep.equal([0, 1, 0, 1, 1, 0]);
  });

  it('propagates NaN through every kind', () => {
    const s = new Float32Array(1);
    const ds = new Float32Array(1);
    for (const kind of Object.values(ACTIVATION)) {
      activate(s, ds, Float32Array.of(NaN), 1, kind);
      expect(Number.isNaN(s[0]), `kind ${kind}`).to.equal(true);
    }
  });

  it('rejects an unknown kind, naming it', () => {
    const a = new Float32Array(1);
    expect(() => activate(a, a, a, 1, 7)).to.throw(RangeError, /unknown activation kind 7/);
  });

  it('leaves its outputs untouched on zero-length inputs', () => {
    const [o, M, v, A] = fortyTwos();
    for (const kind of Object.values(ACTIVATION)) activate(o, M, v, 0, kind);
    expectUntouched(o, M, v, A);
  });

  it('does not read or write past n (sentinels after the data)', () => {
    const g = new Guard(new Random(16));
    for (const [batch, , cols] of BOUND_SHAPES) {
      const n = batch * cols;
      const [x, s, ds] = [g.vec(n), g.vec(n), g.vec(n)];
      for (const kind of Object.values(ACTIVATION)) {
        activate(s, ds, x, n, kind);
        expectFinite(`activate kind ${kind} n=${n}`, n, s, ds);
      }
    }
    g.check();
  });
});
