/**
 * A small harness for `<pc-network>` tests: act as the host would, then read what the element
 * shows (its DOM), never its engine. Layer and node indices are 0-based, as in the API.
 */
import type { PcNetwork } from '../components/index';

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

/** Takes `n` ticks and waits until the element shows them. */
export async function stepTicks(el: PcNetwork, n: number): Promise<void> {
  el.step(n);
  await el.updateComplete;
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
