import { expect } from '@open-wc/testing';
import { JS_KERNELS as js } from '../../../src/kernels/js';
import { describeBuilds, SIZES } from './helpers';

describeBuilds('adamStep', (t) => {
  it('matches the JavaScript kernel bit for bit (coupled and decoupled decay)', () => {
    const { be, arena } = t;
    const k = be.kernels;
    for (const n of [...SIZES, 600 * 784]) {
      const [w, g, m, v] = [arena.vec(n), arena.vec(n), arena.vec(n), arena.vec(n)];
      for (let j = 0; j < n; j++) v[j] = Math.abs(v[j]) * 1e-4; // v ≥ 0, as Adam keeps it
      const ref = [w, g, m, v].map((a) => a.slice(0, n));
      for (const [lambda, keep] of [
        [0.05, 1],
        [0, 0.995],
      ]) {
        k.adamStep(w, g, m, v, n, 0.0031, 0.9, 0.999, 1.7, 1e-8, lambda, keep);
        js.adamStep(ref[0], ref[1], ref[2], ref[3], n, 0.0031, 0.9, 0.999, 1.7, 1e-8, lambda, keep);
        for (const [i, name] of ['w', 'g', 'm', 'v'].entries()) {
          const a = [w, g, m, v][i];
          expect(
            ref[i].every((e, j) => e === a[j]),
            `adamStep ${name} ${n} λ ${lambda}`,
          ).to.equal(true);
        }
      }
    }
  });
});
