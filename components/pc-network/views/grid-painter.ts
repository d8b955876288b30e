/**
 * Paints the canvas grids of large layers from a snapshot, after each render. The colours come
 * from the element's computed custom properties, converted to RGB only when they change.
 */
import type { SimulationSnapshot } from '../../controllers/simulation';
import { cssColourToRgb, paintDiverging, type Palette, symmetricScale } from './colour';

export class GridPainter {
  private cache: { key: string; palette: Palette } | null = null;

  /**
   * Paints every `canvas[data-grid]` under `root` (its `data-layer` and `data-kind`); the state
   * canvas of layer 1 shows `input` instead when given (a digit being drawn).
   */
  paint(root: ParentNode, snap: SimulationSnapshot, input: ArrayLike<number> | null = null): void {
    const canvases = root.querySelectorAll<HTMLCanvasElement>('canvas[data-grid]');
    // One computed style a frame (each read after a render recalculates styles).
    const palette = canvases.length > 0 ? this.palette(canvases[0]) : null;
    for (const canvas of canvases) {
      const l = Number(canvas.dataset.layer);
      const x = canvas.dataset.kind === 'x';
      const values = x && l === 0 && input ? input : x ? snap.x[l] : snap.eps[l];
      if (values && palette) this.paintCanvas(canvas, values, palette);
    }
  }

  /** Paints `values` into one canvas, one pixel a value. */
  paintCanvas(
    canvas: HTMLCanvasElement,
    values: ArrayLike<number>,
    palette: Palette = this.palette(canvas),
  ): void {
    const context = canvas.getContext('2d');
    if (!context) return;
    const image = context.createImageData(canvas.width, canvas.height);
    paintDiverging(image.data, values, symmetricScale(values), palette);
    context.putImageData(image, 0, 0);
  }

  private palette(element: Element): Palette {
    const style = getComputedStyle(element);
    const css = ['--_pos', '--_neg', '--_zero'].map((name) => style.getPropertyValue(name).trim());
    const key = css.join('|');
    if (this.cache?.key !== key) {
      const [positive, negative, zero] = css.map(cssColourToRgb);
      this.cache = { key, palette: { positive, negative, zero } };
    }
    return this.cache.palette;
  }
}
