/**
 * Zip archives of images (a folder of class folders, zipped), read with fflate: the central
 * directory is listed first (names and sizes, nothing inflated), the layout and the budget are
 * checked on it, and only then are the image entries inflated. No DOM, no Node.
 */
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { DataError, tooLarge } from './dataset';
import { imageLayout, type LayoutImage } from './images';

/** The images of a zip and their classes, checked before anything is inflated. */
export interface ZipListing {
  images: LayoutImage[];
  /** The sum of the images' inflated sizes, as the central directory gives them. */
  inflatedBytes: number;
}

/**
 * Lists the entries of the zip `bytes` from its central directory and checks them (see
 * {@link imageLayout}): a path escaping the archive (`../`), files beside the class folders,
 * empty class folders, a single class, too many files; and the inflated size of the images
 * against `maxBytes`. Throws a {@link DataError} naming `source` and the entry.
 */
export function listZip(
  bytes: Uint8Array,
  source: string,
  limits: { maxFiles: number; maxBytes: number },
): ZipListing {
  if (bytes.length > limits.maxBytes) throw tooLarge(source, bytes.length, limits.maxBytes);
  const infos: UnzipFileInfo[] = [];
  zipped(source, () =>
    unzipSync(bytes, {
      filter: (info) => {
        if (infos.length > 2 * limits.maxFiles + 1000) {
          throw new DataError(
            'too-many-files',
            source,
            undefined,
            `more than ${limits.maxFiles} image files, over the limit`,
          );
        }
        infos.push(info);
        return false;
      },
    }),
  );
  const sizes = new Map(infos.map((i) => [i.name, i.originalSize]));
  const images = imageLayout(
    infos.map((i) => ({ path: i.name, folder: i.name.endsWith('/'), size: i.originalSize })),
    source,
    limits,
  );
  const inflatedBytes = images.reduce((sum, i) => sum + (sizes.get(i.path) ?? 0), 0);
  return { images, inflatedBytes };
}

/** Inflates the listed images of the zip `bytes`: each entry's bytes by its path. */
export function inflateImages(
  bytes: Uint8Array,
  listing: ZipListing,
  source: string,
): Map<string, Uint8Array> {
  const wanted = new Map(listing.images.map((i) => [i.path, i.size]));
  const files = zipped(source, () => unzipSync(bytes, { filter: (info) => wanted.has(info.name) }));
  const out = new Map<string, Uint8Array>();
  for (const [path, size] of wanted) {
    const data = files[path];
    if (data === undefined || (size !== undefined && data.length !== size)) {
      throw new DataError(
        'zip',
        source,
        path,
        `a corrupt entry (expected ${size} bytes inflated, got ${data?.length ?? 'none'})`,
      );
    }
    out.set(path, data);
  }
  return out;
}

/** Runs an fflate call; its errors become a {@link DataError} naming the zip. */
function zipped<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(
      'zip',
      source,
      undefined,
      `not a readable zip archive (${(e as Error).message})`,
    );
  }
}
