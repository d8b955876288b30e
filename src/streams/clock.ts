import {
  asyncScheduler,
  Observable,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
} from 'rxjs';
import { Signal } from './signal';

/** What a clock ticks: one fixed Euler step `dt` per `tick()` (a {@link LayerGraph}, say). */
export interface ClockTarget {
  tick(): void;
  readonly atEquilibrium: boolean;
  readonly dt: number;
}

/** Ticks per second of real time, or `max`: as many as fit, in slices of `budgetMs`. */
export type TickRate = number | 'max';

/** When a run stops: after a number of ticks, of simulated seconds, or at equilibrium. */
export type RunCondition =
  { ticks: number } | { seconds: number } | { equilibrium: true; maxTicks?: number };

export interface RunResult {
  /** Ticks taken by this run. */
  ticks: number;
  /** `ticks` also covers `seconds` and `maxTicks`; `paused` if `pause()` ended the run. */
  reason: 'ticks' | 'equilibrium' | 'paused';
}

export interface ClockOptions {
  /** Time and frames (default `asyncScheduler`; a `TestScheduler` runs tests on virtual time). */
  scheduler?: SchedulerLike;
  /** The period of frames at a fixed rate, in ms. Default 1000/60. */
  frameMs?: number;
  /** Real time spent on ticks per frame, in ms, before the frame yields. Default 12. */
  budgetMs?: number;
  /** At most this many ticks per frame, whatever the backlog or the budget. Default 100,000. */
  maxTicksPerFrame?: number;
}

/**
 * A fixed-step clock. Every tick advances the simulation by the same `dt` (STYLE.md point 4);
 * real time only decides how many ticks run. At a fixed rate r, each frame adds the real time
 * since the last frame to an accumulator, `acc += Δt · r`, and runs ⌊acc⌋ whole ticks, keeping
 * the fraction. A frame that would overrun `budgetMs` (the network cannot keep up) stops there
 * and drops its backlog, so a slow network runs slower than asked rather than spiralling into
 * ever longer frames. At `max`, each frame runs ticks for `budgetMs` then yields with a delay-0
 * frame, so that other work (commands in a worker) gets through.
 */
export class Clock {
  /** Whether the clock is playing (a `runUntil` plays too). */
  readonly running$: Observable<boolean>;
  /** An error a tick threw while playing (a `DivergenceError`, say); the clock has paused. */
  readonly error$: Observable<Error>;

  private readonly scheduler: SchedulerLike;
  private readonly frameMs: number;
  private readonly budgetMs: number;
  private readonly maxTicksPerFrame: number;
  private readonly runningSignal = new Signal<boolean>();
  private readonly errorSignal = new Signal<Error>(false);
  private rate: TickRate = 0;
  private accumulator = 0;
  private lastFrame = 0;
  private pending: Subscription | null = null;
  private run: Subscriber<RunResult> | null = null;
  private runTicks = 0;
  private stopAfter = Infinity;
  private stopAtEquilibrium = false;
  private readonly frame = (): void => this.onFrame();

  constructor(
    private readonly target: ClockTarget,
    options: ClockOptions = {},
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.frameMs = options.frameMs ?? 1000 / 60;
    this.budgetMs = options.budgetMs ?? 12;
    this.maxTicksPerFrame = options.maxTicksPerFrame ?? 100_000;
    this.running$ = this.runningSignal.stream;
    this.error$ = this.errorSignal.stream;
    this.runningSignal.emit(false);
  }

  get running(): boolean {
    return this.runningSignal.value === true;
  }

  /** Takes `n` ticks now, synchronously (errors are thrown to the caller). */
  step(n = 1): void {
    for (let i = 0; i < n; i++) this.target.tick();
  }

  /** Plays at `rate` ticks per second of real time, or as fast as possible (`max`). */
  play(rate: TickRate): void {
    if (rate !== 'max' && !(rate > 0 && Number.isFinite(rate))) {
      throw new RangeError(
        `rate must be a positive number of ticks per second or "max", got ${rate}`,
      );
    }
    this.rate = rate;
    if (this.running) return;
    this.accumulator = 0;
    this.lastFrame = this.scheduler.now();
    this.runningSignal.emit(true);
    this.schedule();
  }

  /** Stops playing; a run in progress completes with reason `paused`. */
  pause(): void {
    this.stop('paused');
  }

  /**
   * Plays at `rate` until `condition`, then pauses. Cold: the run starts on subscription and
   * pauses if unsubscribed early; it emits one {@link RunResult} and completes, or errors with
   * what a tick threw. A new run ends the one in progress (as `paused`). As a Promise:
   * `lastValueFrom(clock.runUntil(...))`.
   */
  runUntil(condition: RunCondition, rate: TickRate = 'max'): Observable<RunResult> {
    return new Observable<RunResult>((subscriber) => {
      this.stop('paused');
      this.run = subscriber;
      this.runTicks = 0;
      this.stopAtEquilibrium = 'equilibrium' in condition;
      this.stopAfter =
        'ticks' in condition
          ? condition.ticks
          : 'seconds' in condition
            ? Math.round(condition.seconds / this.target.dt)
            : (condition.maxTicks ?? Infinity);
      if (this.stopAfter <= 0) this.finish('ticks');
      else this.play(rate);
      return () => {
        if (this.run === subscriber) this.stop('paused');
      };
    });
  }

  private schedule(): void {
    this.pending = this.scheduler.schedule(this.frame, this.rate === 'max' ? 0 : this.frameMs);
  }

  private onFrame(): void {
    this.pending = null;
    if (!this.running) return;
    const now = this.scheduler.now();
    let n = this.maxTicksPerFrame;
    if (this.rate !== 'max') {
      this.accumulator += ((now - this.lastFrame) * this.rate) / 1000;
      n = Math.min(n, Math.floor(this.accumulator + 1e-9));
      this.accumulator -= n;
    }
    this.lastFrame = now;
    const deadline = now + this.budgetMs;
    for (let i = 0; i < n && this.running; i++) {
      try {
        this.target.tick();
      } catch (e) {
        this.fail(e instanceof Error ? e : new Error(String(e)));
        return;
      }
      this.runTicks++;
      if (this.runTicks >= this.stopAfter) this.finish('ticks');
      else if (this.stopAtEquilibrium && this.target.atEquilibrium) this.finish('equilibrium');
      else if (this.scheduler.now() > deadline) {
        // Over budget: drop the backlog rather than spiral (see the class comment).
        if (this.rate !== 'max') this.accumulator = 0;
        break;
      }
    }
    if (this.running) this.schedule();
  }

  private finish(reason: RunResult['reason']): void {
    const run = this.run;
    const ticks = this.runTicks;
    this.run = null;
    this.halt();
    run?.next({ ticks, reason });
    run?.complete();
  }

  private stop(reason: RunResult['reason']): void {
    if (this.run) this.finish(reason);
    else this.halt();
  }

  private fail(error: Error): void {
    const run = this.run;
    this.run = null;
    this.halt();
    this.errorSignal.emit(error);
    run?.error(error);
  }

  private halt(): void {
    this.pending?.unsubscribe();
    this.pending = null;
    this.stopAfter = Infinity;
    this.stopAtEquilibrium = false;
    if (this.running) this.runningSignal.emit(false);
  }
}
