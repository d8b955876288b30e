import { expect } from '@open-wc/testing';
import { withGpu } from './helpers';

describe('webgpu GpuKernels', () => {
  it('keeps each call its own parameters past the uniform ring (300 calls, one submit)', () =>
    withGpu(70, async ({ k, pair }) => {
      const [, out] = pair(5, 0);
      const [, v] = pair(5, 1);
      for (let i = 1; i <= 300; i++) k.axpy(out, i, v, 5);
      expect(Array.from(await k.download(out))).to.deep.equal(Array(5).fill((300 * 301) / 2));
    }));

  it('orders a write after the calls encoded before it', () =>
    withGpu(71, async ({ k, pair }) => {
      const [, out] = pair(3, 1);
      const [, v] = pair(3, 1);
      k.axpy(out, 1, v, 3);
      k.write(v, Float32Array.of(10, 20, 30));
      k.axpy(out, 1, v, 3);
      expect(Array.from(await k.download(out))).to.deep.equal([12, 22, 32]);
    }));

  it('reads back an empty array, and decodes stats bits (∞, NaN)', () =>
    withGpu(72, async ({ k, pair, up }) => {
      const [, empty] = pair(0);
      expect(Array.from(await k.download(empty))).to.deep.equal([]);
      const got = await k.readStats(up(Float32Array.of(0, 1.5, Infinity, NaN)));
      expect(Array.from(got)).to.deep.equal([0, 1.5, Infinity, NaN]);
    }));

  it('refuses arrays shorter than the call needs', () =>
    withGpu(73, async ({ k, pair }) => {
      const [, a] = pair(3);
      expect(() => k.axpy(a, 1, a, 4)).to.throw(RangeError, 'axpy out: needs 4 values, has 3');
      expect(() => k.batchMatMul(a, a, a, 2, 2, 2)).to.throw(RangeError, 'batchMatMul out');
    }));
});
