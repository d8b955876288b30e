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
 * The action of a key pressed inside the element: on a state node, Enter clamps or releases it
 * and Up/Down move a clamped value by 0.1 (1 with Shift); Space plays or pauses (on a node too)
 * and Right arrow steps one tick. Inputs and selects keep their own keys, and buttons keep Space.
 */
export function keyAction(e: KeyboardEvent): KeyAction | null {
  if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return null;
  const target = e.composedPath()[0];
  const found = nodeOf(target);
  const node = found?.kind === 'x' ? found : null;
  const space = e.key === ' ' || e.key === 'Spacebar';
  if (node && e.key === 'Enter') return { kind: 'toggle-clamp', node };
  if (node && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
    return { kind: 'nudge', node, delta: (e.shiftKey ? 1 : 0.1) * (e.key === 'ArrowUp' ? 1 : -1) };
  }
  if (target instanceof Element && target.matches('input, select, textarea')) return null;
  if (space && !(target instanceof HTMLButtonElement)) return { kind: 'toggle-play' };
  if (e.key === 'ArrowRight') return { kind: 'step' };
  return null;
}

/** How long a finger rests on a node to clamp or release it, in milliseconds. */
export const LONG_PRESS_MS = 500;
/** A finger that moves further than this (px) is scrolling, not pressing. */
const PRESS_SLOP = 10;

/**
 * Touch on a small layer's nodes, where there is no hover: a tap reads a node (as hover does
 * with a mouse) and a long press of {@link LONG_PRESS_MS} clamps or releases it. Mouse and pen
 * are left alone (hover reads, click clamps). The click a browser sends after a touch is taken
 * here (`takesClick`), so that a tap never clamps.
 */
export class TouchPress {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private start: { x: number; y: number } | null = null;
  private lastTouch = -Infinity;
  private pressed = false;

  constructor(
    private readonly on: {
      touched(): void;
      read(node: NodeRef): void;
      press(node: NodeRef): void;
    },
  ) {}

  readonly down = (e: PointerEvent): void => {
    if (e.pointerType !== 'touch') return;
    this.on.touched();
    this.lastTouch = performance.now();
    this.cancel();
    const node = nodeOf(e.target);
    if (node?.kind !== 'x') return;
    this.on.read(node);
    this.start = { x: e.clientX, y: e.clientY };
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pressed = true;
      this.on.press(node);
    }, LONG_PRESS_MS);
  };

  readonly move = (e: PointerEvent): void => {
    const s = this.start;
    if (s && Math.hypot(e.clientX - s.x, e.clientY - s.y) > PRESS_SLOP) this.cancel();
  };

  readonly end = (): void => this.cancel();

  /** No context menu while a finger is pressing a node. */
  readonly contextMenu = (e: Event): void => {
    if (this.start || this.pressed) e.preventDefault();
  };

  /** Whether the click now is a touch's (within a second of it): the press already acted. */
  takesClick(): boolean {
    this.pressed = false;
    return performance.now() - this.lastTouch < 1000;
  }

  private cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.start = null;
  }
}
