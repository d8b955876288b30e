import { JS_KERNELS as js } from '../../../src/kernels/js';
import { abs, allShapes, BATCHES, describeBuilds, expectClose } from './helpers';

describeBuilds('rankBUpdate', (t) => {
  it('matches the JavaScript kernel, with and without decay, batch 1 (u·vᵀ) included', () => {
    const { be, arena } = t;
    const k = be.kernels;
    for (const [rows, cols] of allShapes()) {
      for (const batch of [...BATCHES, ...(rows * cols < 1000 ? [0, 4, 9] : [])]) {
        for (const decay of [0, 0.01]) {
          const U = arena.vec(batch * rows);
          const V = arena.vec(batch * cols);
          const M = arena.vec(rows * cols);
          const M0 = M.slice(0, rows * cols);
          const ref = M0.slice();
          js.rankBUpdate(ref, U, V, batch, rows, cols, -0.3, decay);
          const scale = abs(M0);
          js.rankBUpdate(scale, abs(U), abs(V), batch, rows, cols, 0.3, decay);
          k.rankBUpdate(M, U, V, batch, rows, cols, -0.3, decay);
          const label = `rankBUpdate ${batch}×${rows}×${cols} decay ${decay}`;
          expectClose(M, ref, scale, label);
        }
      }
    }
  });
});
