/**
 * Images as a {@link Dataset}: decoded pixels (from the browser's decoder, see
 * components/data/decode-images.ts, or from pngjs in Node, see ./images-node.ts) are turned to
 * grey, resized to a grid by area averaging, optionally inverted, and become one row each, its
 * class the name of the folder the image was in. No DOM, no Node: pixels in, rows out.
 *
 * The steps, for each image, in order:
 *
 * 1. **Grey** ({@link toGrey}): Y = 0.299 R + 0.587 G + 0.114 B (the Rec. 601 luma weights,
 *    applied to the 8-bit values as stored, without undoing the sRGB transfer curve, as image
 *    tools' "greyscale" does), divided by 255, so Y is in [0, 1] (0 black, 1 white). A pixel
 *    with alpha a (0 to 1) is composited over a grey `background` (default 1, white, as a page
 *    shows a transparent image): a·Y + (1 − a)·background.
 * 2. **Resize** ({@link resizeArea}) to `grid` (default {@link DEFAULT_GRID}, 28 × 28, MNIST's):
 *    each grid cell is the mean of the source area it covers, partly covered source pixels
 *    weighted by the fraction covered (a box filter). An integer downscale (16 → 8) averages
 *    whole blocks exactly; an upscale repeats pixels (a cell inside one source pixel takes its
 *    value). The image is stretched to the grid: its aspect ratio is not kept.
 * 3. **Invert** (option `invert`, default false): v → 1 − v, so that dark strokes on a light
 *    ground (ink on paper) become bright on dark, as MNIST's digits are (white on black). The
 *    network's inputs are then the bright parts.
 * 4. The data set's scaling ({@link fitScaling} with `per = 'all'`, see
 *    {@link defaultScalingPer}) maps the train split's darkest to brightest value onto the
 *    activation's range when a network trains on it.
 *
 * Class names are the folders' names, sorted as {@link indexLabels} sorts labels: numerically
 * when every name is an integer (folders 0 to 9, then 10), else by UTF-16 code units; the rows
 * keep the order of `images`.
 */
import { DataError, type Dataset, indexLabels } from './dataset';

/** One decoded image, as a decoder gives it. */
export interface DecodedImage {
  /** Its path inside the folder, zip or drop (for messages), e.g. `bar/3.png`. */
  file: string;
  /** The class: the name of the folder it is in. */
  className: string;
  width: number;
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA: interleaved 8-bit values per pixel. */
  channels: 1 | 2 | 3 | 4;
  /** width × height × channels values, 0 to 255, row-major from the top-left. */
  pixels: ArrayLike<number>;
}

/** A grid of width × height cells. */
export interface Grid {
  width: number;
  height: number;
}

/** How images become rows. */
export interface ImageOptions {
  /** The grid every image is resized to. Default {@link DEFAULT_GRID} (28 × 28). */
  grid?: Grid;
  /** Invert the grey values (v → 1 − v) after resizing. Default false. */
  invert?: boolean;
  /** The grey level (0 black to 1 white) that transparent pixels are composited over. Default 1. */
  background?: number;
}

/** The default grid: 28 × 28, MNIST's. */
export const DEFAULT_GRID: Readonly<Grid> = Object.freeze({ width: 28, height: 28 });

/** The largest grid side accepted (a 256 × 256 grid is 65,536 inputs). */
export const MAX_GRID_SIDE = 256;

/** The Rec. 601 luma weights of R, G and B. */
export const LUMA_601 = Object.freeze([0.299, 0.587, 0.114] as const);

/** The options with their defaults, checked; throws a RangeError naming a bad value. */
export function imageOptions(options: ImageOptions = {}): Required<ImageOptions> {
  const grid = options.grid ?? DEFAULT_GRID;
  for (const side of ['width', 'height'] as const) {
    const v = grid[side];
    if (!Number.isInteger(v) || v < 1 || v > MAX_GRID_SIDE) {
      throw new RangeError(`grid ${side} must be an integer from 1 to ${MAX_GRID_SIDE}, got ${v}`);
    }
  }
  const background = options.background ?? 1;
  if (!(background >= 0 && background <= 1)) {
    throw new RangeError(`background must be a grey level from 0 to 1, got ${background}`);
  }
  return {
    grid: { width: grid.width, height: grid.height },
    invert: options.invert ?? false,
    background,
  };
}

/**
 * The grey values of `image` in [0, 1], width × height, row-major (step 1 above): Rec. 601
 * luma of R, G, B, alpha composited over `background`.
 */
export function toGrey(image: DecodedImage, background = 1): Float32Array {
  const { width, height, channels, pixels } = image;
  const n = width * height;
  if (pixels.length !== n * channels) {
    throw new DataError(
      'image',
      image.file,
      undefined,
      `expected ${width} × ${height} × ${channels} = ${n * channels} pixel values, got ${pixels.length}`,
    );
  }
  const out = new Float32Array(n);
  const [wr, wg, wb] = LUMA_601;
  for (let i = 0; i < n; i++) {
    const p = i * channels;
    const y =
      channels >= 3
        ? (wr * pixels[p] + wg * pixels[p + 1] + wb * pixels[p + 2]) / 255
        : pixels[p] / 255;
    const a = channels === 4 ? pixels[p + 3] / 255 : channels === 2 ? pixels[p + 1] / 255 : 1;
    out[i] = a * y + (1 - a) * background;
  }
  return out;
}

/**
 * Area-average resize of a width × height grey image to `grid` (step 2 above): cell (cx, cy)
 * covers the source rectangle [cx·w/W, (cx+1)·w/W) × [cy·h/H, (cy+1)·h/H), and its value is
 * Σ overlap(pixel, cell) · value / area(cell). Writes `out` (grid.width × grid.height) and
 * returns it.
 */
export function resizeArea(
  grey: ArrayLike<number>,
  width: number,
  height: number,
  grid: Grid,
  out = new Float32Array(grid.width * grid.height),
): Float32Array {
  const xs = boxWeights(width, grid.width);
  const ys = boxWeights(height, grid.height);
  for (let cy = 0; cy < grid.height; cy++) {
    const ry = ys[cy];
    for (let cx = 0; cx < grid.width; cx++) {
      const rx = xs[cx];
      let sum = 0;
      for (let a = 0; a < ry.index.length; a++) {
        const row = ry.index[a] * width;
        let line = 0;
        for (let b = 0; b < rx.index.length; b++) line += rx.weight[b] * grey[row + rx.index[b]];
        sum += ry.weight[a] * line;
      }
      out[cy * grid.width + cx] = sum;
    }
  }
  return out;
}

/**
 * For each of `cells` cells along a side of `size` pixels: the pixels it overlaps and the
 * fraction of the cell each covers (they sum to 1).
 */
function boxWeights(size: number, cells: number): { index: number[]; weight: number[] }[] {
  const scale = size / cells;
  return Array.from({ length: cells }, (_, c) => {
    const start = c * scale;
    const end = (c + 1) * scale;
    const index: number[] = [];
    const weight: number[] = [];
    for (let p = Math.floor(start); p < Math.min(size, Math.ceil(end)); p++) {
      const overlap = Math.min(end, p + 1) - Math.max(start, p);
      if (overlap > 0) {
        index.push(p);
        weight.push(overlap / scale);
      }
    }
    return { index, weight };
  });
}

/**
 * One row of the data set from one image: grey, resized to the grid, inverted if asked (steps 1
 * to 3 above), into `out`.
 */
export function imageRow(
  image: DecodedImage,
  options: Required<ImageOptions>,
  out = new Float32Array(options.grid.width * options.grid.height),
): Float32Array {
  resizeArea(toGrey(image, options.background), image.width, image.height, options.grid, out);
  if (options.invert) for (let i = 0; i < out.length; i++) out[i] = 1 - out[i];
  return out;
}

/**
 * A data set of images: one row per image (in the order given), its class the image's
 * `className`, features named `r{row}c{column}` of the grid, `shape` the grid. `source` names the
 * folder, zip or drop in messages. Throws a {@link DataError} with fewer than two classes.
 */
export function imagesToDataset(
  images: readonly DecodedImage[],
  options: ImageOptions = {},
  source = 'images',
): Dataset {
  const o = imageOptions(options);
  const { width, height } = o.grid;
  const dim = width * height;
  const { labels, classNames } = indexLabels(
    images.map((image) => image.className),
    source,
  );
  if (classNames.length < 2) {
    throw new DataError(
      'classes',
      source,
      undefined,
      classNames.length === 0
        ? 'no images (expected one folder of images per class)'
        : `one class ("${classNames[0]}"): expected at least two class folders`,
    );
  }
  const inputs = new Float32Array(images.length * dim);
  images.forEach((image, i) => imageRow(image, o, inputs.subarray(i * dim, (i + 1) * dim)));
  const featureNames: string[] = [];
  for (let r = 0; r < height; r++) for (let c = 0; c < width; c++) featureNames.push(`r${r}c${c}`);
  return {
    inputs,
    labels,
    classNames,
    featureNames,
    count: images.length,
    dim,
    shape: { width, height },
  };
}

/** `WxH` (e.g. `28x28`, `16X12`) as a grid; throws a RangeError naming the bad text. */
export function parseGrid(text: string): Grid {
  const m = /^\s*(\d+)\s*[xX×]\s*(\d+)\s*$/.exec(text);
  const grid = m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
  if (
    !grid ||
    [grid.width, grid.height].some((v) => !Number.isInteger(v) || v < 1 || v > MAX_GRID_SIDE)
  ) {
    throw new RangeError(
      `grid must be WxH with sides from 1 to ${MAX_GRID_SIDE} (e.g. 28x28), got "${text}"`,
    );
  }
  return grid;
}

// ---------------------------------------------------------------------------------------------
// The layout: which files of a folder, zip or drop are images of which class.

/** An entry of a folder, zip or drop: its path inside (`/`-separated), a file or a folder. */
export interface LayoutEntry {
  path: string;
  /** True for a folder (a zip's `name/` entry, a directory). */
  folder?: boolean;
  /** The file's size in bytes as stored, when known (checked against the budget). */
  size?: number;
}

/** An image file of the layout and its class. */
export interface LayoutImage {
  /** The path inside the folder, zip or drop, as the entry gave it. */
  path: string;
  className: string;
  size?: number;
}

/** Files that operating systems leave beside images, skipped: dot files, `__MACOSX/`, `Thumbs.db`. */
const SKIPPED = (part: string) =>
  part.startsWith('.') || part === '__MACOSX' || part === 'Thumbs.db';

/**
 * Checks the layout of a folder, a zip or a drop and says which file is which class: one folder
 * per class, the images directly in them (`CLASS/IMAGE`). When every entry is under one folder
 * that holds the class folders (`digits/0/a.png`, as zipping a folder makes), that folder is the
 * root. Dot files, `__MACOSX/` and `Thumbs.db` are skipped. Throws a {@link DataError} naming
 * the entry: a path that escapes (`../`, an absolute path), a file beside the class folders, a
 * folder inside a class folder, an empty class folder, more than `maxFiles` images, more than
 * `maxBytes` bytes of images in all; or fewer than two classes.
 */
export function imageLayout(
  entries: readonly LayoutEntry[],
  source: string,
  limits: { maxFiles: number; maxBytes: number },
): LayoutImage[] {
  const items: { parts: string[]; entry: LayoutEntry }[] = [];
  for (const entry of entries) {
    const path = entry.path.replace(/\\/g, '/');
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || parts.includes('..')) {
      throw new DataError(
        'path',
        source,
        entry.path,
        'a path that leaves the archive (expected CLASS/IMAGE inside it)',
      );
    }
    if (parts.length === 0 || parts.some(SKIPPED)) continue;
    items.push({ parts, entry });
  }
  // One folder around the class folders: strip it.
  const tops = new Set(items.map((i) => i.parts[0]));
  if (tops.size === 1 && items.some((i) => i.parts.length >= 3)) {
    for (const i of items) i.parts = i.parts.slice(1);
  }
  const classes = new Map<string, number>();
  const images: LayoutImage[] = [];
  let bytes = 0;
  for (const { parts, entry } of items) {
    if (parts.length === 0) continue; // the root folder itself
    if (parts.length === 1 && !entry.folder) {
      throw new DataError(
        'layout',
        source,
        entry.path,
        'a file beside the class folders (expected every image inside a folder named by its class)',
      );
    }
    if (parts.length > 2 || (parts.length === 2 && entry.folder)) {
      throw new DataError(
        'layout',
        source,
        entry.path,
        'nested too deep (expected CLASS/IMAGE: the images directly inside their class folder)',
      );
    }
    const className = parts[0];
    if (!classes.has(className)) classes.set(className, 0);
    if (entry.folder) continue;
    classes.set(className, classes.get(className)! + 1);
    if (images.length === limits.maxFiles) {
      throw new DataError(
        'too-many-files',
        source,
        undefined,
        `more than ${limits.maxFiles} image files, over the limit`,
      );
    }
    bytes += entry.size ?? 0;
    if (bytes > limits.maxBytes) {
      throw new DataError(
        'too-large',
        source,
        entry.path,
        `${bytes} bytes of images up to here, over the budget of ${limits.maxBytes} bytes`,
      );
    }
    images.push({ path: entry.path, className, size: entry.size });
  }
  for (const [name, count] of classes) {
    if (count === 0) {
      throw new DataError(
        'empty',
        source,
        `${name}/`,
        'an empty class folder (expected at least one image in it)',
      );
    }
  }
  if (classes.size < 2) {
    throw new DataError(
      'classes',
      source,
      undefined,
      classes.size === 0
        ? 'no class folders (expected one folder of images per class)'
        : `one class folder ("${[...classes.keys()][0]}"): expected at least two`,
    );
  }
  return images;
}

/** An image too big to decode, as the decoders report it before decoding. */
export function checkPixels(
  source: string,
  path: string,
  width: number,
  height: number,
  maxPixels: number,
): void {
  if (!(width > 0 && height > 0)) {
    throw new DataError('image', source, path, `an image of ${width} × ${height} pixels`);
  }
  if (width * height > maxPixels) {
    throw new DataError(
      'too-large',
      source,
      path,
      `${width} × ${height} = ${width * height} pixels, over the limit of ${maxPixels} pixels an image`,
    );
  }
}

/** The PNG file signature: 89 50 4E 47 0D 0A 1A 0A. */
export const PNG_SIGNATURE = Object.freeze([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Whether `bytes` begins with the PNG signature. */
export const isPng = (bytes: Uint8Array): boolean =>
  bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);

/**
 * A PNG's width and height from its IHDR chunk (bytes 16 to 23), read without decoding, so
 * that an image too big is refused before its pixels are; undefined when `bytes` is not a PNG
 * or is too short to hold the header.
 */
export function pngSize(bytes: Uint8Array): Grid | undefined {
  if (!isPng(bytes) || bytes.length < 24) return undefined;
  const ihdr = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  if (ihdr !== 'IHDR') return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The first bytes of `bytes` in hex, for messages ("68 65 6c 6c"). */
export const hexStart = (bytes: Uint8Array, n = 8): string =>
  Array.from(bytes.subarray(0, n), (b) => b.toString(16).padStart(2, '0')).join(' ') ||
  'an empty file';
