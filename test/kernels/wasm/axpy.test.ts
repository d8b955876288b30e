import { JS_KERNELS as js } from '../../../src/kernels/js';
import { abs, describeBuilds, expectClose, SIZES } from './helpers';

describeBuilds('axpy', (t) => {
  it('matches the JavaScript kernel', () => {
    const { be, arena } = t;
    for (const n of [...SIZES, 600 * 784]) {
      const out = arena.vec(n);
      const v = arena.vec(n);
      const ref = out.slice(0, n);
      const scale = abs(ref);
      js.axpy(ref, -0.37, v, n);
      js.axpy(scale, 0.37, abs(v), n);
      be.kernels.axpy(out, -0.37, v, n);
      expectClose(out, ref, scale, `axpy ${n}`);
    }
  });
});
