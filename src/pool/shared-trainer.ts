import type { AcceleratedOptions } from '../model/accelerated';
import { chunkHebbian, hebbianShapes } from '../model/data-parallel';
import type { Network } from '../model/network';

/**
 * Data-parallel training over shared memory (the fast path of `DataParallelTrainer`). The
 * canonical weights M, W, the batch's input and one slot of Hebbian sums per chunk live in
 * SharedArrayBuffers that every worker maps. One batch, on every worker at once:
 *
 *  1. relax this worker's chunks on its replica (its weights are a copy in its own WebAssembly
 *     memory, where the kernels run) and write each chunk's Hebbian sums to the chunk's slot;
 *  2. barrier; apply the update to this worker's share of the weights in the shared buffer,
 *     adding the chunk slots in chunk order, M ← (1 − η λM) M + (η / B) ΣΔM, with the very
 *     arithmetic of `applyHebbian` (so the weights are the bits a single thread makes);
 *  3. barrier; copy the shared weights into the replica.
 *
 * The caller thread only writes the batch into shared memory and sends one small message per
 * worker. The barriers wait with timeouts and watch an abort flag that the caller raises when a
 * worker crashes, so that nothing waits forever.
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
  /** The weights, flat: M.0, W.0, M.1, W.1, ... (the order of `hebbianShapes`). */
  weights: SharedArrayBuffer;
  /** The batch's X (capacity × N_1), Y (capacity × N_n), then one Hebbian slot per chunk. */
  data: SharedArrayBuffer;
  /** A worker waiting longer than this at a barrier gives up (a stuck or dead partner). */
  barrierTimeoutMs: number;
}

/** Typed views of a {@link SharedTrainerMemory}. */
export interface SharedViews {
  control: Int32Array;
  /** Every weight tensor, flat, in `hebbianShapes` order. */
  weights: Float32Array;
  /** `M[l]` and `W[l]` as views of `weights`. */
  M: Float32Array[];
  W: Float32Array[];
  /** Where tensor t starts in `weights` (and in a slot); one more entry: the total. */
  offsets: number[];
  X: Float32Array;
  Y: Float32Array;
  /** One per chunk of the largest batch: that chunk's Hebbian sums, laid out like `weights`. */
  slots: Float32Array[];
}

const GEN = 0;
const COUNT = 1;
const ABORT = 2;
/** 16 ints: the control block fills one cache line. */
const CONTROL_INTS = 16;
/** Floats per cache line: slots and work shares start on one so workers never share a line. */
const LINE = 16;

const up = (n: number, to: number): number => Math.ceil(n / to) * to;

/** True where SharedArrayBuffer and Atomics work: Node, and cross-origin-isolated pages. */
export function sharedMemoryAvailable(): boolean {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return (
    typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' && isolated !== false
  );
}

/** Offsets of the weight tensors in the flat layout, and the total. */
function tensorOffsets(sizes: readonly number[]): number[] {
  const offsets = [0];
  for (const n of hebbianShapes(sizes)) offsets.push(offsets[offsets.length - 1] + n);
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
    data: new SharedArrayBuffer(4 * dataFloats(sizes, chunk, capacity, total)),
    barrierTimeoutMs,
  };
}

/** `memory` with a data buffer for batches up to `capacity` (the weights stay). */
export function growShared(memory: SharedTrainerMemory, capacity: number): SharedTrainerMemory {
  const { sizes, chunk } = memory;
  const total = tensorOffsets(sizes).at(-1) ?? 0;
  const data = new SharedArrayBuffer(4 * dataFloats(sizes, chunk, capacity, total));
  return { ...memory, capacity, data };
}

function dataFloats(sizes: readonly number[], chunk: number, capacity: number, total: number) {
  const inputs = up(capacity * sizes[0], LINE) + up(capacity * sizes[sizes.length - 1], LINE);
  return inputs + (capacity / chunk) * up(total, LINE);
}

/** The typed views of `memory` (made once per thread, not per batch). */
export function sharedViews(memory: SharedTrainerMemory): SharedViews {
  const { sizes, chunk, capacity } = memory;
  const offsets = tensorOffsets(sizes);
  const total = offsets[offsets.length - 1];
  const weights = new Float32Array(memory.weights);
  const tensors = offsets.slice(0, -1).map((o, t) => weights.subarray(o, offsets[t + 1]));
  const n1 = capacity * sizes[0];
  const nn = capacity * sizes[sizes.length - 1];
  const X = new Float32Array(memory.data, 0, n1);
  let at = up(n1, LINE);
  const Y = new Float32Array(memory.data, 4 * at, nn);
  at += up(nn, LINE);
  const slots: Float32Array[] = [];
  for (let j = 0; j < capacity / chunk; j++, at += up(total, LINE)) {
    slots.push(new Float32Array(memory.data, 4 * at, total));
  }
  return {
    control: new Int32Array(memory.control),
    weights,
    M: tensors.filter((_, t) => t % 2 === 0),
    W: tensors.filter((_, t) => t % 2 === 1),
    offsets,
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
  /** The replica (batch = the chunk size) and its Hebbian buffers, in its own memory. */
  net: Network;
  sums: Float32Array[];
  memory: SharedTrainerMemory;
  views: SharedViews;
  /** This worker's number, 0 .. workers − 1. */
  index: number;
  options: Partial<AcceleratedOptions> & { learningRate: number };
}

/**
 * One batch of `batch` samples (already in the shared X, Y) on worker `r.index`; see the
 * module comment. Allocates nothing.
 */
export function sharedStep(r: SharedReplica, batch: number): void {
  const { net, sums, views, index, options } = r;
  const { chunk, workers, barrierTimeoutMs } = r.memory;
  const { control, offsets, slots, X, Y } = views;
  checkAbort(control);
  const n1 = net.sizes[0];
  const nn = net.sizes[net.depth - 1];
  const chunks = batch / chunk;
  const per = Math.ceil(chunks / workers);
  const end = Math.min(chunks, (index + 1) * per);
  for (let j = index * per; j < end; j++) {
    const x = X.subarray(j * chunk * n1, (j + 1) * chunk * n1);
    const y = Y.subarray(j * chunk * nn, (j + 1) * chunk * nn);
    chunkHebbian(net, x, y, options, sums);
    for (let t = 0; t < sums.length; t++) slots[j].set(sums[t], offsets[t]);
  }
  barrier(control, workers, barrierTimeoutMs);
  const total = offsets[offsets.length - 1];
  const share = (w: number): number => Math.min(total, up(Math.floor((w * total) / workers), LINE));
  const { lambdaM, lambdaW } = net.spec;
  applyShare(views, chunks, share(index), share(index + 1), batch, options.learningRate, [
    lambdaM,
    lambdaW,
  ]);
  barrier(control, workers, barrierTimeoutMs);
  for (let l = 0; l < net.M.length; l++) {
    net.M[l].set(views.M[l]);
    net.W[l].set(views.W[l]);
  }
}

/**
 * weights[lo..hi) ← (1 − η λ) weights + (η / B) Σ_j slots[j], the chunk slots added in chunk
 * order and rounded to float32 after every addition, as `addInto` then `applyHebbian` do
 * (λ: λM for the M tensors, λW for the W tensors).
 */
function applyShare(
  views: SharedViews,
  chunks: number,
  lo: number,
  hi: number,
  batch: number,
  learningRate: number,
  lambda: readonly [number, number],
): void {
  const { weights: w, offsets, slots } = views;
  const scale = learningRate / batch;
  const fround = Math.fround;
  for (let t = 0; t + 1 < offsets.length; t++) {
    const a = Math.max(lo, offsets[t]);
    const b = Math.min(hi, offsets[t + 1]);
    if (a >= b) continue;
    const keep = 1 - learningRate * lambda[t % 2];
    if (chunks === 1) {
      const s0 = slots[0];
      for (let j = a; j < b; j++) w[j] = keep * w[j] + scale * fround(0 + s0[j]);
    } else if (chunks === 2) {
      const [s0, s1] = slots;
      for (let j = a; j < b; j++) w[j] = keep * w[j] + scale * fround(fround(0 + s0[j]) + s1[j]);
    } else {
      for (let j = a; j < b; j++) {
        let s = 0;
        for (let k = 0; k < chunks; k++) s = fround(s + slots[k][j]);
        w[j] = keep * w[j] + scale * s;
      }
    }
  }
}
