import { getDefaultBackend, type BackendFactory } from '../kernels/backend';
import { relaxAccelerated, type AcceleratedOptions } from './accelerated';
import { Network } from './network';
import type { NetworkSpec } from './spec';

/**
 * Data-parallel accelerated training (section 2.2's method over a batch split in chunks). The
 * batch of B samples is cut into chunks of a fixed size; each chunk is relaxed on its own (any
 * worker may take any chunk) and yields the Hebbian sums
 *
 *     ΔM(i) = Σ_b ε_b(i+1) ⊗ σ(x_b(i)),   ΔW(i) = Σ_b σ(x_b(i)) ⊗ ε_b(i+1)     (2.9, 2.10)
 *
 * over its samples. The chunks' sums are added in chunk order and applied once:
 * M ← (1 − η λM) M + (η / B) ΣΔM (eq. 3.12 with step η). Because a chunk's sums depend only on
 * the chunk and the weights, and the reduction order is fixed, the result does not depend on
 * how many workers share the chunks.
 */

/** Sizes of the summed Hebbian terms: [ΔM.0, ΔW.0, ΔM.1, ΔW.1, ...] like the weights. */
export function hebbianShapes(sizes: readonly number[]): number[] {
  const out: number[] = [];
  for (let l = 0; l + 1 < sizes.length; l++)
    out.push(sizes[l + 1] * sizes[l], sizes[l] * sizes[l + 1]);
  return out;
}

/**
 * A network for relaxing chunks (batch = `chunk`) and its Hebbian buffers, allocated in the
 * network's own backend memory so that the WebAssembly kernels compute the sums in place (they
 * run only on their memory's views; on any other array they fall back to JavaScript).
 */
export function chunkNetwork(
  spec: NetworkSpec,
  chunk: number,
  backend: BackendFactory = getDefaultBackend(),
): { net: Network; sums: Float32Array[] } {
  const shapes = hebbianShapes(spec.layers);
  // Room for the sums beside the network's own arrays, with each one's alignment.
  const room = shapes.reduce((a, n) => a + n + 4, 0);
  const net = new Network(spec, { batch: chunk, backend: (floats) => backend(floats + room) });
  return { net, sums: shapes.map((n) => net.backend.alloc(n)) };
}

/**
 * Relaxes one chunk (the network's batch is the chunk size) and writes its Hebbian sums into
 * `out` (zeroed here first), in the order of {@link hebbianShapes}.
 */
export function chunkHebbian(
  net: Network,
  X: ArrayLike<number>,
  Y: ArrayLike<number>,
  options: Partial<AcceleratedOptions>,
  out: Float32Array[],
): void {
  relaxAccelerated(net, X, Y, options);
  const { x, eps, s, ds, kind, kernels } = net.internals();
  const N = net.sizes;
  const B = net.batch;
  for (let l = 0; l + 1 < net.depth; l++) {
    kernels.activate(s[l], ds[l], x[l], B * N[l], kind);
    out[2 * l].fill(0);
    out[2 * l + 1].fill(0);
    kernels.rankBUpdate(out[2 * l], eps[l + 1], s[l], B, N[l + 1], N[l], 1, 0);
    kernels.rankBUpdate(out[2 * l + 1], s[l], eps[l + 1], B, N[l], N[l + 1], 1, 0);
  }
}

/** Adds `part` into `sum`, tensor by tensor. */
export function addInto(sum: Float32Array[], part: readonly Float32Array[]): void {
  for (let t = 0; t < sum.length; t++) {
    const a = sum[t];
    const b = part[t];
    for (let j = 0; j < a.length; j++) a[j] += b[j];
  }
}

/** M ← (1 − η λM) M + (η / B) ΣΔM, and likewise W with λW. */
export function applyHebbian(
  net: Network,
  sum: readonly Float32Array[],
  batch: number,
  learningRate: number,
): void {
  const { lambdaM, lambdaW } = net.spec;
  for (let l = 0; l + 1 < net.depth; l++) {
    scaleAdd(net.M[l], 1 - learningRate * lambdaM, sum[2 * l], learningRate / batch);
    scaleAdd(net.W[l], 1 - learningRate * lambdaW, sum[2 * l + 1], learningRate / batch);
  }
}

function scaleAdd(w: Float32Array, keep: number, d: Float32Array, scale: number): void {
  for (let j = 0; j < w.length; j++) w[j] = keep * w[j] + scale * d[j];
}
