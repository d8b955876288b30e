/**
 * A small SVG chart for the committed study results: points (each with an optional label) and
 * lines over two numeric axes with ticks, drawn in the page's colours. Static data, so plain
 * SVG serves better than `<pc-plot>` (a live, time-ordered line chart): scatter points with
 * labels and a front joining them are not a time series.
 */
const SVG = 'http://www.w3.org/2000/svg';

export interface Series {
  name: string;
  colour: string;
  points: { x: number; y: number; label?: string }[];
  /** Join the points with a line (in the given order). */
  line?: boolean;
  /** Draw the points as dots (default true). */
  dots?: boolean;
  /** Muted, behind the others. */
  behind?: boolean;
  dashed?: boolean;
}

export interface ChartOptions {
  xLabel: string;
  yLabel: string;
  /** The accessible name: what the chart shows, in words. */
  title: string;
  width?: number;
  height?: number;
}

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attrs: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

/** About five round ticks across [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const span = hi - lo || 1;
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Math.round(t / step) * step);
  }
  return out;
}

const tickText = (v: number) => String(Number(v.toPrecision(3)));

/** The chart of `series` as an SVG element (role img, named by `title`). */
export function chart(series: readonly Series[], options: ChartOptions): SVGSVGElement {
  const width = options.width ?? 440;
  const height = options.height ?? 340;
  const m = { left: 52, right: 16, top: 14, bottom: 42 };
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x + p.y));
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const pad = (lo: number, hi: number) => {
    const d = (hi - lo || Math.abs(hi) || 1) * 0.08;
    return [lo - d, hi + d];
  };
  const [x0, x1] = pad(Math.min(...xs), Math.max(...xs));
  const [y0, y1] = pad(Math.min(...ys), Math.max(...ys));
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * (width - m.left - m.right);
  const sy = (y: number) =>
    height - m.bottom - ((y - y0) / (y1 - y0)) * (height - m.top - m.bottom);
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' });
  svg.setAttribute('aria-label', options.title);
  for (const t of ticks(x0, x1)) {
    el('line', { x1: sx(t), x2: sx(t), y1: m.top, y2: height - m.bottom, class: 'grid' }, svg);
    const label = el('text', { x: sx(t), y: height - m.bottom + 14, 'text-anchor': 'middle' }, svg);
    label.textContent = tickText(t);
  }
  for (const t of ticks(y0, y1)) {
    el('line', { x1: m.left, x2: width - m.right, y1: sy(t), y2: sy(t), class: 'grid' }, svg);
    const label = el('text', { x: m.left - 6, y: sy(t) + 4, 'text-anchor': 'end' }, svg);
    label.textContent = tickText(t);
  }
  const xl = el(
    'text',
    { x: (m.left + width - m.right) / 2, y: height - 8, 'text-anchor': 'middle' },
    svg,
  );
  xl.textContent = options.xLabel;
  const yl = el(
    'text',
    {
      x: 0,
      y: 0,
      'text-anchor': 'middle',
      transform: `translate(14 ${(m.top + height - m.bottom) / 2}) rotate(-90)`,
    },
    svg,
  );
  yl.textContent = options.yLabel;
  /** Labels placed so far, as boxes: a new one takes the first free spot around its point. */
  const dots = series
    .filter((s) => !s.behind && s.dots !== false)
    .flatMap((s) => s.points)
    .filter((p) => Number.isFinite(p.x + p.y))
    .map((p) => [sx(p.x), sy(p.y)] as const);
  const placed = dots.map(([x, y]) => ({ x: x - 5, y: y - 5, w: 10, h: 10 }));
  const placeLabel = (g: SVGGElement, text: string, px: number, py: number) => {
    const w = text.length * 6.5;
    const h = 12;
    const spots = [
      [8, -6, 'start'],
      [8, 14, 'start'],
      [-8, -6, 'end'],
      [-8, 14, 'end'],
      [10, 4, 'start'],
      [-10, 4, 'end'],
      [8, -18, 'start'],
      [-8, -18, 'end'],
      [8, 26, 'start'],
      [-8, 26, 'end'],
    ] as const;
    const box = ([dx, dy, anchor]: (typeof spots)[number]) => ({
      x: anchor === 'start' ? px + dx : px + dx - w,
      y: py + dy - h + 2,
      w,
      h,
    });
    const free = (b: { x: number; y: number; w: number; h: number }) =>
      b.x >= m.left &&
      b.x + b.w <= width - 2 &&
      b.y >= 0 &&
      !placed.some((o) => b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h);
    // Nearer its own point than any other, so that it cannot be read as another's.
    const own = (b: { x: number; y: number; w: number; h: number }) => {
      const gap = (qx: number, qy: number) =>
        Math.hypot(Math.max(b.x - qx, 0, qx - b.x - b.w), Math.max(b.y - qy, 0, qy - b.y - b.h));
      const mine = gap(px, py);
      return dots.every(([qx, qy]) => (qx === px && qy === py) || gap(qx, qy) > mine + 2);
    };
    // Where no spot is free, the one that covers the least of what is placed (and stays inside).
    const overlap = (b: { x: number; y: number; w: number; h: number }) =>
      placed.reduce(
        (sum, o) =>
          sum +
          Math.max(0, Math.min(b.x + b.w, o.x + o.w) - Math.max(b.x, o.x)) *
            Math.max(0, Math.min(b.y + b.h, o.y + o.h) - Math.max(b.y, o.y)),
        0,
      ) + (b.x < m.left || b.x + b.w > width - 2 || b.y < 0 ? 1e6 : 0);
    const leastCovering = () =>
      spots.reduce((best, s) => (overlap(box(s)) < overlap(box(best)) ? s : best), spots[0]);
    const spot =
      spots.find((s) => free(box(s)) && own(box(s))) ??
      spots.find((s) => free(box(s))) ??
      leastCovering();
    placed.push(box(spot));
    const t = el(
      'text',
      { x: px + spot[0], y: py + spot[1], class: 'label', 'text-anchor': spot[2] },
      g,
    );
    t.textContent = text;
  };
  const ordered = [...series.filter((s) => s.behind), ...series.filter((s) => !s.behind)];
  for (const s of ordered) {
    const g = el('g', { class: s.behind ? 'behind' : '' }, svg);
    const pts = s.points.filter((p) => Number.isFinite(p.x + p.y));
    if (s.line && pts.length > 1) {
      el(
        'polyline',
        {
          points: pts.map((p) => `${sx(p.x)},${sy(p.y)}`).join(' '),
          fill: 'none',
          stroke: s.behind ? 'var(--muted)' : s.colour,
          'stroke-width': 2,
          ...(s.dashed ? { 'stroke-dasharray': '5 4' } : {}),
        },
        g,
      );
    }
    if (s.dots !== false) {
      for (const p of pts) {
        el('circle', { cx: sx(p.x), cy: sy(p.y), r: s.behind ? 3.5 : 5, fill: s.colour }, g);
        if (p.label) placeLabel(g, p.label, sx(p.x), sy(p.y));
      }
    }
  }
  return svg;
}

/** A legend for `series` (those with a name). */
export function legend(series: readonly Series[]): HTMLUListElement {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  ul.setAttribute('aria-hidden', 'true');
  for (const s of series) {
    if (!s.name) continue;
    const li = document.createElement('li');
    li.innerHTML = `<svg viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="${s.behind ? 'var(--muted)' : s.colour}"/></svg>`;
    li.append(s.name);
    ul.append(li);
  }
  return ul;
}
