import { asyncScheduler, auditTime, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';

/** What a page can show: 30 frames per second is plenty for values that change every tick. */
export const DISPLAY_FPS = 30;

/**
 * Thins a per-tick stream to at most `fps` values per second for a page: after a value
 * arrives, waits 1/fps s and emits the latest one (`auditTime`), so nothing runs while the
 * simulation is paused and the last state is always shown. A view emitted this way is the
 * layer's latest, so it is valid until that layer's next emission, as always.
 */
export function toDisplayRate<T>(
  fps: number = DISPLAY_FPS,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  if (!(fps > 0)) throw new RangeError(`fps must be a positive number, got ${fps}`);
  return auditTime<T>(1000 / fps, scheduler);
}
