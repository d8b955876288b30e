import { expect } from '@open-wc/testing';
import { batchMatMul } from '../../../src/kernels/js/batchMatMul';
import { BATCHES, BIG_BATCH, expectNear, productScale, SIZES, withGpu } from './helpers';

describe('webgpu batchMatMul', () => {
  it('agrees with the JavaScript kernel on awkward shapes', () =>
    withGpu(1, async ({ k, pair }) => {
      const shapes = BATCHES.flatMap((b) => SIZES.flatMap((r) => SIZES.map((c) => [b, r, c])));
      for (const [batch, rows, cols] of [...shapes, [BIG_BATCH, 5, 17], [BIG_BATCH, 33, 3]]) {
        const [A, gA] = pair(batch * cols);
        const [M, gM] = pair(rows * cols);
        const [, out] = pair(batch * rows, 7);
        k.batchMatMul(out, gA, gM, batch, rows, cols);
        const ref = new Float32Array(batch * rows);
        batchMatMul(ref, A, M, batch, rows, cols);
        const scale = productScale(A, M, batch, rows, cols);
        expectNear(await k.download(out), ref, `out ${batch}×${rows}×${cols}`, scale);
      }
    }));

  it('writes only its batch × rows outputs, and nothing for an empty shape', () =>
    withGpu(2, async ({ k, pair }) => {
      for (const [batch, rows, cols] of [
        [5, 17, 3],
        [3, 5, 33],
        [0, 5, 3],
        [2, 0, 3],
      ]) {
        const [, gA] = pair(batch * cols);
        const [, gM] = pair(rows * cols);
        const [, out] = pair(batch * rows + 9, 42);
        k.batchMatMul(out, gA, gM, batch, rows, cols);
        const got = Array.from(await k.download(out)).slice(batch * rows);
        expect(got, `past the end of ${batch}×${rows}×${cols}`).to.deep.equal(Array(9).fill(42));
      }
    }));

  it('gives zeros for zero columns', () =>
    withGpu(3, async ({ k, pair }) => {
      const [, gA] = pair(0);
      const [, gM] = pair(0);
      const [, out] = pair(6, 42);
      k.batchMatMul(out, gA, gM, 2, 3, 0);
      expect(Array.from(await k.download(out))).to.deep.equal([0, 0, 0, 0, 0, 0]);
    }));
});
