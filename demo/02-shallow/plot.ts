/**
 * The 2-D view of the 3-D input space: points p drawn at ((p − o)·u, (p − o)·v) for a fixed
 * orthonormal pair u, v (the third direction is not shown), in an SVG whose user units are the
 * input space's units (up is +v).
 */

export interface Basis {
  origin: number[];
  u: number[];
  v: number[];
}

const NS = 'http://www.w3.org/2000/svg';
const CLASS_COLOURS = ['var(--class-0)', 'var(--class-1)'];

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}

export class ScatterPlot {
  private basis: Basis = { origin: [0, 0, 0], u: [1, 0, 0], v: [0, 1, 0] };
  private radius = 4;
  private readonly axes = el('g');
  private readonly training = el('g', { 'fill-opacity': 0.45 });
  private readonly lines = el('g', { 'clip-path': 'url(#plot-clip)' });
  private readonly samples = el('g', { 'fill-opacity': 0.55 });
  private readonly solutions = el('g');
  private readonly clip = el('rect');
  private squares: SVGRectElement[] = [];
  private squareSize = 0;

  constructor(
    private readonly svg: SVGSVGElement,
    legend: HTMLElement,
  ) {
    const clipPath = el('clipPath', { id: 'plot-clip' });
    clipPath.append(this.clip);
    const defs = el('defs');
    defs.append(clipPath);
    svg.append(defs, this.axes, this.training, this.lines, this.samples, this.solutions);
    legend.innerHTML = [0, 1]
      .map(
        (c) =>
          `<li><svg viewBox="-1 -1 2 2" aria-hidden="true"><circle r="0.7" style="fill: ${CLASS_COLOURS[c]}; fill-opacity: 0.5"/></svg>class ${c + 1} training data</li>`,
      )
      .concat([
        `<li><svg viewBox="-1 -1 2 2" aria-hidden="true"><rect x="-0.7" y="-0.7" width="1.4" height="1.4" style="fill: var(--class-0); stroke: currentColor; stroke-width: 0.15"/></svg>generated samples</li>`,
        `<li><svg viewBox="-1 -1 2 2" aria-hidden="true"><line x1="-1" x2="1" style="stroke: currentColor; stroke-width: 0.3; stroke-dasharray: 0.4 0.25"/></svg>solution line x̄ + c·n</li>`,
        `<li><svg viewBox="-1 -1 2 2" aria-hidden="true"><path d="M0 -0.9 L0.9 0 L0 0.9 L-0.9 0 Z" style="fill: var(--bg); stroke: currentColor; stroke-width: 0.2"/></svg>x̄ = M⁺y</li>`,
      ])
      .join('');
  }

  setBasis(basis: Basis): void {
    this.basis = basis;
  }

  /** Coordinates in the view of the 3-D point p. */
  project(p: ArrayLike<number>): [number, number] {
    const { origin, u, v } = this.basis;
    let a = 0;
    let b = 0;
    for (let j = 0; j < 3; j++) {
      a += (p[j] - origin[j]) * u[j];
      b += (p[j] - origin[j]) * v[j];
    }
    return [a, -b];
  }

  /** The training data, and the view's extent: the data plus room for the samples to spread. */
  drawTraining(inputs: Float32Array, labels: Uint8Array): void {
    let extent = 0;
    const points = Array.from(labels, (_, i) => this.project(inputs.subarray(3 * i, 3 * i + 3)));
    for (const [a, b] of points) extent = Math.max(extent, Math.abs(a), Math.abs(b));
    const R = (this.radius = Math.max(3.5, extent + 1.5));
    this.svg.setAttribute('viewBox', `${-R} ${-R} ${2 * R} ${2 * R}`);
    for (const [k, v] of Object.entries({ x: -R, y: -R, width: 2 * R, height: 2 * R })) {
      this.clip.setAttribute(k, String(v));
    }
    this.axes.replaceChildren(
      el('line', { class: 'axis', x1: -R, x2: R, y1: 0, y2: 0 }),
      el('line', { class: 'axis', x1: 0, x2: 0, y1: -R, y2: R }),
    );
    const r = R / 90;
    this.training.replaceChildren(
      ...points.map(([a, b], i) =>
        el('circle', { cx: a, cy: b, r, style: `fill: ${CLASS_COLOURS[labels[i]]}` }),
      ),
    );
  }

  /** One dashed line per class through `point` along `direction`, and ◆ at `point`. */
  drawLines(lines: { point: number[]; direction: number[] }[]): void {
    const R = this.radius;
    const s = R / 35;
    this.lines.replaceChildren();
    this.solutions.replaceChildren();
    lines.forEach(({ point, direction }, c) => {
      const [a0, b0] = this.project(point);
      const far = point.map((x, j) => x + direction[j]);
      const [a1, b1] = this.project(far);
      const [da, db] = [a1 - a0, b1 - b0];
      const t = (4 * R) / (Math.hypot(da, db) || 1);
      this.lines.append(
        el('line', {
          x1: a0 - t * da,
          y1: b0 - t * db,
          x2: a0 + t * da,
          y2: b0 + t * db,
          'vector-effect': 'non-scaling-stroke',
          'stroke-width': 2,
          'stroke-dasharray': '6 4',
          style: `stroke: ${CLASS_COLOURS[c]}`,
        }),
      );
      this.solutions.append(
        el('path', {
          d: `M${a0} ${b0 - s} L${a0 + s} ${b0} L${a0} ${b0 + s} L${a0 - s} ${b0} Z`,
          'vector-effect': 'non-scaling-stroke',
          'stroke-width': 2,
          style: `fill: var(--bg); stroke: ${CLASS_COLOURS[c]}`,
        }),
      );
    });
  }

  /** The generated samples x(1), count × 3, as squares (created once per batch size). */
  drawSamples(x: Float32Array, classes: Uint8Array): void {
    const s = this.radius / 45;
    if (this.squares.length !== classes.length || this.squareSize !== s) {
      this.squareSize = s;
      this.squares = Array.from(classes, (c) =>
        el('rect', {
          width: 2 * s,
          height: 2 * s,
          'vector-effect': 'non-scaling-stroke',
          'stroke-width': 0.75,
          style: `fill: ${CLASS_COLOURS[c]}; stroke: var(--fg)`,
        }),
      );
      this.samples.replaceChildren(...this.squares);
    }
    for (let i = 0; i < classes.length; i++) {
      const [a, b] = this.project(x.subarray(3 * i, 3 * i + 3));
      const square = this.squares[i];
      square.setAttribute('x', String(a - s));
      square.setAttribute('y', String(b - s));
    }
  }
}
