import type { Snapshot, WeightSet } from './protocol';

/** What {@link SnapshotFilter.mark} keeps. */
export interface FilterMark {
  readonly weights: WeightSet | null;
  readonly seq: number;
  readonly created: number;
  readonly held: number;
  readonly newest: number;
  readonly spare: { version: number; weights: WeightSet } | null;
}

/**
 * Sorts a simulation's snapshots for its session. They come by two ports (the stream, and the
 * answers to commands), so not in order: a larger `seq` is newer. A snapshot of a network that
 * was replaced since is late: its `weightsVersion` is below the one the worker gave when it
 * built the current network (versions only grow). And M and W travel once per change, in
 * whichever snapshot is taken first, so they are kept even from a snapshot that is not shown.
 */
export class SnapshotFilter {
  /** The newest M and W this thread has (null: the ones the seed draws, not received yet). */
  weights: WeightSet | null = null;
  private seq = -1;
  private created = Infinity;
  private held = -1;
  private newest = -1;
  private spare: { version: number; weights: WeightSet } | null = null;

  /** A new worker: its counts start over. */
  restart(): void {
    this.seq = -1;
    this.spare = null;
    this.created = Infinity;
  }

  /** A network is being built from `weights` (or its seed): snapshots wait for `built`. */
  replaced(weights: WeightSet | null): void {
    this.weights = weights;
    this.created = Infinity;
  }

  /** The worker built it: its snapshots have weights versions from `version` on. */
  built(version: number): void {
    this.created = this.held = this.newest = version;
    this.adoptSpare();
  }

  /** The filter's state now, for {@link rollback}. */
  mark(): FilterMark {
    const { weights, seq, created, held, newest, spare } = this;
    return { weights, seq, created, held, newest, spare };
  }

  /**
   * Back to `mark`: the worker refused the network that replaced it and kept the one before.
   * Snapshots taken since are still admitted in order (`seq` only grows).
   */
  rollback(mark: FilterMark): void {
    const seq = this.seq;
    Object.assign(this, mark);
    this.seq = Math.max(seq, mark.seq);
  }

  /** `late`: of a network replaced since; `old`: overtaken by a newer one; else `new`. */
  admit(s: Snapshot): 'late' | 'old' | 'new' {
    if (s.weights && !(this.spare && this.spare.version > s.weightsVersion)) {
      this.spare = { version: s.weightsVersion, weights: s.weights };
    }
    if (!(s.weightsVersion >= this.created)) return 'late';
    this.adoptSpare();
    this.newest = Math.max(this.newest, s.weightsVersion);
    if (s.seq <= this.seq) return 'old';
    this.seq = s.seq;
    return 'new';
  }

  /** Whether the worker learned weights it has not sent (a large network in train mode). */
  get behind(): boolean {
    return this.newest > this.held;
  }

  /** The worker's current weights, asked for. */
  fetched(weights: WeightSet): void {
    this.weights = weights;
    this.held = this.newest;
  }

  private adoptSpare(): void {
    const spare = this.spare;
    if (spare && spare.version >= this.created && spare.version >= this.held) {
      this.weights = spare.weights;
      this.held = spare.version;
    }
  }
}
