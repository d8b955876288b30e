import { Observable, type Subscriber } from 'rxjs';

/**
 * A hot stream for the per-tick path: `emit` hands a value to every current subscriber, and a
 * new subscriber first receives the latest value (as a `BehaviorSubject` would, when one was
 * emitted).
 *
 * Why not a `Subject`: `Subject.next` allocates a closure per call (its error context), and a
 * tick emits several values per layer. `emit` allocates nothing; the subscriber list is copied
 * only when someone subscribes or unsubscribes, so a subscriber may leave during an emission.
 * A subscriber that throws is reported by RxJS asynchronously and does not stop the others.
 */
export class Signal<T> {
  /** The stream; subscribe to it, pipe it. */
  readonly stream: Observable<T>;
  private subscribers: Subscriber<T>[] = [];
  private latest: T | undefined;
  private hasLatest = false;
  private done = false;

  constructor(private readonly replay = true) {
    this.stream = new Observable<T>((subscriber) => {
      if (this.done) return subscriber.complete();
      this.subscribers = [...this.subscribers, subscriber];
      if (this.replay && this.hasLatest) subscriber.next(this.latest as T);
      return () => {
        this.subscribers = this.subscribers.filter((s) => s !== subscriber);
      };
    });
  }

  /** Sends `value` to every subscriber. */
  emit(value: T): void {
    this.latest = value;
    this.hasLatest = true;
    const subscribers = this.subscribers;
    for (let i = 0; i < subscribers.length; i++) subscribers[i].next(value);
  }

  /** Whether anyone listens (so that a value that costs something need not be computed). */
  get observed(): boolean {
    return this.subscribers.length > 0;
  }

  /** The latest value emitted, if any. */
  get value(): T | undefined {
    return this.latest;
  }

  /** Completes every subscriber; later subscribers complete at once. */
  complete(): void {
    const subscribers = this.subscribers;
    this.done = true;
    this.subscribers = [];
    for (const s of subscribers) s.complete();
  }
}
