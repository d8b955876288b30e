/**
 * Sheets of 28 × 28 digits as greyscale PNG files (Node only: the CLI's `--images`). Each row of
 * the sheet is a list of images; each image is scaled to its own range (its smallest value
 * black, its largest white), as the MNIST page and the paper's figures show them.
 */
import { writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { greyLevels } from '../data/mnist';

const SIDE = 28;
/** Pixels between digits and around the sheet. */
const GAP = 2;

/** The PNG's greyscale pixels for rows of 784-value images (grey 0x40 between them). */
export function digitSheet(rows: readonly (readonly ArrayLike<number>[])[]): {
  width: number;
  height: number;
  pixels: Uint8Array;
} {
  const columns = Math.max(1, ...rows.map((r) => r.length));
  const width = GAP + columns * (SIDE + GAP);
  const height = GAP + rows.length * (SIDE + GAP);
  const pixels = new Uint8Array(width * height).fill(0x40);
  rows.forEach((row, r) =>
    row.forEach((image, c) => {
      if (image.length !== SIDE * SIDE) {
        throw new RangeError(`image ${c} of row ${r} has ${image.length} values, not 784`);
      }
      const grey = greyLevels(image);
      const x0 = GAP + c * (SIDE + GAP);
      const y0 = GAP + r * (SIDE + GAP);
      for (let y = 0; y < SIDE; y++) {
        pixels.set(grey.subarray(y * SIDE, (y + 1) * SIDE), (y0 + y) * width + x0);
      }
    }),
  );
  return { width, height, pixels };
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An 8-bit greyscale PNG of `pixels` (row-major, `width` × `height`). */
export function encodePng(width: number, height: number, pixels: Uint8Array): Uint8Array {
  if (pixels.length !== width * height) {
    throw new RangeError(`${pixels.length} pixels for a ${width} × ${height} image`);
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 0, 0, 0, 0], 8); // 8 bits, greyscale, deflate, no filter method, no interlace
  const raw = new Uint8Array(height * (width + 1)); // each row: filter type 0, then its pixels
  for (let y = 0; y < height; y++)
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Writes rows of 784-value images as one PNG sheet (see {@link digitSheet}). */
export async function writeDigitSheet(
  path: string,
  rows: readonly (readonly ArrayLike<number>[])[],
): Promise<void> {
  const { width, height, pixels } = digitSheet(rows);
  await writeFile(path, encodePng(width, height, pixels));
}
