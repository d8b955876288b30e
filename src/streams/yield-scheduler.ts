import { type SchedulerAction, type SchedulerLike, Subscription } from 'rxjs';

/**
 * A scheduler whose delay-0 work runs in the next task, posted through a MessageChannel: like
 * `setTimeout(0)` it lets messages that are already queued (a worker's commands) run first,
 * but without the 4 ms that browsers add to nested timers. Other delays use `setTimeout`.
 * `now()` is `performance.now()`. For a {@link Clock} playing at `max` in a worker.
 */
export class YieldScheduler implements SchedulerLike {
  private port: MessagePort | null = null;
  private readonly queue: (() => void)[] = [];

  now(): number {
    return performance.now();
  }

  schedule<T>(
    work: (this: SchedulerAction<T>, state?: T) => void,
    delay = 0,
    state?: T,
  ): Subscription {
    return new YieldAction<T>(this, work).schedule(state, delay);
  }

  /** Runs `run` after `delay` ms (0: in the next task); returns what cancels it. */
  defer(run: () => void, delay: number): () => void {
    if (delay > 0) {
      const id = setTimeout(run, delay);
      return () => clearTimeout(id);
    }
    let live = true;
    this.queue.push(() => live && run());
    this.channel().postMessage(null);
    return () => {
      live = false;
    };
  }

  /** Closes the channel (a port with a listener is never collected) and drops what waits. */
  close(): void {
    this.queue.length = 0;
    this.port?.close();
    this.port = null;
  }

  private channel(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    // One message per deferred run, in order: each message runs the oldest.
    port2.onmessage = () => this.queue.shift()?.();
    this.port = port1;
    return port1;
  }
}

class YieldAction<T> extends Subscription implements SchedulerAction<T> {
  private cancel: (() => void) | null = null;

  constructor(
    private readonly scheduler: YieldScheduler,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super();
    this.add(() => this.cancel?.());
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.cancel?.();
    this.cancel = this.scheduler.defer(() => {
      this.cancel = null;
      this.work.call(this, state);
    }, delay);
    return this;
  }
}
