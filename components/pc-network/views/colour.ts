/**
 * The diverging colour scale: 0 is the neutral `--_zero`, positive values mix towards
 * `--_pos` and negative ones towards `--_neg`, in proportion to |v| / scale (saturating at 1).
 * SVG nodes use CSS `color-mix` directly, so page themes apply as they change; canvases need
 * the colours as RGB, read once from the computed style.
 */

/** The scale for a row of values: the largest |v|, and at least `floor` (so noise stays pale). */
export function symmetricScale(values: ArrayLike<number>, floor = 0.01): number {
  let m = floor;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > m) m = a;
  }
  return m;
}

/** A CSS colour for `v` on the scale (`var(--_pos)`, `var(--_neg)`, `var(--_zero)`). */
export function divergingFill(v: number, scale: number): string {
  const t = v / scale;
  if (!Number.isFinite(t)) return 'var(--_zero)';
  const percent = Math.round(Math.min(1, Math.abs(t)) * 100);
  return `color-mix(in oklab, var(${t >= 0 ? '--_pos' : '--_neg'}) ${percent}%, var(--_zero))`;
}

export type Rgb = readonly [number, number, number];

export interface Palette {
  positive: Rgb;
  negative: Rgb;
  zero: Rgb;
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS colour the canvas understands, as sRGB bytes (black if it is not a colour). */
export function cssColourToRgb(css: string): Rgb {
  probe ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!probe) return [0, 0, 0];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = '#000';
  probe.fillStyle = css;
  probe.fillRect(0, 0, 1, 1);
  const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

/** Paints `values` into RGBA pixels on the diverging scale. */
export function paintDiverging(
  pixels: Uint8ClampedArray,
  values: ArrayLike<number>,
  scale: number,
  { positive, negative, zero }: Palette,
): void {
  for (let i = 0; i < values.length; i++) {
    const t = values[i] / scale;
    const far = t >= 0 ? positive : negative;
    const a = Number.isFinite(t) ? Math.min(1, Math.abs(t)) : 0;
    const o = 4 * i;
    pixels[o] = zero[0] + (far[0] - zero[0]) * a;
    pixels[o + 1] = zero[1] + (far[1] - zero[1]) * a;
    pixels[o + 2] = zero[2] + (far[2] - zero[2]) * a;
    pixels[o + 3] = 255;
  }
}

/** A value for people: three decimals, or three significant digits when very small or large. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(2);
  return v.toFixed(3);
}
