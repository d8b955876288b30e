/**
 * The page's and the element's way in for the user's data: one call for whatever was dropped
 * or picked, dispatched by the file's extension (or MIME type):
 *
 * - `.csv` (`text/csv`): {@link readCsv}, the label column `options.label` (default the last);
 * - `.json` (`application/json`): {@link readJsonData};
 * - `.zip` (`application/zip`): images, one folder per class inside (see {@link imageLayout});
 * - several files (a drop of a folder, `<input webkitdirectory>`): images, each file's class the
 *   folder it is in, from its `webkitRelativePath` or the path given with it ({@link PathedFile};
 *   {@link filesFromDrop} makes them from a drop's `DataTransfer`).
 *
 * Images are decoded by the browser's own decoder (any format it reads: PNG, JPEG, GIF, WebP,
 * BMP...), then turned to grey, resized and inverted as `options` say (see ../../src/data/images).
 * The size of every file is checked against the budget before a byte is read. Errors are
 * {@link DataError}s naming the file (and the image inside a zip or folder); nothing is kept of a
 * failed read, so a caller that assigns the result only on success keeps its current data.
 */
import { readCsv } from '../../src/data/csv';
import { DataError, type Dataset, type ReadOptions, readLimits } from '../../src/data/dataset';
import type { ImageOptions } from '../../src/data/images';
import { readJsonData } from '../../src/data/json-data';
import { readDroppedImages, readZipFile, type PathedFile } from './decode-images';

export type { PathedFile } from './decode-images';
export { filesFromDrop } from './decode-images';

/** What {@link readDataFile} takes: the readers' limits, the CSV label, the image options. */
export interface ReadDataFileOptions extends ImageOptions, Omit<ReadOptions, 'file' | 'size'> {
  /** CSV: the name of the label column. Default: the last column. */
  label?: string;
}

/** The kind of data a file is, by its extension, else its MIME type; undefined if unknown. */
export function dataKind(file: File): 'csv' | 'json' | 'zip' | 'image' | undefined {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.zip')) return 'zip';
  const type = file.type;
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json') return 'json';
  if (type === 'application/zip' || type === 'application/x-zip-compressed') return 'zip';
  if (type.startsWith('image/') || /\.(png|jpe?g|gif|webp|bmp|avif)$/.test(name)) return 'image';
  return undefined;
}

/**
 * Reads a data set from a file or from the files of a drop (see the module's comment). Throws a
 * {@link DataError} naming the file for a bad one, or for a file of no known kind.
 */
export async function readDataFile(
  input: File | readonly (File | PathedFile)[],
  options: ReadDataFileOptions = {},
): Promise<Dataset> {
  const list = input instanceof File ? [input] : input;
  if (list.length === 1) {
    const one = list[0];
    const file = one instanceof File ? one : one.file;
    const name = one instanceof File ? one.webkitRelativePath || one.name : one.path;
    const kind = dataKind(file);
    if (kind === 'csv' || kind === 'json') {
      const read = { ...options, file: name, size: file.size };
      readLimits(read); // the size, before a byte is read
      const chunks = file.stream().pipeThrough(new TextDecoderStream());
      return kind === 'csv'
        ? readCsv(streamChunks(chunks), read)
        : readJsonData(streamChunks(chunks), read);
    }
    if (kind === 'zip') return readZipFile(file, name, options);
    if (kind === 'image') {
      throw new DataError(
        'classes',
        name,
        undefined,
        'one image: expected a folder of class folders of images, a zip of one, or a CSV or JSON file',
      );
    }
    throw new DataError(
      'layout',
      name,
      undefined,
      'not a data file (expected .csv, .json, .zip, or a folder of class folders of images)',
    );
  }
  if (list.length === 0) {
    throw new DataError('empty', 'drop', undefined, 'no files (expected a data file or a folder)');
  }
  return readDroppedImages(list, options);
}

/** A ReadableStream's chunks as an async iterable (Safari's streams are not iterable). */
async function* streamChunks(stream: ReadableStream<string>): AsyncGenerator<string> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
}
