import { getDefaultBackend, type BackendFactory } from '../kernels/backend';
import { relaxAccelerated, type AcceleratedOptions } from './accelerated';
import { Network } from './network';
import type { NetworkSpec } from './spec';

/**
 * Data-parallel accelerated training (section 2.2's method over a batch split in chunks). The
 * batch of B samples is cut into chunks of a fixed size; each chunk is relaxed on its own (any
 * worker may take any chunk) and yields its samples' factors of the Hebbian terms, σ(x_b(i))
 * and ε_b(i+1) (2.9, 2.10): chunk × Σ N floats, about 130 KB for a chunk of 10 of
 * 784-600-600-10, where the summed terms would be 6.7 MB. Every copy of the weights then takes
 * the chunks in chunk order, j = 0, 1, ...:
 *
 *     M(i) ← (1 − η λM [j = 0]) M(i) + (η / B) Σ_{b in chunk j} ε_b(i+1) ⊗ σ(x_b(i))
 *     W(i) ← (1 − η λW [j = 0]) W(i) + (η / B) Σ_{b in chunk j} σ(x_b(i)) ⊗ ε_b(i+1)
 *
 * which is eq. 3.12 with step η on the batch mean, decay once per batch. The update runs in
 * fixed blocks of {@link ROW_BLOCK} rows of each matrix, so that workers can share the rows out
 * and still compute every row exactly as one thread does. A chunk's factors depend only on the
 * chunk and the weights, and every copy applies the same factors in the same order with the
 * same kernels, so every copy holds the same bits, whatever the number of workers and however
 * the factors travel.
 */

/** Rows of a weight matrix updated by one kernel call (a multiple of 4, the kernels' tile). */
export const ROW_BLOCK = 64;

/** Floats of one chunk's factors: σ(x(i)) and ε(i+1) for every weight layer i. */
export function factorSize(sizes: readonly number[], chunk: number): number {
  let n = 0;
  for (let l = 0; l + 1 < sizes.length; l++) n += chunk * (sizes[l] + sizes[l + 1]);
  return n;
}

/**
 * A network for relaxing chunks (its batch is the chunk size) and a buffer for one chunk's
 * factors in the network's own backend memory, so that the WebAssembly kernels apply them in
 * place (they run only on views of their memory and fall back to JavaScript on other arrays).
 */
export interface ChunkReplica {
  net: Network;
  /** One chunk's factors, laid out as σ(x(1)), ε(2), σ(x(2)), ε(3), ... (chunk × N each). */
  factors: Float32Array;
  /** `s[l]` and `eps[l]`: the views of σ(x(l+1)) and ε(l+2) in `factors`. */
  s: Float32Array[];
  eps: Float32Array[];
  /** The blocks of rows of every matrix M.0, W.0, M.1, ..., in that order (made once). */
  blocks: RowBlock[][];
  /** Room for one block's columns of U (chunk × ROW_BLOCK), in the backend's memory. */
  scratch: Float32Array;
}

/** `rows` rows of a weight matrix from row `row`, and the factors that update them. */
export interface RowBlock {
  /** The rows, a view of the matrix. */
  target: Float32Array;
  row: number;
  rows: number;
  cols: number;
  /** U (chunk × all rows of the matrix; its columns row .. row + rows are used) and V. */
  U: Float32Array;
  V: Float32Array;
  /** 0: an M matrix (decay λM), 1: a W matrix (decay λW). */
  kind: 0 | 1;
}

/** Makes a {@link ChunkReplica} for `spec`, its initial weights from `spec.seed`. */
export function chunkReplica(
  spec: NetworkSpec,
  chunk: number,
  backend: BackendFactory = getDefaultBackend(),
): ChunkReplica {
  const N = spec.layers;
  const size = factorSize(N, chunk);
  const room = size + chunk * ROW_BLOCK + 8;
  const net = new Network(spec, { batch: chunk, backend: (floats) => backend(floats + room) });
  const factors = net.backend.alloc(size);
  const scratch = net.backend.alloc(chunk * ROW_BLOCK);
  const s: Float32Array[] = [];
  const eps: Float32Array[] = [];
  const blocks: RowBlock[][] = [];
  let at = 0;
  for (let l = 0; l + 1 < N.length; l++) {
    s.push(factors.subarray(at, (at += chunk * N[l])));
    eps.push(factors.subarray(at, (at += chunk * N[l + 1])));
    // M(l) += ε(l+1) ⊗ σ(x(l)): rows N_{l+1}; W(l) += σ(x(l)) ⊗ ε(l+1): rows N_l.
    blocks.push(rowBlocks(net.M[l], N[l + 1], N[l], eps[l], s[l], 0));
    blocks.push(rowBlocks(net.W[l], N[l], N[l + 1], s[l], eps[l], 1));
  }
  return { net, factors, s, eps, blocks, scratch };
}

function rowBlocks(
  matrix: Float32Array,
  rows: number,
  cols: number,
  U: Float32Array,
  V: Float32Array,
  kind: 0 | 1,
): RowBlock[] {
  const out: RowBlock[] = [];
  for (let row = 0; row < rows; row += ROW_BLOCK) {
    const n = Math.min(ROW_BLOCK, rows - row);
    out.push({
      target: matrix.subarray(row * cols, (row + n) * cols),
      row,
      rows: n,
      cols,
      U,
      V,
      kind,
    });
  }
  return out;
}

/** The blocks `[first, end)` of a matrix of `count` blocks that are share `part` of `parts`. */
export function blockShare(count: number, part: number, parts: number): [number, number] {
  return [Math.floor((part * count) / parts), Math.floor(((part + 1) * count) / parts)];
}

/** The elements `[start, end)` of a matrix that share `part` of `parts` of its blocks covers. */
export function shareRange(
  blocks: readonly RowBlock[],
  part: number,
  parts: number,
): [number, number] {
  const [a, b] = blockShare(blocks.length, part, parts);
  if (a >= b) return [0, 0];
  const { cols } = blocks[0];
  return [blocks[a].row * cols, (blocks[b - 1].row + blocks[b - 1].rows) * cols];
}

/**
 * Relaxes one chunk (X: chunk × N_1, Y: chunk × N_n) by {@link relaxAccelerated} and writes
 * its factors into `out` (any array of {@link factorSize} floats).
 */
export function relaxChunk(
  r: ChunkReplica,
  X: ArrayLike<number>,
  Y: ArrayLike<number>,
  options: Partial<AcceleratedOptions>,
  out: Float32Array,
): void {
  const { net } = r;
  relaxAccelerated(net, X, Y, options);
  const { x, eps, s, ds, kind, kernels } = net.internals();
  const N = net.sizes;
  const B = net.batch;
  let at = 0;
  for (let l = 0; l + 1 < net.depth; l++) {
    kernels.activate(s[l], ds[l], x[l], B * N[l], kind);
    out.set(s[l], at);
    at += B * N[l];
    out.set(eps[l + 1], at);
    at += B * N[l + 1];
  }
}

/**
 * Applies one chunk's factors (see the module comment) to the replica's weights: chunk `index`
 * of a batch of `batch` samples; the decay comes with chunk 0. Only share `part` of `parts` of
 * every matrix's row blocks (default: all of them).
 */
export function applyChunk(
  r: ChunkReplica,
  factors: Float32Array,
  index: number,
  batch: number,
  learningRate: number,
  part = 0,
  parts = 1,
): void {
  const { net, scratch } = r;
  if (factors !== r.factors) r.factors.set(factors);
  const rankB = net.backend.kernels.rankBUpdate;
  const B = net.batch;
  const scale = learningRate / batch;
  const first = index === 0 ? learningRate : 0;
  const decayM = first * net.spec.lambdaM;
  const decayW = first * net.spec.lambdaW;
  for (const matrix of r.blocks) {
    const [a, b] = blockShare(matrix.length, part, parts);
    for (let k = a; k < b; k++) {
      const { target, row, rows, cols, U, V, kind } = matrix[k];
      const all = U.length / B;
      // The block's columns of U, packed (chunk × rows).
      for (let i = 0; i < B; i++) {
        for (let j = 0; j < rows; j++) scratch[i * rows + j] = U[i * all + row + j];
      }
      rankB(target, scratch, V, B, rows, cols, scale, kind === 0 ? decayM : decayW);
    }
  }
}
