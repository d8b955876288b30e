import { errorEquilibrium } from '../../../src/kernels/js/errorEquilibrium';
import { absSum, BIG_BATCH, expectNear, SIZES, withGpu } from './helpers';

describe('webgpu errorEquilibrium', () => {
  it('agrees with the JavaScript kernel', () =>
    withGpu(40, async ({ k, pair }) => {
      for (const n of [0, ...SIZES, BIG_BATCH * 17]) {
        const nu = 1.3;
        const [x, gx] = pair(n);
        const [mu, gmu] = pair(n);
        const [, geps] = pair(n, 42);
        k.errorEquilibrium(geps, gx, gmu, n, nu);
        const eps = new Float32Array(n);
        errorEquilibrium(eps, x, mu, n, nu);
        const scale = absSum(x, mu).map((s) => s / nu);
        expectNear(await k.download(geps), eps, `ε, n ${n}`, scale);
      }
    }));
});
