import { expect } from '@open-wc/testing';
import { JS_KERNELS as js } from '../../../src/kernels/js';
import { abs, allShapes, BATCHES, BIG, describeBuilds, expectClose } from './helpers';

describeBuilds('batchMatMul', (t) => {
  it('matches the JavaScript kernel, batch 1 (M·v) included', () => {
    const { be, arena } = t;
    const k = be.kernels;
    for (const [rows, cols] of allShapes()) {
      for (const batch of [...BATCHES, ...(rows * cols < 1000 ? [0, 4, 9] : [])]) {
        const A = arena.vec(batch * cols);
        const M = arena.vec(rows * cols);
        const out = arena.vec(batch * rows);
        k.batchMatMul(out, A, M, batch, rows, cols);
        const ref = new Float32Array(batch * rows);
        js.batchMatMul(ref, A, M, batch, rows, cols);
        const scale = new Float32Array(batch * rows);
        js.batchMatMul(scale, abs(A), abs(M), batch, rows, cols);
        expectClose(out, ref, scale, `batchMatMul ${batch}×${rows}×${cols}`);
        if (rows === BIG[0]) {
          // Float32 sums, not the JavaScript kernel's doubles: the WebAssembly code ran.
          const same = out.subarray(0, batch * rows).every((v, i) => v === ref[i]);
          expect(same, 'the wasm kernel ran, not the fallback').to.equal(false);
        }
      }
    }
  });
});
