/**
 * A 2-D scatter plot in SVG of points already projected (by PCA here): the training data as
 * faint dots, generated samples as squares, E4's samples as stars. Points beyond the plot's
 * extent are pinned to its edge as hollow marks, so that a sample 100 units away still shows
 * where it went.
 */
const NS = 'http://www.w3.org/2000/svg';
export const CLASS_COLOURS = ['var(--class-0)', 'var(--class-1)', 'var(--class-2)'];

export type Point = readonly [number, number];
export interface Layer {
  points: readonly Point[];
  labels: ArrayLike<number>;
}

function node(name: string, attributes: Record<string, string | number>): SVGElement {
  const el = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, String(v));
  return el;
}

/** A five-pointed star of outer radius r centred at (x, y), as a path. */
function star(x: number, y: number, r: number): string {
  const points = Array.from({ length: 10 }, (_, i) => {
    const a = (Math.PI * i) / 5 - Math.PI / 2;
    const d = i % 2 === 0 ? r : r * 0.45;
    return `${(x + d * Math.cos(a)).toFixed(4)} ${(y + d * Math.sin(a)).toFixed(4)}`;
  });
  return `M${points.join(' L')} Z`;
}

export class PcaPlot {
  constructor(private readonly svg: SVGSVGElement) {}

  /** Redraws everything within [−R, R]² (up is the second coordinate). */
  draw(R: number, layers: { training: Layer; samples?: Layer; stars?: Layer }): void {
    const svg = this.svg;
    svg.setAttribute('viewBox', `${-R} ${-R} ${2 * R} ${2 * R}`);
    const unit = R / 100;
    const inside = (p: Point) => Math.abs(p[0]) <= R * 0.97 && Math.abs(p[1]) <= R * 0.97;
    /** A point outside pinned to the edge along the ray from the centre. */
    const pin = (p: Point): Point => {
      const s = (R * 0.97) / Math.max(Math.abs(p[0]), Math.abs(p[1]));
      return [p[0] * s, p[1] * s];
    };
    const children: SVGElement[] = [
      node('line', { class: 'axis', x1: -R, x2: R, y1: 0, y2: 0 }),
      node('line', { class: 'axis', x1: 0, x2: 0, y1: -R, y2: R }),
    ];
    const { training, samples, stars } = layers;
    training.points.forEach(([a, b], i) => {
      if (!inside([a, b])) return;
      children.push(
        node('circle', {
          cx: a,
          cy: -b,
          r: unit * 1.1,
          style: `fill: ${CLASS_COLOURS[training.labels[i]]}; fill-opacity: 0.35`,
        }),
      );
    });
    samples?.points.forEach((p, i) => {
      const [a, b] = inside(p) ? p : pin(p);
      const s = unit * 1.3;
      const colour = CLASS_COLOURS[samples.labels[i]];
      children.push(
        node('rect', {
          x: a - s,
          y: -b - s,
          width: 2 * s,
          height: 2 * s,
          'vector-effect': 'non-scaling-stroke',
          style: inside(p)
            ? `fill: ${colour}; fill-opacity: 0.6; stroke: var(--fg); stroke-width: 0.5`
            : `fill: none; stroke: ${colour}; stroke-width: 1.5`,
        }),
      );
    });
    stars?.points.forEach((p, i) => {
      const [a, b] = inside(p) ? p : pin(p);
      const colour = CLASS_COLOURS[stars.labels[i]];
      children.push(
        node('path', {
          d: star(a, -b, unit * 3.2),
          'vector-effect': 'non-scaling-stroke',
          style: inside(p)
            ? `fill: ${colour}; stroke: var(--fg); stroke-width: 1`
            : `fill: var(--bg); stroke: ${colour}; stroke-width: 2`,
        }),
      );
    });
    svg.replaceChildren(...children);
  }
}

/** The legend of both panels. */
export function legendHtml(): string {
  const swatch = (inner: string) => `<svg viewBox="-1 -1 2 2" aria-hidden="true">${inner}</svg>`;
  return [
    ...CLASS_COLOURS.map(
      (c, k) =>
        `<li>${swatch(`<circle r="0.7" style="fill: ${c}; fill-opacity: 0.5"/>`)}class ${k + 1}</li>`,
    ),
    `<li>${swatch('<rect x="-0.6" y="-0.6" width="1.2" height="1.2" style="fill: var(--fg); fill-opacity: 0.6"/>')}Table 1's samples (from random states)</li>`,
    `<li>${swatch(`<path d="${star(0, 0, 0.95)}" style="fill: var(--fg)"/>`)}Table 2's samples (E4, from the zero state)</li>`,
    `<li>${swatch('<rect x="-0.6" y="-0.6" width="1.2" height="1.2" style="fill: none; stroke: var(--fg); stroke-width: 0.25"/>')}hollow: beyond the edge, pinned there</li>`,
  ].join('');
}
