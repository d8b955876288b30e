/**
 * A square canvas of the plane [−VIEW, VIEW]² (y up): the data as dots, generated samples as
 * crosses, class means as diamonds; redrawn at the canvas's size whenever that changes.
 */
import { type Points, VIEW } from './points';

/** What one canvas shows. */
export interface Scene {
  points: Points;
  /** Draw the data faint (under generated samples). */
  faint?: boolean;
  /** Generated samples, flat x, y, and the class of each. */
  samples?: { xy: ArrayLike<number>; classes: ArrayLike<number> };
  /** The class means, flat x, y (NaN for a class without points). */
  means?: ArrayLike<number>;
}

/**
 * The colour of class c: demo.css's Okabe-Ito class colours, the second and third swapped so
 * that two classes are vermilion and blue (the most apart), then three more of the palette.
 */
export function classColour(c: number): string {
  const extra = ['#56b4e9', '#f0e442', '#999999'];
  if (c < 3) {
    const css = ['--class-0', '--class-2', '--class-1'][c];
    return getComputedStyle(document.documentElement).getPropertyValue(css).trim();
  }
  return extra[(c - 3) % extra.length];
}

export class PlaneCanvas {
  private scene: Scene | null = null;

  constructor(readonly canvas: HTMLCanvasElement) {
    new ResizeObserver(() => this.redraw()).observe(canvas);
  }

  /** The plane's coordinates of a point of the viewport (a pointer event's clientX, clientY). */
  toPlane(clientX: number, clientY: number): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [
      ((clientX - r.left) / r.width) * 2 * VIEW - VIEW,
      VIEW - ((clientY - r.top) / r.height) * 2 * VIEW,
    ];
  }

  draw(scene: Scene): void {
    this.scene = scene;
    this.redraw();
  }

  /** How many samples lie outside the view (they are not drawn). */
  outside(): number {
    const xy = this.scene?.samples?.xy;
    if (!xy) return 0;
    let n = 0;
    for (let i = 0; i < xy.length; i += 2) {
      if (Math.abs(xy[i]) > VIEW || Math.abs(xy[i + 1]) > VIEW) n++;
    }
    return n;
  }

  private redraw(): void {
    const { canvas } = this;
    const dpr = devicePixelRatio || 1;
    const size = Math.round(canvas.clientWidth * dpr);
    if (size === 0) return;
    if (canvas.width !== size || canvas.height !== size) canvas.width = canvas.height = size;
    const g = canvas.getContext('2d')!;
    const css = getComputedStyle(canvas);
    g.clearRect(0, 0, size, size);
    const px = (x: number) => ((x + VIEW) / (2 * VIEW)) * size;
    const py = (y: number) => ((VIEW - y) / (2 * VIEW)) * size;
    const unit = size / 300;
    // Axes through the origin, and the square [−1, 1]² that loaded data is scaled to.
    g.strokeStyle = css.getPropertyValue('--line').trim() || '#ccc';
    g.lineWidth = unit;
    g.beginPath();
    g.moveTo(px(-VIEW), py(0));
    g.lineTo(px(VIEW), py(0));
    g.moveTo(px(0), py(-VIEW));
    g.lineTo(px(0), py(VIEW));
    g.stroke();
    g.setLineDash([3 * unit, 3 * unit]);
    g.strokeRect(px(-1), py(1), px(1) - px(-1), py(-1) - py(1));
    g.setLineDash([]);
    const s = this.scene;
    if (!s) return;
    const { xy, labels } = s.points;
    g.globalAlpha = s.faint ? 0.35 : 0.85;
    const r = (labels.length > 1000 ? 1.5 : 3) * unit;
    for (let i = 0; i < labels.length; i++) {
      g.fillStyle = classColour(labels[i]);
      g.beginPath();
      g.arc(px(xy[2 * i]), py(xy[2 * i + 1]), r, 0, 2 * Math.PI);
      g.fill();
    }
    g.globalAlpha = 1;
    if (s.samples) {
      const { xy: sx, classes } = s.samples;
      const a = 3.5 * unit;
      g.lineWidth = 1.6 * unit;
      for (let i = 0; i < classes.length; i++) {
        const x = px(sx[2 * i]);
        const y = py(sx[2 * i + 1]);
        if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
        g.strokeStyle = classColour(classes[i]);
        g.beginPath();
        g.moveTo(x - a, y - a);
        g.lineTo(x + a, y + a);
        g.moveTo(x - a, y + a);
        g.lineTo(x + a, y - a);
        g.stroke();
      }
    }
    if (s.means) {
      const m = s.means;
      const a = 6 * unit;
      g.lineWidth = 1.5 * unit;
      g.strokeStyle = css.color;
      for (let c = 0; c < m.length / 2; c++) {
        if (!Number.isFinite(m[2 * c])) continue;
        const x = px(m[2 * c]);
        const y = py(m[2 * c + 1]);
        g.fillStyle = classColour(c);
        g.beginPath();
        g.moveTo(x, y - a);
        g.lineTo(x + a, y);
        g.lineTo(x, y + a);
        g.lineTo(x - a, y);
        g.closePath();
        g.fill();
        g.stroke();
      }
    }
  }
}
