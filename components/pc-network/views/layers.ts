/**
 * The network itself, output layer on top: every layer's state nodes x and error nodes ε.
 * Layers of up to {@link SMALL_LAYER} nodes are SVG, one slot per node (a circle for x, a square
 * for ε below it); larger layers are two canvas grids, painted by the element after render.
 * Between two small layers, the M and W connections are thin lines (M left, W right of each
 * pair) from the upper layer's ε nodes to the lower layer's x nodes: M carries σ(x(i)) up
 * into the prediction of ε(i+1), W carries ε(i+1) back down to x(i). An input layer of
 * {@link DRAWABLE_SIZE} nodes can be drawn on (see `drawing.ts`), with a Clear button.
 */
import { html, nothing, svg, type TemplateResult } from 'lit';
import type { SimulationSnapshot } from '../../controllers/simulation';
import { DRAWABLE_SIZE } from '../drawing';
import { divergingFill, formatValue, symmetricScale } from './colour';
import { gridShape, SMALL_LAYER } from './grid';

/** What the data tell of the network's nodes: its class names, its input's image shape. */
export interface LayerLabels {
  /** The output nodes' class names (null: none). */
  classNames: readonly string[] | null;
  /** The input layer's width × height (image data: drawn as that grid, whatever its size). */
  inputShape: { width: number; height: number } | null;
}

const NO_LABELS: LayerLabels = { classNames: null, inputShape: null };

/** Connections are drawn between two small layers with at most this many pairs. */
export const MAX_DRAWN_CONNECTIONS = 512;

const layerRole = (l: number, depth: number): string =>
  l === 0 ? 'input' : l === depth - 1 ? 'output' : 'hidden';

/**
 * The accessible name of a node: the layer counted from 1 (the paper's layer l + 1), the node
 * from 0 within its layer, so that output node k is class k.
 */
export function nodeLabel(
  l: number,
  i: number,
  x: number,
  eps: number,
  clamped: boolean,
  className?: string,
): string {
  const node = className === undefined ? `node ${i}` : `node ${i} (${className})`;
  const state = `layer ${l + 1} ${node}, state ${formatValue(x)}, error ${formatValue(eps)}`;
  return clamped ? `${state}, clamped` : state;
}

/** `clearDrawing` clears a drawn input (its button shows when the input can be drawn on). */
export function layersView(
  snap: SimulationSnapshot,
  clearDrawing: () => void,
  labels: LayerLabels = NO_LABELS,
): TemplateResult {
  const rows: TemplateResult[] = [];
  for (let l = snap.sizes.length - 1; l >= 0; l--) {
    rows.push(layerView(snap, l, clearDrawing, labels));
    if (l > 0) rows.push(connectionsView(snap, l - 1));
  }
  return html`${rows}`;
}

function layerView(
  snap: SimulationSnapshot,
  l: number,
  clearDrawing: () => void,
  labels: LayerLabels,
) {
  const n = snap.sizes[l];
  const shape = l === 0 ? labels.inputShape : null;
  const image = shape !== null && shape.width * shape.height === n;
  const small = n <= SMALL_LAYER && !image;
  const { rows, cols } = image ? { rows: shape.height, cols: shape.width } : gridShape(n);
  const names = l === snap.sizes.length - 1 ? labels.classNames : null;
  const title = `Layer ${l + 1} · ${layerRole(l, snap.sizes.length)} · ${n} nodes`;
  const drawable = l === 0 && n === DRAWABLE_SIZE;
  return html`<section class="layer" part="layer" data-layer=${l}>
    <h3 class="layer-title">${small ? title : `${title} (${rows} × ${cols} grid)`}</h3>
    ${small ? nodesView(snap, l, names) : gridsView(snap, l, rows, cols, drawable)}
    ${
      drawable
        ? html`<p class="draw-tools">
            <span>Draw a digit on the state grid: it becomes the input X when you let go.</span>
            <button part="button" class="clear" @click=${clearDrawing}>Clear</button>
          </p>`
        : nothing
    }
  </section>`;
}

function nodesView(
  snap: SimulationSnapshot,
  l: number,
  names: readonly string[] | null,
): TemplateResult {
  const n = snap.sizes[l];
  const x = snap.x[l];
  const eps = snap.eps[l];
  const clamped = snap.clamped[l];
  const sx = symmetricScale(x);
  const se = symmetricScale(eps);
  const slots = Array.from({ length: n }, (_, i) => {
    const held = clamped[i] === 1;
    // A slot is 24 units wide and the circle 20 across, so that it is --pc-node-size wide
    // (styles: the SVG is 3 node sizes = 60 units tall) until the layer runs out of width.
    return svg`<svg x="${(100 * i) / n}%" width="${100 / n}%" height="100%" viewBox="-12 0 24 60"
      preserveAspectRatio="xMidYMin meet" overflow="visible">
      <line class="pair" x1="0" y1="22" x2="0" y2="44"></line>
      ${held ? svg`<circle class="ring" cx="0" cy="12" r="11.6"></circle>` : nothing}
      <circle class="x" cx="0" cy="12" r="10" tabindex="0" role="button"
        data-node data-kind="x" data-layer=${l} data-index=${i} data-value=${String(x[i])}
        aria-label=${nodeLabel(l, i, x[i], eps[i], held, names?.[i])}
        style="fill: ${divergingFill(x[i], sx)}"></circle>
      <rect class="eps" x="-6" y="45" width="12" height="12" rx="2.4"
        data-kind="eps" data-layer=${l} data-index=${i} data-value=${String(eps[i])}
        style="fill: ${divergingFill(eps[i], se)}"></rect>
    </svg>`;
  });
  return html`<div class="cell" style="--_n: ${n}">
    <svg class="nodes" part="nodes" role="group" aria-label="layer ${l + 1} nodes">${slots}</svg>
  </div>`;
}

function gridsView(
  snap: SimulationSnapshot,
  l: number,
  rows: number,
  cols: number,
  drawable: boolean,
) {
  const grid = (kind: 'x' | 'eps', values: Float32Array) => {
    const what = kind === 'x' ? 'states' : 'errors';
    const [low, high] = extent(values);
    const range = `from ${formatValue(low)} to ${formatValue(high)}`;
    const draw = drawable && kind === 'x';
    return html`<figure class="grid">
      <canvas
        part="grid"
        class=${draw ? 'drawable' : ''}
        ?data-draw=${draw}
        data-grid
        data-layer=${l}
        data-kind=${kind}
        width=${cols}
        height=${rows}
        style="--_cols: ${cols}"
        role="img"
        aria-label="layer ${l + 1} ${what} as a ${rows} by ${cols} grid, ${range}${
          draw ? '; draw a digit here with a mouse, pen or finger' : ''
        }"
      ></canvas>
      <figcaption>${kind === 'x' ? 'state x' : 'error ε'}</figcaption>
    </figure>`;
  };
  return html`<div class="grids">${grid('x', snap.x[l])}${grid('eps', snap.eps[l])}</div>`;
}

/** M(l) and W(l) between layer l (below) and l+1 (above), or a plain gap. */
function connectionsView(snap: SimulationSnapshot, l: number): TemplateResult {
  const below = snap.sizes[l];
  const above = snap.sizes[l + 1];
  if (below > SMALL_LAYER || above > SMALL_LAYER || below * above > MAX_DRAWN_CONNECTIONS) {
    return html`<div class="gap" aria-hidden="true"></div>`;
  }
  if (!snap.weights) {
    // Not received yet (from the worker): the same room, so that nothing moves when they come.
    return html`<div class="cell" aria-hidden="true"><svg class="edges" part="edges"></svg></div>`;
  }
  const M = snap.weights.M[l]; // above × below
  const W = snap.weights.W[l]; // below × above
  const scale = Math.max(symmetricScale(M, 1e-6), symmetricScale(W, 1e-6));
  const lines = (weight: (j: number, i: number) => number) => {
    const out = [];
    for (let j = 0; j < above; j++) {
      for (let i = 0; i < below; i++) {
        const w = weight(j, i);
        out.push(svg`<line x1="${(100 * (j + 0.5)) / above}%" y1="0"
          x2="${(100 * (i + 0.5)) / below}%" y2="100%" class=${w >= 0 ? 'pos' : 'neg'}
          stroke-opacity=${(0.1 + 0.9 * Math.min(1, Math.abs(w) / scale)).toFixed(3)}></line>`);
      }
    }
    return out;
  };
  return html`<div class="cell" aria-hidden="true">
    <svg class="edges" part="edges">
      <g class="m" transform="translate(-1.2 0)">${lines((j, i) => M[j * below + i])}</g>
      <g class="w" transform="translate(1.2 0)">${lines((j, i) => W[i * above + j])}</g>
    </svg>
  </div>`;
}

/** The smallest and largest of `values` (a loop: spreading 784 arguments is slow). */
function extent(values: Float32Array): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}
