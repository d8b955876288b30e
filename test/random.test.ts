import { expect } from '@open-wc/testing';
import { Random } from '../src/random';

describe('Random', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const sa = Array.from({ length: 8 }, () => a.nextUint32());
    const sb = Array.from({ length: 8 }, () => b.nextUint32());
    const sc = Array.from({ length: 8 }, () => c.nextUint32());
    expect(sa).to.deep.equal(sb);
    expect(sa).to.not.deep.equal(sc);
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const r = new Random(1);
    const n = 20000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal(2, 0.5);
      s += v;
      s2 += v * v;
    }
    const mean = s / n;
    const std = Math.sqrt(s2 / n - mean * mean);
    expect(mean).to.be.closeTo(2, 0.02);
    expect(std).to.be.closeTo(0.5, 0.02);
  });

  it('keeps uniforms in [0, 1)', () => {
    const r = new Random(7);
    for (let i = 0; i < 10000; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).to.equal(true);
    }
  });

  it('rejects a non-finite seed, naming it', () => {
    expect(() => new Random(NaN)).to.throw(/seed must be a finite number, got NaN/);
  });
});
