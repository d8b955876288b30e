/** Showing 28 × 28 images and bars, and a drawn digit as a short text for the page's link. */
import { greyLevels } from '../../src/data/mnist';

/** Paints a 28 × 28 image in grey: `lo` black, `hi` white (default: the image's own range). */
export function paintDigit(
  canvas: HTMLCanvasElement,
  image: ArrayLike<number>,
  lo?: number,
  hi?: number,
): void {
  canvas.width = 28;
  canvas.height = 28;
  const grey = greyLevels(image, lo, hi);
  const context = canvas.getContext('2d')!;
  const pixels = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) pixels.data.set([grey[i], grey[i], grey[i], 255], 4 * i);
  context.putImageData(pixels, 0, 0);
}

/** Ten canvases in `row` (made once), one per class. */
export function digitCanvases(row: HTMLElement, label: string): HTMLCanvasElement[] {
  if (row.children.length !== 10) {
    row.replaceChildren(
      ...Array.from({ length: 10 }, (_, k) => {
        const canvas = document.createElement('canvas');
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', `${label} ${k}`);
        return canvas;
      }),
    );
  }
  return Array.from(row.children) as HTMLCanvasElement[];
}

/** Ten bars from −1 to 1 (0 in the middle) with the class under each. */
export function drawBars(row: HTMLElement, values: readonly number[]): void {
  row.replaceChildren(
    ...values.map((v, k) => {
      const cell = document.createElement('div');
      const bar = document.createElement('span');
      const h = Math.min(1, Math.abs(v)) * 50;
      bar.style.height = `${h}%`;
      if (v < 0) bar.className = 'negative';
      cell.title = `class ${k}: cosine ${v.toFixed(3)}`;
      cell.append(bar);
      return cell;
    }),
  );
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A drawn digit (784 values in [0, 1]) in 4 grey levels, 3 pixels a character: 262 characters. */
export function encodeDigit(image: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < 784; i += 3) {
    let code = 0;
    for (let j = 0; j < 3; j++) {
      const v = i + j < 784 ? Math.round(Math.max(0, Math.min(1, image[i + j])) * 3) : 0;
      code = code * 4 + v;
    }
    out += ALPHABET[code];
  }
  return out.replace(/A+$/, '');
}

/** The image of {@link encodeDigit}'s text, or null if it is not one. */
export function decodeDigit(text: string): Float32Array | null {
  if (text.length === 0 || text.length > 262) return null;
  const image = new Float32Array(784);
  for (let c = 0; c < text.length; c++) {
    let code = ALPHABET.indexOf(text[c]);
    if (code < 0) return null;
    for (let j = 2; j >= 0; j--) {
      const i = 3 * c + j;
      if (i < 784) image[i] = (code % 4) / 3;
      code = Math.floor(code / 4);
    }
  }
  return image;
}
