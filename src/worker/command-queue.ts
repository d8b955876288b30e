import { WorkerFailedError } from './client';
import type { SimulationLink } from './link';

/** A command for a simulation, as a call on its link. */
export type Command<T> = (client: SimulationLink) => Promise<T>;

const ignore = (): void => undefined;

/**
 * The commands a session sends one simulation (a worker, or one on this thread), kept in order. It answers
 * messages in the order they arrive, except `step`, which runs in slices and lets later
 * messages in between: so a command goes out at once unless a blocking one (a short step) is
 * still running, and then right after it. Commands sent before a client is attached wait for it (an
 * element's calls while disconnected run when it reconnects); once closed, those not yet sent
 * reject with a {@link WorkerFailedError}.
 */
export class CommandQueue {
  private client: SimulationLink | null = null;
  private closed = false;
  private barrier: Promise<unknown>;
  private tail: Promise<unknown>;
  private release!: () => void;
  /** Whether the first command (the one `attach` gives) has started. */
  started = false;

  constructor() {
    this.barrier = this.tail = new Promise<void>((resolve) => (this.release = resolve));
  }

  /** Starts sending to `client`: `first` (which restores the network) before anything else. */
  attach(client: SimulationLink, first: Command<unknown>): void {
    this.client = client;
    const done = Promise.resolve()
      .then(() => {
        this.started = true;
        return first(client);
      })
      .then(ignore, ignore);
    void done.then(() => this.release());
  }

  /** Sends `command` in its turn; `blocking`: later commands wait until it is answered. */
  send<T>(command: Command<T>, blocking = false): Promise<T> {
    const run = this.barrier.then(() => {
      if (this.closed || !this.client) {
        throw new WorkerFailedError('the simulation worker was closed before this command');
      }
      return command(this.client);
    });
    const done = run.then(ignore, ignore);
    if (blocking) this.barrier = done;
    this.tail = done;
    return run;
  }

  /** Resolves once every command sent so far has been answered (or has failed). */
  async drained(): Promise<void> {
    for (let tail = this.tail; ; tail = this.tail) {
      await tail;
      if (tail === this.tail) return;
    }
  }

  /** Rejects the commands not yet sent, and every later one. */
  close(): void {
    this.closed = true;
    this.release();
  }
}
