import { axpy } from '../../../src/kernels/js/axpy';
import { absSum, BIG_BATCH, expectNear, SIZES, withGpu } from './helpers';

describe('webgpu axpy', () => {
  it('agrees with the JavaScript kernel', () =>
    withGpu(30, async ({ k, pair, up }) => {
      for (const n of [0, ...SIZES, BIG_BATCH * 17]) {
        for (const a of [0.3, -2]) {
          const [out] = pair(n);
          const [v, gv] = pair(n);
          const gout = up(out);
          k.axpy(gout, a, gv, n);
          const scale = absSum(
            out,
            v.map((vj) => a * vj),
          );
          axpy(out, a, v, n);
          expectNear(await k.download(gout), out, `out, n ${n}, a ${a}`, scale);
        }
      }
    }));
});
