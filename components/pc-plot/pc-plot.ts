import { html, LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import uPlot from 'uplot';
import { formatValue } from '../pc-network/views/colour';
import { styles } from './pc-plot.styles';
import { SeriesBuffer } from './series-buffer';

/** Series colours, in order and cycled: readable on light and dark backgrounds alike. */
export const SERIES_COLOURS = ['#e8590c', '#1c7ed6', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599'];

/** The points kept when `capacity` is not a usable number. */
export const DEFAULT_CAPACITY = 600;

/**
 * A live line chart of the last `capacity` points of a few series over a shared x (simulated
 * time), drawn by uPlot. A page (or `<pc-network>`) feeds it with `push(x, values)`, about once
 * per display frame; the points live in a fixed ring of typed arrays ({@link SeriesBuffer}) and
 * several pushes in one task are drawn once, at Lit's next update. To assistive technology the
 * chart is an image named by a text summary of the newest values.
 *
 * Changing the number of series or the capacity clears the points.
 *
 * @csspart title - The title line.
 * @csspart chart - The chart (an image, with the summary as its name).
 * @csspart legend - The series names and their newest values.
 */
export class PcPlot extends LitElement {
  static override styles = styles;

  /** The title, also the start of the accessible summary. */
  @property() label = '';
  /** The names of the series (one y column each). */
  @property({ attribute: false }) series: readonly string[] = [];
  /** How many of the newest points are kept and drawn. */
  @property({ type: Number }) capacity = DEFAULT_CAPACITY;
  /** The chart's height in CSS pixels, axes included. */
  @property({ type: Number }) height = 120;
  /** The unit of x, for the summary. */
  @property() unit = 's';

  private buffer = new SeriesBuffer(0, DEFAULT_CAPACITY);
  private chart: uPlot | null = null;
  private resizer: ResizeObserver | null = null;

  /** The points held now. */
  get length(): number {
    return this.buffer.length;
  }

  /** The x of the newest point (NaN when empty). */
  get latestX(): number {
    return this.buffer.latest(0);
  }

  /** The newest value of series `s` (NaN when empty). */
  latest(s: number): number {
    return this.buffer.latest(s + 1);
  }

  /** Appends a point; x must not decrease (clear first when it starts over). */
  push(x: number, values: ArrayLike<number>): void {
    this.fitBuffer().push(x, values);
    this.requestUpdate();
  }

  clear(): void {
    this.fitBuffer().clear();
    this.requestUpdate();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.requestUpdate(); // the chart is made again in `updated`
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.destroyChart();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.fitBuffer();
    if (changed.has('series') || changed.has('capacity')) this.destroyChart();
  }

  /** The buffer, made anew if the series or the capacity changed (a host may push before the first update). */
  private fitBuffer(): SeriesBuffer {
    const c = this.capacity;
    const capacity = Number.isInteger(c) && c >= 2 ? c : DEFAULT_CAPACITY;
    const b = this.buffer;
    if (b.series !== this.series.length || b.capacity !== capacity) {
      this.buffer = new SeriesBuffer(this.series.length, capacity);
    }
    return this.buffer;
  }

  protected override render() {
    return html`<div class="title" part="title">${this.label}</div>
      <div class="chart" part="chart" role="img" aria-label=${this.summary()}></div>
      <ul class="legend" part="legend" aria-hidden="true">
        ${this.series.map(
          (name, s) =>
            html`<li style="--_c: ${colour(s)}">
              <span class="swatch"></span>${name} <output>${formatValue(this.latest(s))}</output>
            </li>`,
        )}
      </ul>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    if (!this.chart) this.createChart();
    else {
      if (changed.has('height'))
        this.chart.setSize({ width: this.chart.width, height: this.height });
      this.chart.setData(this.buffer.data);
    }
  }

  /** "Energy F: F −0.012 at 1.250 s (last 600 points)", or that there is no data yet. */
  private summary(): string {
    const n = this.buffer.length;
    if (n === 0) return `${this.label}: no data yet`;
    const values = this.series.map((name, s) => `${name} ${formatValue(this.latest(s))}`);
    const at = `${formatValue(this.latestX)} ${this.unit}`;
    return `${this.label}: ${values.join(', ')} at ${at} (last ${n} points)`;
  }

  private createChart(): void {
    const target = this.renderRoot.querySelector<HTMLElement>('.chart');
    if (!target) return;
    const style = getComputedStyle(this);
    const axis = {
      stroke: style.color,
      font: `11px ${style.fontFamily}`,
      grid: { stroke: translucent(style.color, 0.12), width: 1 },
      ticks: { stroke: translucent(style.color, 0.3), width: 1, size: 4 },
    };
    const options: uPlot.Options = {
      width: target.clientWidth || 300,
      height: this.height,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: { range: paddedRange } },
      axes: [
        { ...axis, space: 60, size: 28 },
        { ...axis, space: 30, size: (_, values) => 14 + 6.5 * longest(values) },
      ],
      series: [
        {},
        ...this.series.map((label, s) => ({
          label,
          stroke: colour(s),
          width: 1.5,
          points: { show: false },
        })),
      ],
    };
    const chart = (this.chart = new uPlot(options, this.buffer.data, target));
    this.resizer = new ResizeObserver(() => {
      const width = target.clientWidth;
      if (width > 0 && width !== chart.width) chart.setSize({ width, height: this.height });
    });
    this.resizer.observe(target);
  }

  private destroyChart(): void {
    this.resizer?.disconnect();
    this.resizer = null;
    this.chart?.destroy();
    this.chart = null;
  }
}

function colour(s: number): string {
  return SERIES_COLOURS[s % SERIES_COLOURS.length];
}

/** `rgb(r, g, b)` (a computed colour) at opacity `alpha`. */
function translucent(rgb: string, alpha: number): string {
  const match = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(rgb);
  return match ? `rgba(${match[1]},${match[2]},${match[3]},${alpha})` : rgb;
}

/** The y range: the data's, padded by a tenth; a flat line gets room around it. */
function paddedRange(_: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const pad = max > min ? (max - min) / 10 : Math.abs(max) / 10 || 1;
  return [min - pad, max + pad];
}

function longest(values: string[] | null | undefined): number {
  let n = 3;
  for (const v of values ?? []) n = Math.max(n, v.length);
  return n;
}

declare global {
  interface HTMLElementTagNameMap {
    'pc-plot': PcPlot;
  }
}
