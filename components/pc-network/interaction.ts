/**
 * What a pointer or a key means inside `<pc-network>`, as plain functions of the event: the
 * element decides, these only read.
 */

/** A node of a small layer (0-based layer and index), `x` (state) or `eps` (error). */
export interface NodeRef {
  layer: number;
  index: number;
  kind: 'x' | 'eps';
}

/** The node an event target stands for (an SVG node of a small layer), if any. */
export function nodeOf(target: EventTarget | null | undefined): NodeRef | null {
  if (!(target instanceof SVGElement)) return null;
  const kind = target.getAttribute('data-kind');
  if (kind !== 'x' && kind !== 'eps') return null;
  const layer = Number(target.getAttribute('data-layer'));
  return { layer, index: Number(target.getAttribute('data-index')), kind };
}

/** The node of a large layer's canvas grid under the pointer, if any. */
export function gridNodeAt(e: PointerEvent): { layer: number; index: number } | null {
  const canvas = e.target;
  if (!(canvas instanceof HTMLCanvasElement) || canvas.dataset.grid === undefined) return null;
  const box = canvas.getBoundingClientRect();
  const col = Math.floor(((e.clientX - box.left) / box.width) * canvas.width);
  const row = Math.floor(((e.clientY - box.top) / box.height) * canvas.height);
  if (col < 0 || row < 0 || col >= canvas.width || row >= canvas.height) return null;
  return { layer: Number(canvas.dataset.layer), index: row * canvas.width + col };
}

export type KeyAction =
  | { kind: 'toggle-clamp'; node: NodeRef }
  | { kind: 'nudge'; node: NodeRef; delta: number }
  | { kind: 'toggle-play' }
  | { kind: 'step' };

/**
 * The action of a key pressed inside the element: on a state node, Enter or Space clamps or
 * releases it and Up/Down move a clamped value by 0.1 (1 with Shift); elsewhere, Space plays or
 * pauses and Right arrow steps one tick. Inputs and selects keep their own keys, and buttons
 * keep Space.
 */
export function keyAction(e: KeyboardEvent): KeyAction | null {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return null;
  const target = e.composedPath()[0];
  const found = nodeOf(target);
  const node = found?.kind === 'x' ? found : null;
  const space = e.key === ' ' || e.key === 'Spacebar';
  if (node && (e.key === 'Enter' || space)) return { kind: 'toggle-clamp', node };
  if (node && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
    return { kind: 'nudge', node, delta: (e.shiftKey ? 1 : 0.1) * (e.key === 'ArrowUp' ? 1 : -1) };
  }
  if (target instanceof Element && target.matches('input, select, textarea')) return null;
  if (space && !(target instanceof HTMLButtonElement)) return { kind: 'toggle-play' };
  if (e.key === 'ArrowRight') return { kind: 'step' };
  return null;
}
