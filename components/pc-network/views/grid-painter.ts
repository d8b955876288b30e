/**
 * Paints the canvas grids of large layers from a snapshot, after each render. The colours come
 * from the element's computed custom properties, converted to RGB only when they change.
 */
import type { SimulationSnapshot } from '../../controllers/simulation';
import { cssColourToRgb, paintDiverging, type Palette, symmetricScale } from './colour';

export class GridPainter {
  private cache: { key: string; palette: Palette } | null = null;

  /** Paints every `canvas[data-grid]` under `root` (its `data-layer` and `data-kind`). */
  paint(root: ParentNode, snap: SimulationSnapshot): void {
    const canvases = root.querySelectorAll<HTMLCanvasElement>('canvas[data-grid]');
    if (canvases.length === 0) return;
    const palette = this.palette(canvases[0]);
    for (const canvas of canvases) {
      const l = Number(canvas.dataset.layer);
      const values = canvas.dataset.kind === 'x' ? snap.x[l] : snap.eps[l];
      const context = canvas.getContext('2d');
      if (!context || !values) continue;
      const image = context.createImageData(canvas.width, canvas.height);
      paintDiverging(image.data, values, symmetricScale(values), palette);
      context.putImageData(image, 0, 0);
    }
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
