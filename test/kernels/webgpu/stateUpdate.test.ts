import { expect } from '@open-wc/testing';
import { stateUpdate } from '../../../src/kernels/js/stateUpdate';
import { BIG_BATCH, expectNear, SIZES, withGpu } from './helpers';

const K = 0.1;
const A = 0.9;
const LAMBDA_X = 0.05;

describe('webgpu stateUpdate', () => {
  it('agrees with the JavaScript kernel in each null form, max |Δx| included', () =>
    withGpu(60, async ({ k, pair, up }) => {
      for (const n of [...SIZES, 257, BIG_BATCH * 17]) {
        for (const form of [0, 1, 2]) {
          const [x] = pair(n);
          const gx = up(x);
          const [eps, geps] = pair(n);
          const [fb, gfb] = form > 0 ? pair(n) : [null, null];
          const [ds, gds] = form > 1 ? pair(n) : [null, null];
          const stats = up(Float32Array.of(7, 0, 0));
          k.stateUpdate(gx, gfb, gds, geps, n, K, A, LAMBDA_X, stats, 2);
          const scale = x.map((xj, j) => {
            const drive = fb ? Math.abs(fb[j] * (ds ? ds[j] : 1)) : 0;
            return Math.abs(xj) + K * (drive + Math.abs(A * eps[j]) + Math.abs(LAMBDA_X * xj));
          });
          const m = stateUpdate(x, fb, ds, eps, n, K, A, LAMBDA_X);
          const label = `n ${n}, form ${form}`;
          expectNear(await k.download(gx), x, `x ${label}`, scale);
          const got = await k.readStats(stats);
          expect(got[0], 'the other slot').to.equal(7);
          expectNear([got[2]], [m], `max |Δx| ${label}`, [Math.max(...scale)]);
        }
      }
    }));

  it('makes max |Δx| NaN when a NaN appears anywhere, and keeps it NaN', () =>
    withGpu(61, async ({ k, pair, up }) => {
      for (const n of [3, 33, BIG_BATCH * 5]) {
        for (const at of [1, n - 1, Math.min(n - 2, 700)]) {
          const [, gx] = pair(n);
          const [eps] = pair(n);
          eps[at] = NaN;
          const [, gfb] = pair(n);
          const stats = k.stats(1);
          k.stateUpdate(gx, gfb, null, up(eps), n, K, 1, 0, stats);
          const [m] = await k.readStats(stats);
          expect(Number.isNaN(m), `NaN at ${at} of ${n}`).to.equal(true);
          const [, gx2] = pair(n);
          const [, geps2] = pair(n);
          k.stateUpdate(gx2, null, null, geps2, n, K, 1, 0, stats);
          const [again] = await k.readStats(stats);
          expect(Number.isNaN(again), 'a NaN maximum stays NaN').to.equal(true);
          stats.buffer.destroy();
        }
      }
    }));
});
