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
 * which is eq. 3.12 with step η on the batch mean, decay once per batch. A chunk's factors
 * depend only on the chunk and the weights, and every copy applies the same factors in the same
 * order with the same kernels, so every copy holds the same bits, whatever the number of
 * workers and however the factors travel.
 */

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
}

/** Makes a {@link ChunkReplica} for `spec`, its initial weights from `spec.seed`. */
export function chunkReplica(
  spec: NetworkSpec,
  chunk: number,
  backend: BackendFactory = getDefaultBackend(),
): ChunkReplica {
  const N = spec.layers;
  const size = factorSize(N, chunk);
  const net = new Network(spec, { batch: chunk, backend: (floats) => backend(floats + size + 4) });
  const factors = net.backend.alloc(size);
  const s: Float32Array[] = [];
  const eps: Float32Array[] = [];
  let at = 0;
  for (let l = 0; l + 1 < N.length; l++) {
    s.push(factors.subarray(at, (at += chunk * N[l])));
    eps.push(factors.subarray(at, (at += chunk * N[l + 1])));
  }
  return { net, factors, s, eps };
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
 * of a batch of `batch` samples; the decay comes with chunk 0.
 */
export function applyChunk(
  r: ChunkReplica,
  factors: Float32Array,
  index: number,
  batch: number,
  learningRate: number,
): void {
  const { net, s, eps } = r;
  if (factors !== r.factors) r.factors.set(factors);
  const { lambdaM, lambdaW } = net.spec;
  const N = net.sizes;
  const B = net.batch;
  const rankB = net.backend.kernels.rankBUpdate;
  const scale = learningRate / batch;
  const first = index === 0 ? learningRate : 0;
  for (let l = 0; l + 1 < net.depth; l++) {
    rankB(net.M[l], eps[l], s[l], B, N[l + 1], N[l], scale, first * lambdaM);
    rankB(net.W[l], s[l], eps[l], B, N[l], N[l + 1], scale, first * lambdaW);
  }
}
