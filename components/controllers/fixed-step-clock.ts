/**
 * Turns real time into whole simulation ticks (STYLE.md point 4: the fixed step is a
 * contract). Each display frame adds `elapsed × speed` to an accumulator and takes out the whole
 * ticks; the fraction carries over to the next frame. A frame asks for at most
 * `maxTicksPerFrame` ticks: when the simulation cannot keep up, the backlog is dropped instead
 * of growing without bound (the trajectory stays the same, it only runs slower than asked).
 */
export class FixedStepClock {
  /** Ticks per second of real time. */
  speed: number;
  /** The most ticks a single frame may ask for. */
  maxTicksPerFrame: number;
  /** A gap between frames longer than this (s) counts as this long: a hidden tab, a debugger. */
  maxFrameGap = 0.25;

  private last: number | null = null;
  private accumulator = 0;

  constructor(speed: number, maxTicksPerFrame = 1000) {
    this.speed = speed;
    this.maxTicksPerFrame = maxTicksPerFrame;
  }

  /** Forgets the last frame time: the next `advance` starts a fresh interval (after a pause). */
  restart(): void {
    this.last = null;
    this.accumulator = 0;
  }

  /** The whole ticks owed at `nowMs` (a `requestAnimationFrame` timestamp). */
  advance(nowMs: number): number {
    if (this.last === null) {
      this.last = nowMs;
      return 0;
    }
    const elapsed = Math.min(Math.max(0, (nowMs - this.last) / 1000), this.maxFrameGap);
    this.last = nowMs;
    this.accumulator += elapsed * this.speed;
    const ticks = Math.floor(this.accumulator);
    this.accumulator -= ticks;
    if (ticks > this.maxTicksPerFrame) {
      this.accumulator = 0;
      return this.maxTicksPerFrame;
    }
    return ticks;
  }
}
