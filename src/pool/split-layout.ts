/**
 * How a network is split by units across the workers of a {@link SplitNetwork}, and where
 * everything lives in the memory they share. Used on both sides of the worker boundary.
 *
 * Worker p owns a contiguous range of units (rows) of every layer. Ranges start on multiples
 * of {@link SPLIT_BLOCK}: the matrix kernels work on blocks of 4 rows and treat the rows past
 * the last whole block differently, so ranges aligned to 4 give every row the same arithmetic
 * as in the whole network, and the split network the same bits as `Network`.
 *
 * The state buffer (shared between the workers, or private to the only one) holds:
 *
 *   bytes 0..63            Int32 control block: see the CTL_* indices
 *   stats                  Float64 [parity][part][layer][4]: each part's maxima of the tick
 *                          (|x'|, |ε'|, |x' − x|, |ε' − ε|, as nodeUpdate counts them)
 *   vectors                Float32 [parity][layer] x, then ε, then σ(x) (B × N_l each)
 *
 * Tick t reads the vectors of parity (t − 1) mod 2 and writes those of parity t mod 2. Each
 * part writes σ of its own units beside x, so that σ of every unit is computed once a tick.
 */

/** Units per block: worker ranges start on a multiple of this. */
export const SPLIT_BLOCK = 4;

/** Control block: arrivals at the barrier in this generation. */
export const CTL_COUNT = 0;
/** Control block: the barrier's generation, bumped by the last worker to arrive. */
export const CTL_GENERATION = 1;
/** Control block: non-zero tells every worker to stop (a crash elsewhere, terminate). */
export const CTL_STOP = 2;
const CONTROL_BYTES = 64;

/** One part's range of units in every layer: units `start[l]` to `end[l] − 1` of layer l. */
export interface PartRange {
  start: number[];
  end: number[];
}

/** The most workers a network can use: the blocks of 4 units in its largest layer. */
export function maxSplitWorkers(sizes: readonly number[]): number {
  return Math.max(...sizes.map((n) => Math.ceil(n / SPLIT_BLOCK)));
}

/**
 * Each part's units of every layer: the layer's blocks of 4 are dealt out evenly in order
 * (part p gets blocks ⌊p·b/P⌋ to ⌊(p+1)·b/P⌋ − 1), so every weight matrix is split in rows
 * as evenly as blocks allow. A part may own no unit of a small layer.
 */
export function partition(sizes: readonly number[], parts: number): PartRange[] {
  const ranges: PartRange[] = [];
  for (let p = 0; p < parts; p++) {
    const start: number[] = [];
    const end: number[] = [];
    for (const n of sizes) {
      const blocks = Math.ceil(n / SPLIT_BLOCK);
      start.push(Math.min(n, Math.floor((p * blocks) / parts) * SPLIT_BLOCK));
      end.push(Math.min(n, Math.floor(((p + 1) * blocks) / parts) * SPLIT_BLOCK));
    }
    ranges.push({ start, end });
  }
  return ranges;
}

/** Byte offsets into the state buffer. */
export class SplitLayout {
  /** Total bytes of the state buffer. */
  readonly bytes: number;
  private readonly statsStart = CONTROL_BYTES;
  private readonly vectorStart: number;
  private readonly vectorOffsets: number[];
  private readonly vectorBytes: number;

  constructor(
    readonly sizes: readonly number[],
    readonly batch: number,
    readonly parts: number,
  ) {
    const L = sizes.length;
    this.vectorStart = this.statsStart + 2 * parts * L * 4 * 8;
    this.vectorOffsets = [];
    let offset = 0;
    for (const n of sizes) {
      this.vectorOffsets.push(offset);
      offset += 3 * 4 * batch * n;
    }
    this.vectorBytes = offset;
    this.bytes = this.vectorStart + 2 * offset;
  }

  /** The control block's Int32 view. */
  control(buffer: ArrayBufferLike): Int32Array {
    return new Int32Array(buffer, 0, CONTROL_BYTES / 4);
  }

  /** Every part's stats for one parity: [part][layer][4] doubles. */
  stats(buffer: ArrayBufferLike, parity: number): Float64Array {
    const n = this.parts * this.sizes.length * 4;
    return new Float64Array(buffer, this.statsStart + parity * n * 8, n);
  }

  /** State nodes x of layer l at a parity (B × N_l). */
  x(buffer: ArrayBufferLike, parity: number, l: number): Float32Array {
    return new Float32Array(buffer, this.vector(parity, l), this.batch * this.sizes[l]);
  }

  /** Error nodes ε of layer l at a parity (B × N_l). */
  eps(buffer: ArrayBufferLike, parity: number, l: number): Float32Array {
    const n = this.batch * this.sizes[l];
    return new Float32Array(buffer, this.vector(parity, l) + 4 * n, n);
  }

  /** σ(x) of layer l at a parity (B × N_l), written by each part for its own units. */
  s(buffer: ArrayBufferLike, parity: number, l: number): Float32Array {
    const n = this.batch * this.sizes[l];
    return new Float32Array(buffer, this.vector(parity, l) + 8 * n, n);
  }

  private vector(parity: number, l: number): number {
    return this.vectorStart + parity * this.vectorBytes + this.vectorOffsets[l];
  }
}
