import { expect } from '@open-wc/testing';
import { ACTIVATION } from '../../../src/kernels/kernels';
import { activate } from '../../../src/kernels/js/activate';
import { BIG_BATCH, expectNear, SIZES, withGpu } from './helpers';

/** Where the f32 forms could lose accuracy or overflow: 0, the series' edge, the tails. */
// prettier-ignore
const SPECIAL = [0, -0, 1e-30, 1e-4, -1e-4, 0.3, 0.5499, 0.55, -0.55, 1, 5, -5, 10, -10, 20,
  -20, 50, -50, 100, -100, Infinity, -Infinity];

describe('webgpu activate', () => {
  for (const [name, kind] of Object.entries(ACTIVATION)) {
    it(`agrees with the JavaScript kernel: ${name}`, () =>
      withGpu(20 + kind, async ({ k, pair, up }) => {
        for (const n of [...SIZES, SPECIAL.length, BIG_BATCH * 5]) {
          const [x] = pair(n);
          for (let j = 0; j < n; j++) x[j] *= 3;
          if (n === SPECIAL.length) x.set(SPECIAL);
          const gx = up(x);
          const [, gs] = pair(n, 42);
          const [, gds] = pair(n, 42);
          k.activate(gs, gds, gx, n, kind);
          const s = new Float32Array(n);
          const ds = new Float32Array(n);
          activate(s, ds, x, n, kind);
          expectNear(await k.download(gs), s, `${name} s, n ${n}`);
          expectNear(await k.download(gds), ds, `${name} ds, n ${n}`);
        }
      }));
  }

  it('propagates NaN as the JavaScript kernel does (relu: σ NaN, σ\u2032 0)', () =>
    withGpu(25, async ({ k, pair, up }) => {
      const x = Float32Array.of(1, NaN, -2);
      for (const kind of Object.values(ACTIVATION)) {
        const [, gs] = pair(3, 42);
        const [, gds] = pair(3, 42);
        k.activate(gs, gds, up(x), 3, kind);
        const s = new Float32Array(3);
        const ds = new Float32Array(3);
        activate(s, ds, x, 3, kind);
        expectNear(await k.download(gs), s, `s, kind ${kind}`);
        expectNear(await k.download(gds), ds, `ds, kind ${kind}`);
        expect(Number.isNaN((await k.download(gs))[1]), `σ(NaN), kind ${kind}`).to.equal(true);
      }
    }));

  it('refuses an unknown kind', () =>
    withGpu(26, async ({ k, pair }) => {
      const [, g] = pair(3);
      expect(() => k.activate(g, g, g, 3, 4)).to.throw(RangeError, 'unknown activation kind 4');
    }));
});
