/**
 * Images in Node: a folder with one subfolder per class, or a `.zip` of the same, decoded with
 * pngjs (PNG only). Every check comes before the work it guards: the folder is listed and its
 * layout checked, the files' sizes summed against the budget (a zip's size, then its entries'
 * inflated sizes from the central directory, before anything is inflated), each PNG's
 * signature and header size checked before it is decoded. Errors are {@link DataError}s naming
 * the folder or zip and the image inside it; nothing outlives a failed read.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { DataError, type Dataset, type ReadOptions, readLimits, tooLarge } from './dataset';
import {
  checkPixels,
  type DecodedImage,
  hexStart,
  type ImageOptions,
  imageLayout,
  imagesToDataset,
  type LayoutEntry,
  pngSize,
} from './images';
import { inflateImages, listZip } from './zip';

export type ImageReadOptions = ImageOptions & Omit<ReadOptions, 'size'>;

/**
 * Decodes a PNG file's bytes with pngjs into RGBA pixels (16-bit PNGs are scaled to 8 bits).
 * Throws a {@link DataError} naming `source` and `path`: not a PNG (no PNG signature), an image
 * over `maxPixels` (from the header, before decoding), or a corrupt PNG.
 */
export function decodePng(
  bytes: Uint8Array,
  source: string,
  path: string,
  maxPixels: number,
): DecodedImage & { className: '' } {
  const size = pngSize(bytes);
  if (!size) {
    throw new DataError(
      'image',
      source,
      path,
      `not a PNG (expected the PNG signature 89 50 4e 47 0d 0a 1a 0a, got ${hexStart(bytes)}; Node reads PNG images only)`,
    );
  }
  checkPixels(source, path, size.width, size.height, maxPixels);
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    const end = String.fromCharCode(...bytes.subarray(bytes.length - 8, bytes.length - 4));
    const what = end === 'IEND' ? 'a corrupt PNG' : 'a truncated PNG (no IEND chunk at its end)';
    throw new DataError('image', source, path, `${what}; pngjs: ${(e as Error).message}`);
  }
  return {
    file: path,
    className: '',
    width: png.width,
    height: png.height,
    channels: 4,
    pixels: png.data,
  };
}

/** Reads the images of a folder or of a `.zip` file (by its extension) as a data set. */
export async function readImages(path: string, options: ImageReadOptions = {}): Promise<Dataset> {
  return /\.zip$/i.test(path) ? readImageZip(path, options) : readImageFolder(path, options);
}

/** A folder of class folders of PNG images. */
export async function readImageFolder(
  folder: string,
  options: ImageReadOptions = {},
): Promise<Dataset> {
  const source = options.file ?? folder;
  const limits = readLimits({ ...options, file: source });
  const entries = await listFolder(folder, source, limits.maxFiles);
  const images = imageLayout(entries, source, limits);
  const decoded: DecodedImage[] = [];
  for (const image of images) {
    const bytes = await readFile(join(folder, image.path));
    const png = decodePng(bytes, source, image.path, limits.maxPixels);
    decoded.push({ ...png, className: image.className });
  }
  return imagesToDataset(decoded, options, source);
}

/** A zip of class folders of PNG images: its size and central directory checked first. */
export async function readImageZip(zip: string, options: ImageReadOptions = {}): Promise<Dataset> {
  const source = options.file ?? zip;
  const info = await stat(zip);
  const limits = readLimits({ ...options, file: source, size: info.size });
  const bytes = new Uint8Array(await readFile(zip));
  const listing = listZip(bytes, source, limits);
  if (listing.inflatedBytes > limits.maxBytes) {
    throw tooLarge(source, listing.inflatedBytes, limits.maxBytes);
  }
  const files = inflateImages(bytes, listing, source);
  const decoded = listing.images.map((image) => ({
    ...decodePng(files.get(image.path)!, source, image.path, limits.maxPixels),
    className: image.className,
  }));
  return imagesToDataset(decoded, options, source);
}

/**
 * The entries of `folder` three levels deep (a wrapping folder, class folders, images), with
 * their sizes; deeper levels are not walked (the layout check refuses what is there). Stops past
 * `maxFiles` entries with a {@link DataError}.
 */
async function listFolder(
  folder: string,
  source: string,
  maxFiles: number,
): Promise<LayoutEntry[]> {
  const out: LayoutEntry[] = [];
  const visit = async (rel: string, depth: number): Promise<void> => {
    const children = await readdir(join(folder, rel), { withFileTypes: true });
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const path = rel ? `${rel}/${child.name}` : child.name;
      if (out.length > 2 * maxFiles + 1000) {
        throw new DataError(
          'too-many-files',
          source,
          undefined,
          `more than ${maxFiles} image files, over the limit`,
        );
      }
      if (child.isDirectory()) {
        out.push({ path: `${path}/`, folder: true });
        if (depth < 3 && !child.name.startsWith('.')) await visit(path, depth + 1);
      } else if (child.isFile()) {
        out.push({ path, size: (await stat(join(folder, path))).size });
      }
    }
  };
  await visit('', 1);
  return out;
}
