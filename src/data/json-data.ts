/**
 * A JSON reader for {@link Dataset}s: an array of items `{"x": [numbers], "label": name}`,
 * every `x` of the same length, each label a string or an integer (classes in sorted order, see
 * {@link indexLabels}). Other keys of an item are ignored. Features are named x1, x2, ...
 *
 * The text may come in chunks; the byte budget counts as they arrive (and first, when the size
 * is known), then the whole text is parsed by `JSON.parse` (bounded by the budget) and each item
 * checked in order.
 */
import {
  DataError,
  type Dataset,
  FloatBuffer,
  indexLabels,
  type ReadOptions,
  readLimits,
  tooLarge,
  utf8Length,
} from './dataset';

/** Reads a whole JSON text. Throws a {@link DataError} at the first problem. */
export function parseJsonData(text: string, options: ReadOptions = {}): Dataset {
  const limits = readLimits(options);
  const bytes = utf8Length(text);
  if (bytes > limits.maxBytes) throw tooLarge(limits.file, bytes, limits.maxBytes);
  return fromItems(text, limits);
}

/** Reads JSON text from chunks, stopping as soon as they pass the byte budget. */
export async function readJsonData(
  chunks: AsyncIterable<string> | Iterable<string>,
  options: ReadOptions = {},
): Promise<Dataset> {
  const limits = readLimits(options);
  const parts: string[] = [];
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += utf8Length(chunk);
    if (bytes > limits.maxBytes) throw tooLarge(limits.file, Infinity, limits.maxBytes);
    parts.push(chunk);
  }
  return fromItems(parts.join(''), limits);
}

const shown = (v: unknown): string =>
  v === undefined
    ? 'nothing'
    : Array.isArray(v)
      ? 'an array'
      : v === null
        ? 'null'
        : typeof v === 'string'
          ? `"${v.length > 40 ? v.slice(0, 40) + '…' : v}"`
          : typeof v === 'object'
            ? 'an object'
            : String(v);

function fromItems(text: string, limits: ReturnType<typeof readLimits>): Dataset {
  const { file } = limits;
  if (text.trim() === '') {
    throw new DataError('empty', file, undefined, 'empty file: expected an array of {x, label}');
  }
  let items: unknown;
  try {
    items = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new DataError('json', file, undefined, `not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(items)) {
    throw new DataError(
      'json',
      file,
      undefined,
      `expected an array of {x, label}, got ${shown(items)}`,
    );
  }
  if (items.length === 0) {
    throw new DataError(
      'empty',
      file,
      undefined,
      'an empty array: expected at least one {x, label}',
    );
  }
  if (items.length > limits.maxRows) {
    throw new DataError(
      'too-many-rows',
      file,
      undefined,
      `${items.length} items, more than the limit of ${limits.maxRows}`,
    );
  }
  const values = new FloatBuffer();
  const raw: string[] = [];
  let dim = -1;
  items.forEach((item: unknown, i) => {
    const row = i + 1;
    const at = (where: string) => `item ${row}${where}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new DataError(
        'json',
        file,
        at(''),
        `expected an object {x, label}, got ${shown(item)}`,
        { row },
      );
    }
    const { x, label } = item as { x?: unknown; label?: unknown };
    if (!Array.isArray(x)) {
      throw new DataError(
        'cell',
        file,
        at(''),
        `expected "x", an array of numbers, got ${shown(x)}`,
        { row },
      );
    }
    if (dim < 0) {
      if (x.length === 0)
        throw new DataError('no-features', file, at(''), 'no numeric column: "x" is empty', {
          row,
        });
      if (x.length + 1 > limits.maxColumns) {
        const max = limits.maxColumns - 1;
        throw new DataError(
          'too-many-columns',
          file,
          at(''),
          `"x" has ${x.length} values, more than ${max}`,
          { row },
        );
      }
      dim = x.length;
    } else if (x.length !== dim) {
      throw new DataError(
        'ragged',
        file,
        at(''),
        `"x" has ${x.length} values, expected ${dim} (as item 1)`,
        { row },
      );
    }
    x.forEach((v: unknown, j) => {
      const f = typeof v === 'number' ? Math.fround(v) : NaN;
      if (!Number.isFinite(f)) {
        const what = typeof v === 'number' ? 'a number within float32 range' : 'a number';
        throw new DataError('cell', file, at(`, x[${j}]`), `expected ${what}, got ${shown(v)}`, {
          row,
          column: j + 1,
        });
      }
      values.push(f);
    });
    if (typeof label === 'string' && label.trim() !== '') raw.push(label);
    else if (typeof label === 'number' && Number.isInteger(label)) raw.push(String(label));
    else {
      const detail =
        label === undefined || label === ''
          ? 'missing label'
          : `expected a label (a string or an integer), got ${shown(label)}`;
      throw new DataError('missing-label', file, at(''), detail, { row });
    }
  });
  const { labels, classNames } = indexLabels(raw, file);
  return {
    inputs: values.take(),
    labels,
    classNames,
    featureNames: Array.from({ length: dim }, (_, j) => `x${j + 1}`),
    count: labels.length,
    dim,
  };
}
