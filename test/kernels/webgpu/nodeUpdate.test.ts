import { expect } from '@open-wc/testing';
import { nodeUpdate } from '../../../src/kernels/js/nodeUpdate';
import { BIG_BATCH, expectNear, SIZES, withGpu, type Ctx } from './helpers';

const K = 0.1;
const A = 0.9;
const NU = 1.3;
const LAMBDA_X = 0.05;
const FORMS = ['top (no fb)', 'fb, σ′ ≡ 1', 'fb ⊙ σ′'];

/** Random inputs of one call in `form` 0, 1, 2 (see wgsl/nodeUpdate.ts), on both sides. */
function inputs(c: Ctx, n: number, form: number) {
  const [x, gx] = c.pair(n);
  const [eps, geps] = c.pair(n);
  const [mu, gmu] = c.pair(n);
  const [fb, gfb] = form > 0 ? c.pair(n) : [null, null];
  const [ds, gds] = form > 1 ? c.pair(n) : [null, null];
  return { x, gx, eps, geps, mu, gmu, fb, gfb, ds, gds };
}

describe('webgpu nodeUpdate', () => {
  it('agrees with the JavaScript kernel in each null form, maxima included', () =>
    withGpu(50, async (c) => {
      const { k, pair, up } = c;
      for (const n of [...SIZES, 257, BIG_BATCH * 17]) {
        for (const form of [0, 1, 2]) {
          const { x, gx, eps, geps, mu, gmu, fb, gfb, ds, gds } = inputs(c, n, form);
          const [, xOut] = pair(n, 42);
          const [, epsOut] = pair(n, 42);
          // A running maximum: a larger one already there stays.
          const start = Float32Array.of(0, 0, 0, 0, 0.5, 0, 0, 0.01);
          const stats = up(start);
          // prettier-ignore
          k.nodeUpdate(xOut, epsOut, gx, geps, gmu, gfb, gds, n, K, A, NU, LAMBDA_X, stats, 4);
          const rx = new Float32Array(n);
          const re = new Float32Array(n);
          const rst = Float64Array.from(start.subarray(4));
          nodeUpdate(rx, re, x, eps, mu, fb, ds, n, K, A, NU, LAMBDA_X, rst);
          // Backward-error scales: |x| + k·Σ|terms|, |ε| + k·Σ|terms|.
          const sx = x.map((xj, j) => {
            const drive = fb ? Math.abs(fb[j] * (ds ? ds[j] : 1)) : 0;
            return Math.abs(xj) + K * (drive + Math.abs(A * eps[j]) + Math.abs(LAMBDA_X * xj));
          });
          const se = eps.map(
            (ej, j) => Math.abs(ej) + K * (Math.abs(x[j]) + Math.abs(mu[j]) + Math.abs(NU * ej)),
          );
          const label = `n ${n}, ${FORMS[form]}`;
          expectNear(await k.download(xOut), rx, `x ${label}`, sx);
          expectNear(await k.download(epsOut), re, `ε ${label}`, se);
          const got = await k.readStats(stats);
          expect(Array.from(got.subarray(0, 4)), 'the other slot').to.deep.equal([0, 0, 0, 0]);
          const big = Math.max(...sx, ...se);
          expectNear(got.subarray(4), rst, `maxima ${label}`, [big, big, big, big]);
        }
      }
    }));

  it('makes a maximum NaN when a NaN appears anywhere, and a NaN maximum stays NaN', () =>
    withGpu(51, async (c) => {
      const { k, pair, up } = c;
      for (const n of [3, 33, BIG_BATCH * 5]) {
        // In the first workgroup, in the last element, in a later workgroup.
        for (const at of [1, n - 1, Math.min(n - 2, 700)]) {
          const { gx, geps, gmu, gfb, gds } = inputs(c, n, 2);
          const [fb] = pair(n);
          fb[at] = NaN;
          const [mu] = pair(n);
          mu[at] = NaN;
          const [, xOut] = pair(n);
          const [, epsOut] = pair(n);
          const stats = k.stats(8);
          // prettier-ignore
          k.nodeUpdate(xOut, epsOut, gx, geps, gmu, up(fb), gds, n, K, 1, 1, 0, stats, 0);
          // prettier-ignore
          k.nodeUpdate(xOut, epsOut, gx, geps, up(mu), gfb, gds, n, K, 1, 1, 0, stats, 4);
          const got = Array.from(await k.readStats(stats));
          stats.buffer.destroy();
          const where = `NaN at ${at} of ${n}`;
          expect(got.map(Number.isNaN), `fb, then μ: ${where}`).to.deep.equal([
            ...[true, false, true, false],
            ...[false, true, false, true],
          ]);
        }
        const { gx, geps, gmu } = inputs(c, n, 0);
        const stats = up(new Float32Array(4).fill(NaN));
        const [, out] = pair(n);
        const [, eout] = pair(n);
        k.nodeUpdate(out, eout, gx, geps, gmu, null, null, n, K, 1, 1, 0, stats);
        const got = await k.readStats(stats);
        expect(Array.from(got).every(Number.isNaN), `NaN maxima stay NaN, n ${n}`).to.equal(true);
      }
    }));

  it('ignores ds without fb, and clears its maxima with resetStats', () =>
    withGpu(52, async (c) => {
      const { k, pair } = c;
      const n = 17;
      const { x, gx, eps, geps, mu, gmu, gds } = inputs(c, n, 2);
      const [, xOut] = pair(n);
      const [, epsOut] = pair(n);
      const stats = k.stats(4);
      k.nodeUpdate(xOut, epsOut, gx, geps, gmu, null, null, n, 10, 1, 1, 0, stats);
      k.resetStats(stats);
      k.nodeUpdate(xOut, epsOut, gx, geps, gmu, null, gds, n, K, A, NU, 0, stats);
      const rx = new Float32Array(n);
      const re = new Float32Array(n);
      const rst = new Float64Array(4);
      nodeUpdate(rx, re, x, eps, mu, null, null, n, K, A, NU, 0, rst);
      expectNear(await k.download(xOut), rx, 'x');
      expectNear(await k.readStats(stats), rst, 'maxima after a reset', [10, 10, 10, 10]);
      stats.buffer.destroy();
    }));
});
