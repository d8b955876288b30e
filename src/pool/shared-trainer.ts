import type { AcceleratedOptions } from '../model/accelerated';
import {
  applyChunk,
  type ChunkReplica,
  factorSize,
  relaxChunk,
  shareRange,
} from '../model/data-parallel';
import type { Network } from '../model/network';

/**
 * Data-parallel training over shared memory (the fast path of `DataParallelTrainer`; the
 * arithmetic is in `model/data-parallel.ts`). The batch's X and Y, one slot of factors per
 * chunk, a copy of the weights for the caller and an Int32 control block live in
 * SharedArrayBuffers that every worker maps. One batch, on every worker at once:
 *
 *  1. relax this worker's chunks on its replica (weights and kernels in its own WebAssembly
 *     memory) and write each chunk's factors to the chunk's slot;
 *  2. barrier; apply every chunk's factors, in chunk order, to this worker's share of the row
 *     blocks of every matrix of its replica, and copy those rows to the shared weights;
 *  3. barrier; copy the other workers' rows from the shared weights into the replica.
 *
 * The caller thread only writes the batch into shared memory and sends one small message per
 * worker. The barrier waits with a timeout and watches an abort flag that the caller raises
 * when a worker fails, so that nothing waits forever.
 */

/** The shared buffers and what they hold; structured-cloneable (the buffers are shared). */
export interface SharedTrainerMemory {
  sizes: number[];
  chunk: number;
  /** The largest batch the data buffer holds. */
  capacity: number;
  /** Workers taking part in every barrier. */
  workers: number;
  /** Int32 control block: barrier generation, arrivals, abort flag. */
  control: SharedArrayBuffer;
  /** The weights after the last batch, flat: M.0, W.0, M.1, W.1, ... */
  weights: SharedArrayBuffer;
  /** The batch's X (capacity × N_1), Y (capacity × N_n), then one slot of factors per chunk. */
  data: SharedArrayBuffer;
  /** A worker waiting longer than this at a barrier gives up (a stuck or dead partner). */
  barrierTimeoutMs: number;
}

/** Typed views of a {@link SharedTrainerMemory}. */
export interface SharedViews {
  control: Int32Array;
  /** The shared weights M.0, W.0, M.1, W.1, ...; `M[l]` and `W[l]` are the same views. */
  tensors: Float32Array[];
  M: Float32Array[];
  W: Float32Array[];
  X: Float32Array;
  Y: Float32Array;
  /** One per chunk of the largest batch: that chunk's factors (see `relaxChunk`). */
  slots: Float32Array[];
}

const GEN = 0;
const COUNT = 1;
const ABORT = 2;
/** 16 ints: the control block fills one cache line. */
const CONTROL_INTS = 16;
/** Floats per cache line: slots start on one, so workers writing two never share a line. */
const LINE = 16;

const up = (n: number, to: number): number => Math.ceil(n / to) * to;

/** Offsets of the weight tensors M.0, W.0, M.1, ... in the flat layout, and the total. */
function tensorOffsets(sizes: readonly number[]): number[] {
  const offsets = [0];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const n = sizes[l] * sizes[l + 1];
    offsets.push(offsets[offsets.length - 1] + n, offsets[offsets.length - 1] + 2 * n);
  }
  return offsets;
}

/** Makes the shared buffers for a network of `sizes`, batches up to `capacity`. */
export function allocateShared(
  sizes: readonly number[],
  chunk: number,
  capacity: number,
  workers: number,
  barrierTimeoutMs: number,
): SharedTrainerMemory {
  const total = tensorOffsets(sizes).at(-1) ?? 0;
  return {
    sizes: sizes.slice(),
    chunk,
    capacity,
    workers,
    control: new SharedArrayBuffer(4 * CONTROL_INTS),
    weights: new SharedArrayBuffer(4 * total),
    data: new SharedArrayBuffer(4 * dataFloats(sizes, chunk, capacity)),
    barrierTimeoutMs,
  };
}

/** `memory` with a data buffer for batches up to `capacity` (the weights stay). */
export function growShared(memory: SharedTrainerMemory, capacity: number): SharedTrainerMemory {
  const { sizes, chunk } = memory;
  const data = new SharedArrayBuffer(4 * dataFloats(sizes, chunk, capacity));
  return { ...memory, capacity, data };
}

function dataFloats(sizes: readonly number[], chunk: number, capacity: number): number {
  const inputs = up(capacity * sizes[0], LINE) + up(capacity * sizes[sizes.length - 1], LINE);
  return inputs + (capacity / chunk) * up(factorSize(sizes, chunk), LINE);
}

/** The typed views of `memory` (made once per thread, not per batch). */
export function sharedViews(memory: SharedTrainerMemory): SharedViews {
  const { sizes, chunk, capacity } = memory;
  const offsets = tensorOffsets(sizes);
  const weights = new Float32Array(memory.weights);
  const tensors = offsets.slice(0, -1).map((o, t) => weights.subarray(o, offsets[t + 1]));
  const size = factorSize(sizes, chunk);
  const n1 = capacity * sizes[0];
  const nn = capacity * sizes[sizes.length - 1];
  const X = new Float32Array(memory.data, 0, n1);
  let at = up(n1, LINE);
  const Y = new Float32Array(memory.data, 4 * at, nn);
  at += up(nn, LINE);
  const slots: Float32Array[] = [];
  for (let j = 0; j < capacity / chunk; j++, at += up(size, LINE)) {
    slots.push(new Float32Array(memory.data, 4 * at, size));
  }
  return {
    control: new Int32Array(memory.control),
    tensors,
    M: tensors.filter((_, t) => t % 2 === 0),
    W: tensors.filter((_, t) => t % 2 === 1),
    X,
    Y,
    slots,
  };
}

/** Raises the abort flag and wakes every worker waiting at a barrier. */
export function abortShared(control: Int32Array): void {
  Atomics.store(control, ABORT, 1);
  Atomics.notify(control, GEN);
}

/**
 * Waits until all `parties` workers have arrived (a generation-counting barrier). Throws if
 * the abort flag is raised, or after `timeoutMs` (raising the flag, so that the others stop
 * too).
 */
export function barrier(control: Int32Array, parties: number, timeoutMs: number): void {
  checkAbort(control);
  const gen = Atomics.load(control, GEN);
  if (Atomics.add(control, COUNT, 1) === parties - 1) {
    // The last to arrive resets the count before opening the barrier: a worker let through
    // may arrive at the next barrier at once.
    Atomics.store(control, COUNT, 0);
    Atomics.add(control, GEN, 1);
    Atomics.notify(control, GEN);
    return;
  }
  const deadline = performance.now() + timeoutMs;
  while (Atomics.load(control, GEN) === gen) {
    checkAbort(control);
    const left = deadline - performance.now();
    if (left <= 0) {
      abortShared(control);
      throw new Error(
        `data-parallel training: waited ${timeoutMs} ms for the other workers (barrierTimeoutMs)`,
      );
    }
    Atomics.wait(control, GEN, gen, Math.min(left, 100));
  }
}

function checkAbort(control: Int32Array): void {
  if (Atomics.load(control, ABORT) !== 0) {
    throw new Error('data-parallel training was aborted (another worker failed)');
  }
}

/** What one worker keeps for the shared path. */
export interface SharedReplica {
  replica: ChunkReplica;
  memory: SharedTrainerMemory;
  views: SharedViews;
  /** This worker's number, 0 .. workers − 1. */
  index: number;
  options: Partial<AcceleratedOptions> & { learningRate: number };
}

/**
 * One batch of `batch` samples (already in the shared X, Y) on worker `r.index`; see the
 * module comment. Allocates nothing but subarray views.
 */
export function sharedStep(r: SharedReplica, batch: number): void {
  const { replica, views, index, options } = r;
  const { chunk, workers, barrierTimeoutMs } = r.memory;
  const { control, slots, X, Y } = views;
  checkAbort(control);
  const { net } = replica;
  const n1 = net.sizes[0];
  const nn = net.sizes[net.depth - 1];
  const chunks = batch / chunk;
  const per = Math.ceil(chunks / workers);
  const end = Math.min(chunks, (index + 1) * per);
  for (let j = index * per; j < end; j++) {
    const x = X.subarray(j * chunk * n1, (j + 1) * chunk * n1);
    const y = Y.subarray(j * chunk * nn, (j + 1) * chunk * nn);
    relaxChunk(replica, x, y, options, slots[j]);
  }
  barrier(control, workers, barrierTimeoutMs);
  // This worker's rows of every matrix, to the shared copy.
  for (let j = 0; j < chunks; j++) {
    applyChunk(replica, slots[j], j, batch, options.learningRate, index, workers);
  }
  const { blocks } = replica;
  for (let t = 0; t < blocks.length; t++) {
    const [a, b] = shareRange(blocks[t], index, workers);
    if (a < b) views.tensors[t].set(local(net, t).subarray(a, b), a);
  }
  barrier(control, workers, barrierTimeoutMs);
  // Everybody else's rows, from the shared copy.
  for (let t = 0; t < blocks.length; t++) {
    const [a, b] = shareRange(blocks[t], index, workers);
    const mine = local(net, t);
    const all = views.tensors[t];
    if (a > 0) mine.set(all.subarray(0, a));
    if (b < all.length) mine.set(all.subarray(b), b);
  }
}

/** Matrix t of the order M.0, W.0, M.1, W.1, ... */
const local = (net: Network, t: number): Float32Array => (t % 2 === 0 ? net.M : net.W)[t >> 1];
