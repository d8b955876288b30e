/**
 * Drawing a digit on the input layer of an MNIST-sized network (784 = 28 × 28 nodes): the
 * layer's state canvas takes mouse, pen and touch strokes, painted with a soft round brush into
 * an image of values in [0, 1]; when the stroke ends, the element clamps the image as the input
 * X. The image follows what the element last set as X, so a stroke adds to a digit a program
 * clamped, until Clear.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The input size that can be drawn on, and the side of its square image. */
export const DRAWABLE_SIZE = 784;
export const DIGIT_SIDE = 28;
/** The brush radius, in pixels of the 28 × 28 image. */
export const BRUSH_RADIUS = 1.5;

/**
 * Paints a soft round brush centred at (cx, cy), in pixel units (pixel (c, r) spans [c, c+1)):
 * each pixel becomes max(v, 1 − (d/r)²), d the distance from its centre to the brush's.
 */
export function brush(image: Float32Array, side: number, cx: number, cy: number, r: number): void {
  const c0 = Math.max(0, Math.floor(cx - r));
  const c1 = Math.min(side - 1, Math.floor(cx + r));
  const r0 = Math.max(0, Math.floor(cy - r));
  const r1 = Math.min(side - 1, Math.floor(cy + r));
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) {
      const dx = col + 0.5 - cx;
      const dy = row + 0.5 - cy;
      const v = 1 - (dx * dx + dy * dy) / (r * r);
      const i = row * side + col;
      if (v > image[i]) image[i] = v;
    }
  }
}

/** Paints brushes along the segment from (x0, y0) to (x1, y1), a quarter radius apart. */
export function strokeSegment(
  image: Float32Array,
  side: number,
  from: readonly [number, number],
  to: readonly [number, number],
  r: number,
): void {
  const steps = Math.max(1, Math.ceil(Math.hypot(to[0] - from[0], to[1] - from[1]) / (r / 4)));
  for (let s = 1; s <= steps; s++) {
    const t = s / steps;
    brush(image, side, from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t, r);
  }
}

export interface DigitDrawingOptions {
  /** The input layer's size now (the pad only works at {@link DRAWABLE_SIZE}). */
  inputSize(): number;
  /** Shows the image on the canvas being drawn on, at once (not waiting for a frame). */
  paint(canvas: HTMLCanvasElement, image: Float32Array): void;
  /** The stroke ended: clamp `image` as the input. */
  commit(image: Float32Array): void;
}

/**
 * Listens on its host for pointer strokes that start on a `canvas[data-draw]` in its shadow
 * root, from connection to disconnection. The image is kept here; the host clamps it.
 */
export class DigitDrawing implements ReactiveController {
  /** The drawn image, row-major, values in [0, 1]. */
  readonly image = new Float32Array(DRAWABLE_SIZE);
  private canvas: HTMLCanvasElement | null = null;
  private pointer = -1;
  private readonly last: [number, number] = [0, 0];
  private readonly next: [number, number] = [0, 0];
  private shownAt = -1;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: DigitDrawingOptions,
  ) {
    host.addController(this);
  }

  /** Whether a stroke is under way. */
  get drawing(): boolean {
    return this.canvas !== null;
  }

  hostConnected(): void {
    this.host.addEventListener('pointerdown', this.onDown);
    this.host.addEventListener('pointermove', this.onMove);
    this.host.addEventListener('pointerup', this.onUp);
    this.host.addEventListener('pointercancel', this.onUp);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('pointerdown', this.onDown);
    this.host.removeEventListener('pointermove', this.onMove);
    this.host.removeEventListener('pointerup', this.onUp);
    this.host.removeEventListener('pointercancel', this.onUp);
    this.canvas = null;
  }

  /** Follows an input the host set: a drawable one is copied, clipped to [0, 1]. */
  sync(values: ArrayLike<number>): void {
    if (values === this.image || values.length !== DRAWABLE_SIZE) return;
    for (let i = 0; i < DRAWABLE_SIZE; i++) this.image[i] = Math.min(1, Math.max(0, values[i]));
  }

  clear(): void {
    this.image.fill(0);
  }

  /** Shows the image instead of x(1) from now until the network leaves tick `tick`. */
  showUntilTick(tick: number): void {
    this.shownAt = tick;
  }

  /** What the input state canvas should show at `tick`: the image while drawing or pinned. */
  overlay(tick: number): Float32Array | null {
    return this.canvas || tick === this.shownAt ? this.image : null;
  }

  /** Stops showing the image (the network was reset or replaced). */
  hide(): void {
    this.shownAt = -1;
  }

  private readonly onDown = (e: PointerEvent): void => {
    const canvas = e.composedPath()[0];
    if (!(canvas instanceof HTMLCanvasElement) || canvas.dataset.draw === undefined) return;
    if (e.button !== 0 || this.canvas || this.options.inputSize() !== DRAWABLE_SIZE) return;
    e.preventDefault();
    try {
      canvas.setPointerCapture(e.pointerId);
    } catch {
      // A synthetic event has no active pointer to capture; the stroke works all the same.
    }
    this.canvas = canvas;
    this.pointer = e.pointerId;
    this.at(e, this.last);
    brush(this.image, DIGIT_SIDE, this.last[0], this.last[1], BRUSH_RADIUS);
    this.options.paint(canvas, this.image);
  };

  private readonly onMove = (e: PointerEvent): void => {
    if (!this.canvas || e.pointerId !== this.pointer) return;
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const point of events.length > 0 ? events : [e]) {
      this.at(point, this.next);
      strokeSegment(this.image, DIGIT_SIDE, this.last, this.next, BRUSH_RADIUS);
      this.last[0] = this.next[0];
      this.last[1] = this.next[1];
    }
    this.options.paint(this.canvas, this.image);
  };

  private readonly onUp = (e: PointerEvent): void => {
    if (!this.canvas || e.pointerId !== this.pointer) return;
    this.canvas = null;
    this.options.commit(this.image);
  };

  /** Writes the pointer's position, in pixels of the image (fractional; may lie outside). */
  private at(e: PointerEvent, out: [number, number]): void {
    const canvas = this.canvas!;
    const box = canvas.getBoundingClientRect();
    out[0] = ((e.clientX - box.left - canvas.clientLeft) / canvas.clientWidth) * DIGIT_SIDE;
    out[1] = ((e.clientY - box.top - canvas.clientTop) / canvas.clientHeight) * DIGIT_SIDE;
  }
}
