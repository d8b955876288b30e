/**
 * A CSV reader for {@link Dataset}s: a header line of column names, then one row per sample,
 * every column a number except one label column, chosen by name (default: the last). Labels
 * may be strings or integers; classes are in sorted order (see {@link indexLabels}).
 *
 * The text may come whole or in chunks ({@link CsvReader.push}); every row is checked as it
 * arrives, and the byte budget counts as it goes (and first, when the size is known), so a huge
 * or bad file stops at the first thing wrong. Fields follow RFC 4180: separated by commas,
 * optionally in double quotes (`""` is a quote inside them); lines end in LF or CRLF; blank
 * lines and a leading byte-order mark are skipped; spaces around a number are allowed.
 */
import {
  DataError,
  type Dataset,
  FloatBuffer,
  indexLabels,
  NUMBER,
  type ReadOptions,
  readLimits,
  tooLarge,
} from './dataset';

export interface CsvOptions extends ReadOptions {
  /** The name of the label column. Default: the last column. */
  label?: string;
}

/** Reads a whole CSV text. Throws a {@link DataError} at the first problem. */
export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  const reader = new CsvReader(options);
  reader.push(text);
  return reader.end();
}

/** Reads CSV text from chunks (a Node stream with an encoding set, a `TextDecoderStream`...). */
export async function readCsv(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: CsvOptions = {},
): Promise<Dataset> {
  const reader = new CsvReader(options);
  for await (const chunk of chunks) reader.push(chunk);
  return reader.end();
}

/** The incremental reader: `push` chunks of text, then `end` for the data set. */
export class CsvReader {
  private readonly limits: ReturnType<typeof readLimits>;
  private readonly labelName?: string;
  private bytes = 0;
  private line = 1;
  /** The line the current record began on. */
  private recordLine = 1;
  private field = '';
  private cells: string[] = [];
  private inQuotes = false;
  /** A quote inside quotes, not yet known to be a closing one or the first of `""`. */
  private quotePending = false;
  private quoted = false;
  private afterQuote = false;
  private started = false;
  private header?: string[];
  private labelColumn = -1;
  private readonly values = new FloatBuffer();
  private readonly rawLabels: string[] = [];

  constructor(options: CsvOptions = {}) {
    this.limits = readLimits(options);
    this.labelName = options.label;
  }

  push(chunk: string): void {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      this.bytes += c < 0x80 ? 1 : c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 2 : 3;
      if (this.bytes > this.limits.maxBytes) {
        throw tooLarge(this.limits.file, Infinity, this.limits.maxBytes);
      }
      const ch = chunk[i];
      if (!this.started) {
        this.started = true;
        if (c === 0xfeff) continue;
      }
      if (this.quotePending) {
        this.quotePending = false;
        if (ch === '"') {
          this.field += '"';
          continue;
        }
        this.inQuotes = false;
        this.afterQuote = true;
      }
      if (this.inQuotes) {
        if (ch === '"') this.quotePending = true;
        else {
          if (ch === '\n') this.line++;
          this.field += ch;
        }
        continue;
      }
      if (ch === ',') this.endField();
      else if (ch === '\n') {
        this.endField();
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
      } else if (ch === '\r') continue;
      else if (this.afterQuote) {
        throw this.error(
          'quote',
          this.cells.length,
          `expected a comma after the closing quote, got "${ch}"`,
        );
      } else if (ch === '"' && this.field === '') {
        this.inQuotes = true;
        this.quoted = true;
      } else this.field += ch;
    }
  }

  end(): Dataset {
    if (this.quotePending) {
      this.inQuotes = false;
      this.afterQuote = true;
    }
    const { file } = this.limits;
    if (this.inQuotes) {
      throw this.error(
        'quote',
        this.cells.length,
        'a quoted field is not closed by the end of the file',
      );
    }
    this.endField();
    this.endRecord();
    if (!this.header) {
      throw new DataError(
        'empty',
        file,
        undefined,
        'empty file: expected a header line of column names',
      );
    }
    if (this.rawLabels.length === 0) {
      throw new DataError(
        'empty',
        file,
        undefined,
        'no rows after the header: expected at least one',
      );
    }
    const { labels, classNames } = indexLabels(this.rawLabels, file);
    const featureNames = this.header.filter((_, j) => j !== this.labelColumn);
    return {
      inputs: this.values.take(),
      labels,
      classNames,
      featureNames,
      count: labels.length,
      dim: featureNames.length,
    };
  }

  private endField(): void {
    this.cells.push(this.quoted ? this.field : this.field.trim());
    this.field = '';
    this.quoted = false;
    this.afterQuote = false;
    const width = this.header?.length ?? this.limits.maxColumns;
    if (this.cells.length > width) {
      const what = this.header ? `${width} (as the header)` : `at most ${width} columns`;
      throw this.error(
        this.header ? 'ragged' : 'too-many-columns',
        undefined,
        `more than ${this.cells.length - 1} cells, expected ${what}`,
      );
    }
  }

  private endRecord(): void {
    const cells = this.cells;
    this.cells = [];
    if (cells.length === 1 && cells[0] === '') return; // a blank line
    if (!this.header) this.readHeader(cells);
    else this.readRow(cells);
  }

  private readHeader(names: string[]): void {
    const { file } = this.limits;
    names.forEach((name, j) => {
      if (name === '') throw this.error('header', j, 'expected a column name, got an empty cell');
      if (names.indexOf(name) !== j) {
        throw this.error(
          'header',
          j,
          `the name "${name}" is also column ${names.indexOf(name) + 1}`,
        );
      }
    });
    const label = this.labelName ?? names[names.length - 1];
    this.labelColumn = names.indexOf(label);
    if (this.labelColumn < 0) {
      throw new DataError(
        'label-column',
        file,
        'header',
        `no column named "${label}" for the label (columns: ${names.join(', ')})`,
        { row: this.recordLine },
      );
    }
    if (names.length < 2) {
      throw new DataError(
        'no-features',
        file,
        'header',
        `no numeric column: "${label}" is the only column, the label`,
        { row: this.recordLine },
      );
    }
    this.header = names;
  }

  private readRow(cells: string[]): void {
    const header = this.header!;
    if (cells.length !== header.length) {
      throw this.error(
        'ragged',
        undefined,
        `${cells.length} cells, expected ${header.length} (as the header)`,
      );
    }
    if (this.rawLabels.length === this.limits.maxRows) {
      throw this.error(
        'too-many-rows',
        undefined,
        `more than ${this.limits.maxRows} rows, the limit`,
      );
    }
    for (let j = 0; j < cells.length; j++) {
      const cell = cells[j];
      if (j === this.labelColumn) {
        if (cell === '') throw this.error('missing-label', j, 'missing label (an empty cell)');
        this.rawLabels.push(cell);
        continue;
      }
      const v = NUMBER.test(cell) ? Math.fround(Number(cell)) : NaN;
      if (!Number.isFinite(v)) {
        const got =
          cell === '' ? 'an empty cell' : `"${cell.length > 40 ? cell.slice(0, 40) + '…' : cell}"`;
        const what = NUMBER.test(cell) ? 'a number within float32 range' : 'a number';
        throw this.error('cell', j, `expected ${what}, got ${got}`);
      }
      this.values.push(v);
    }
  }

  /** An error at column `j` (0-based) of the current record, or at the record itself. */
  private error(reason: DataError['reason'], j: number | undefined, detail: string): DataError {
    const row = this.recordLine;
    const name = j !== undefined ? this.header?.[j] : undefined;
    const where =
      j === undefined
        ? `row ${row}`
        : `row ${row}, column ${j + 1}${name !== undefined ? ` ("${name}")` : ''}`;
    return new DataError(reason, this.limits.file, where, detail, {
      row,
      column: j === undefined ? undefined : j + 1,
    });
  }
}
