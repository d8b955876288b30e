import { expect } from '@open-wc/testing';
import { rankBUpdate } from '../../../src/kernels/js/rankBUpdate';
import { refRankB } from '../helpers';
import { BATCHES, BIG_BATCH, expectNear, SIZES, withGpu } from './helpers';

describe('webgpu rankBUpdate', () => {
  it('agrees with the JavaScript kernel on awkward shapes, with and without decay', () =>
    withGpu(11, async ({ k, pair, up }) => {
      const shapes = [0, ...BATCHES].flatMap((b) =>
        SIZES.flatMap((r) => SIZES.map((c) => [b, r, c])),
      );
      let i = 0;
      for (const [batch, rows, cols] of [...shapes, [BIG_BATCH, 5, 17], [BIG_BATCH, 17, 3]]) {
        const decay = i++ % 2 === 0 ? 0 : 0.01;
        const [U, gU] = pair(batch * rows);
        const [V, gV] = pair(batch * cols);
        const [M] = pair(rows * cols);
        const gM = up(M);
        const scale = 0.07 / Math.max(1, batch);
        k.rankBUpdate(gM, gU, gV, batch, rows, cols, scale, decay);
        const { abs } = refRankB(M, U, V, batch, rows, cols, scale, decay);
        rankBUpdate(M, U, V, batch, rows, cols, scale, decay);
        const label = `M ${batch}×${rows}×${cols}, decay ${decay}`;
        expectNear(await k.download(gM), M, label, abs);
      }
    }));

  it('writes only its rows × cols, and nothing for an empty shape', () =>
    withGpu(12, async ({ k, pair }) => {
      for (const [batch, rows, cols] of [
        [3, 5, 17],
        [2, 0, 3],
        [2, 3, 0],
      ]) {
        const [, gU] = pair(batch * rows);
        const [, gV] = pair(batch * cols);
        const [, gM] = pair(rows * cols + 9, 42);
        k.rankBUpdate(gM, gU, gV, batch, rows, cols, 0.5, 0.1);
        const got = Array.from(await k.download(gM)).slice(rows * cols);
        expect(got, `past the end of ${rows}×${cols}`).to.deep.equal(Array(9).fill(42));
      }
    }));
});
