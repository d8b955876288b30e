/**
 * The last `capacity` points of a few series that share one x column, kept in the arrays uPlot
 * draws (column 0 is x, then one column per series, oldest point first). Once full, a push
 * shifts every column left by one (`copyWithin`), so the arrays handed to uPlot stay the same
 * objects from frame to frame: no allocation per point.
 */
export class SeriesBuffer {
  /** The most points kept. */
  readonly capacity: number;
  private readonly columns: Float64Array[];
  private views: Float64Array[] = [];
  private count = 0;

  constructor(series: number, capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) {
      throw new RangeError(`capacity must be an integer of at least 2, got ${capacity}`);
    }
    this.capacity = capacity;
    this.columns = Array.from({ length: series + 1 }, () => new Float64Array(capacity));
  }

  /** The number of series (y columns). */
  get series(): number {
    return this.columns.length - 1;
  }

  /** The points held now. */
  get length(): number {
    return this.count;
  }

  /** Appends a point: `x` and one value per series (missing values are NaN, a gap). */
  push(x: number, values: ArrayLike<number>): void {
    let at = this.count;
    if (at === this.capacity) {
      for (const column of this.columns) column.copyWithin(0, 1);
      at--;
    } else {
      this.count++;
    }
    this.columns[0][at] = x;
    for (let s = 1; s < this.columns.length; s++) {
      this.columns[s][at] = s - 1 < values.length ? values[s - 1] : NaN;
    }
  }

  clear(): void {
    this.count = 0;
  }

  /** The value of column `column` (0 is x) at the newest point, or NaN when empty. */
  latest(column: number): number {
    return this.count === 0 ? NaN : this.columns[column][this.count - 1];
  }

  /** The held points as uPlot's aligned data: views, rebuilt only when the length changed. */
  get data(): Float64Array[] {
    if (this.views.length === 0 || this.views[0].length !== this.count) {
      this.views = this.columns.map((column) => column.subarray(0, this.count));
    }
    return this.views;
  }
}
