/** batchMatMul GFLOP/s at the MNIST shapes: out (B × rows) = A (B × cols) · Mᵀ. */
import type { BenchCase } from '../case';
import { GEMM_BATCHES, GEMM_SHAPES, gemmRow, type Row } from '../suite';

export const gemm: BenchCase = {
  name: 'gemm',
  measures: 'batchMatMul GFLOP/s, 600x784, 600x600 and 10x600 at B = 1, 32, 128, per backend',
  part: 'node',
  async run({ backends, log, print }) {
    log('batchMatMul, GFLOP/s');
    const rows: Row[] = [];
    for (const [r, c] of [...GEMM_SHAPES, [10, 600] as const]) {
      for (const batch of GEMM_BATCHES) rows.push(print(await gemmRow(backends, r, c, batch)));
    }
    log();
    return { batchMatMul: rows };
  },
};
