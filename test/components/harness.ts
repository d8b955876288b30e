/**
 * A small harness for `<pc-network>` tests: act as the host would, then read what the element
 * shows (its DOM or its `snapshot`), never its engine, which runs in a worker. Layer and node
 * indices are 0-based, as in the API.
 */
import { expect } from '@open-wc/testing';
import { PcPlot, type PcNetwork } from '../../components/index';

/** Resolves after the next display frame. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/** Resolves after `n` display frames. */
export async function frames(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await nextFrame();
}

/** Sets the input X and waits until the element shows it. */
export async function clampInput(el: PcNetwork, values: ArrayLike<number>): Promise<void> {
  el.clampInput(values);
  await el.updateComplete;
}

/**
 * Takes `n` ticks and waits until the element shows them: `updateComplete` waits for the
 * worker's answer to the step (a snapshot after it), then for the render.
 */
export async function stepTicks(el: PcNetwork, n: number): Promise<void> {
  el.step(n);
  await el.updateComplete;
}

/** Resolves once `condition()` holds, checking every frame; fails after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000) {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await nextFrame();
  }
}

/** Resolves after `ms` of real time (no frames needed). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Replaces the global `Worker` with a subclass that records every worker made and ended, until
 * `restore()`. `live()` lists those not terminated.
 */
export function trackWorkers() {
  const original = globalThis.Worker;
  const made: Worker[] = [];
  const ended = new Set<Worker>();
  globalThis.Worker = class extends original {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      made.push(this);
    }
    override terminate(): void {
      ended.add(this);
      super.terminate();
    }
  };
  return {
    made,
    live: () => made.filter((w) => !ended.has(w)),
    restore: () => void (globalThis.Worker = original),
  };
}

/** Counts the animation-frame callbacks that run (through `window.requestAnimationFrame`). */
export function countFrameCallbacks() {
  const original = window.requestAnimationFrame;
  let count = 0;
  window.requestAnimationFrame = (callback) =>
    original.call(window, (now) => {
      count++;
      callback(now);
    });
  return { count: () => count, restore: () => void (window.requestAnimationFrame = original) };
}

/** The SVG node of a small layer: `kind` 'x' (state) or 'eps' (error). */
export function nodeElement(
  el: PcNetwork,
  layer: number,
  index: number,
  kind: 'x' | 'eps' = 'x',
): SVGElement {
  const node = el.shadowRoot?.querySelector<SVGElement>(
    `[data-value][data-kind="${kind}"][data-layer="${layer}"][data-index="${index}"]`,
  );
  if (!node) {
    throw new Error(`no ${kind} node ${index} shown in layer ${layer} (large layers are images)`);
  }
  return node;
}

/** The value the element shows for a node of a small layer (full float precision). */
export function nodeValue(
  el: PcNetwork,
  layer: number,
  index: number,
  kind: 'x' | 'eps' = 'x',
): number {
  return Number(nodeElement(el, layer, index, kind).getAttribute('data-value'));
}

/** Every value shown for a small layer, in node order. */
export function layerValues(el: PcNetwork, layer: number, kind: 'x' | 'eps' = 'x'): number[] {
  const nodes = el.shadowRoot?.querySelectorAll(
    `[data-value][data-kind="${kind}"][data-layer="${layer}"]`,
  );
  return Array.from(nodes ?? [], (node) => Number(node.getAttribute('data-value')));
}

/** A field of the status line as shown: 'mode', 'tick', 'time', 'energy', 'equilibrium'. */
export function statusField(el: PcNetwork, field: string): string {
  return el.shadowRoot?.querySelector(`[data-field="${field}"]`)?.textContent?.trim() ?? '';
}

/** The message shown in the error part, or '' when there is none. */
export function shownError(el: PcNetwork): string {
  return el.shadowRoot?.querySelector('[part="error"]')?.textContent?.trim() ?? '';
}

/** Records every event of `type` that `el` sends. */
export function record<T>(el: EventTarget, type: string): CustomEvent<T>[] {
  const events: CustomEvent<T>[] = [];
  el.addEventListener(type, (e) => events.push(e as CustomEvent<T>));
  return events;
}

/** One of the element's plots: 'energy' (F) or 'errors' (‖ε(i)‖ per layer). */
export function plotOf(el: PcNetwork, which: 'energy' | 'errors'): PcPlot {
  const plot = el.shadowRoot?.querySelector(`pc-plot.${which}`);
  if (!(plot instanceof PcPlot)) throw new Error(`no ${which} plot shown`);
  return plot;
}

/** The canvas a digit is drawn on (the input layer's states, when it has 784 nodes). */
export function drawCanvas(el: PcNetwork): HTMLCanvasElement {
  const canvas = el.shadowRoot?.querySelector<HTMLCanvasElement>('canvas[data-draw]');
  if (!canvas) throw new Error('no canvas to draw on (the input layer must have 784 nodes)');
  return canvas;
}

/**
 * Draws one stroke through `points`, in pixels of the 28 × 28 image ([col, row], fractional),
 * with synthetic pointer events; `button` 0 is the primary (mouse left, pen tip, touch).
 */
export function drawStroke(
  el: PcNetwork,
  points: readonly (readonly [number, number])[],
  { button = 0, pointerType = 'mouse' } = {},
): void {
  const canvas = drawCanvas(el);
  const box = canvas.getBoundingClientRect();
  const init = ([col, row]: readonly [number, number]): PointerEventInit => ({
    clientX: box.left + canvas.clientLeft + (col / 28) * canvas.clientWidth,
    clientY: box.top + canvas.clientTop + (row / 28) * canvas.clientHeight,
    pointerId: 7,
    pointerType,
    isPrimary: true,
    button,
    buttons: button === 0 ? 1 : 2,
    bubbles: true,
    composed: true,
    cancelable: true,
  });
  canvas.dispatchEvent(new PointerEvent('pointerdown', init(points[0])));
  for (const p of points.slice(1)) canvas.dispatchEvent(new PointerEvent('pointermove', init(p)));
  canvas.dispatchEvent(new PointerEvent('pointerup', { ...init(points.at(-1)!), buttons: 0 }));
}

/** The input of the "Parameters" panel for `key` ('dt', 'tau', 'lambdaX', …, 'nu'). */
export function parameterInput(el: PcNetwork, key: string): HTMLInputElement {
  const input = el.shadowRoot?.querySelector<HTMLInputElement>(`input[data-param="${key}"]`);
  if (!input) throw new Error(`no parameter input for ${key}`);
  return input;
}

/** Types `text` into a parameter's input and commits it, as a person would, then waits. */
export async function setParameter(el: PcNetwork, key: string, text: string): Promise<void> {
  const input = parameterInput(el, key);
  input.value = text;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  await el.updateComplete;
}

/** Fails the test on any uncaught error or rejection while `body` runs. */
export async function withoutUncaught(body: () => Promise<void>): Promise<void> {
  const uncaught: unknown[] = [];
  const onError = (e: ErrorEvent) => uncaught.push(e.error ?? e.message);
  const onRejection = (e: PromiseRejectionEvent) => uncaught.push(e.reason);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  try {
    await body();
    await frames(2);
  } finally {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  }
  expect(uncaught).to.deep.equal([]);
}
