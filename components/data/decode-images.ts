/**
 * Images the user drops on the page, decoded by the browser: a zip `File`, or the files of a
 * dropped folder, become the engine's decoded images (see ../../src/data/images), then a
 * {@link Dataset}. Decoding uses the browser's own decoder (`createImageBitmap`) and reads the
 * pixels back through an `OffscreenCanvas` (`getImageData`, RGBA), so any format the browser
 * reads works. Images are decoded one at a time; the sizes are checked first (each file's and
 * their sum against `maxBytes`, a zip's inflated sizes from its central directory), a PNG's
 * pixel count from its header before it is decoded, any other format's before its pixels are
 * read back.
 */
import {
  DataError,
  type Dataset,
  type ReadOptions,
  readLimits,
  tooLarge,
} from '../../src/data/dataset';
import {
  checkPixels,
  type DecodedImage,
  type ImageOptions,
  imageLayout,
  imagesToDataset,
  type LayoutImage,
  pngSize,
} from '../../src/data/images';
import { inflateImages, listZip } from '../../src/data/zip';

/** A file with the path it had in the dropped folder (`digits/3/a.png`), `/`-separated. */
export interface PathedFile {
  file: File;
  path: string;
}

export type ImageReadOptions = ImageOptions & Omit<ReadOptions, 'file' | 'size'>;

/**
 * Decodes one image file's bytes with the browser's decoder: RGBA pixels. `source` and `path`
 * name it in errors: not an image the browser can decode, or more than `maxPixels` pixels.
 */
export async function decodeImage(
  blob: Blob,
  source: string,
  path: string,
  maxPixels: number,
): Promise<{ width: number; height: number; pixels: Uint8ClampedArray }> {
  const head = new Uint8Array(await blob.slice(0, 24).arrayBuffer());
  const size = pngSize(head);
  if (size) checkPixels(source, path, size.width, size.height, maxPixels);
  let bitmap: ImageBitmap;
  try {
    // The stored values as they are, as pngjs gives them in Node: no colour profile or gamma
    // applied, alpha not premultiplied.
    bitmap = await createImageBitmap(blob, {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
  } catch (e) {
    throw new DataError(
      'image',
      source,
      path,
      `not an image this browser can decode (${(e as Error).message || 'decoding failed'})`,
    );
  }
  try {
    const { width, height } = bitmap;
    checkPixels(source, path, width, height, maxPixels);
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0);
    return { width, height, pixels: context.getImageData(0, 0, width, height).data };
  } finally {
    bitmap.close();
  }
}

/** Decodes the images of a layout, one at a time, from `blobOf` (a file, a zip entry). */
async function decodeAll(
  images: readonly LayoutImage[],
  source: string,
  maxPixels: number,
  blobOf: (image: LayoutImage) => Blob,
): Promise<DecodedImage[]> {
  const out: DecodedImage[] = [];
  for (const image of images) {
    const { width, height, pixels } = await decodeImage(
      blobOf(image),
      source,
      image.path,
      maxPixels,
    );
    out.push({ file: image.path, className: image.className, width, height, channels: 4, pixels });
  }
  return out;
}

/** A zip of class folders of images: checked from its central directory, then decoded. */
export async function readZipFile(
  file: Blob,
  name: string,
  options: ImageReadOptions = {},
): Promise<Dataset> {
  const limits = readLimits({ ...options, file: name, size: file.size });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const listing = listZip(bytes, name, limits);
  if (listing.inflatedBytes > limits.maxBytes) {
    throw tooLarge(name, listing.inflatedBytes, limits.maxBytes);
  }
  const entries = inflateImages(bytes, listing, name);
  const images = await decodeAll(
    listing.images,
    name,
    limits.maxPixels,
    (image) => new Blob([entries.get(image.path)! as Uint8Array<ArrayBuffer>]),
  );
  return imagesToDataset(images, options, name);
}

/**
 * The files of a dropped folder (their `webkitRelativePath`, or the path given with each): one
 * folder per class, decoded by the browser.
 */
export async function readDroppedImages(
  files: readonly (File | PathedFile)[],
  options: ImageReadOptions = {},
): Promise<Dataset> {
  const pathed = files.map((f) =>
    f instanceof File ? { file: f, path: f.webkitRelativePath || f.name } : f,
  );
  const root = pathed[0]?.path.split('/')[0];
  const source = root && pathed.every((f) => f.path.startsWith(`${root}/`)) ? root : 'drop';
  const limits = readLimits({ ...options, file: source });
  const byPath = new Map(pathed.map((f) => [f.path, f.file]));
  const images = imageLayout(
    pathed.map((f) => ({ path: f.path, size: f.file.size })),
    source,
    limits,
  );
  const decoded = await decodeAll(images, source, limits.maxPixels, (i) => byPath.get(i.path)!);
  return imagesToDataset(decoded, options, source);
}

/**
 * The files of a drop, with their paths: a dropped folder is walked (`webkitGetAsEntry`), so its
 * files carry `folder/class/name.png`; dropped files carry their names. Call it during the
 * `drop` event (the items are gone after it returns); the walk itself may finish later.
 */
export function filesFromDrop(transfer: DataTransfer): Promise<PathedFile[]> {
  const entries = Array.from(transfer.items, (item) => item.webkitGetAsEntry?.() ?? null);
  if (entries.some((e) => e === null)) {
    return Promise.resolve(Array.from(transfer.files, (file) => ({ file, path: file.name })));
  }
  return walk(entries as FileSystemEntry[], '');
}

async function walk(entries: FileSystemEntry[], prefix: string): Promise<PathedFile[]> {
  const out: PathedFile[] = [];
  for (const entry of entries) {
    const path = prefix + entry.name;
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) =>
        (entry as FileSystemFileEntry).file(resolve, reject),
      );
      out.push({ file, path });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      const children: FileSystemEntry[] = [];
      // readEntries returns the folder's entries in batches, until an empty one.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
          reader.readEntries(resolve, reject),
        );
        if (batch.length === 0) break;
        children.push(...batch);
      }
      out.push(...(await walk(children, `${path}/`)));
    }
  }
  return out;
}
