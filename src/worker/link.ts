import { type Observable, Subject } from 'rxjs';
import { WorkerFailedError, type ClientEvent } from './client';
import type { SimulationApi, Snapshot } from './protocol';
import { Simulation, type SimulationOptions } from './simulation';

/** `T`'s methods, each answering with a promise. */
type Answering<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/**
 * What a {@link SimulationSession} drives: the commands of a {@link SimulationApi}, each
 * answering with a promise, with the snapshots and events as streams. A
 * {@link SimulationClient} is one (a worker, through comlink); a {@link LocalSimulation} is
 * the other (the same `Simulation`, called on this thread).
 */
export interface SimulationLink extends Omit<
  Answering<SimulationApi>,
  'onSnapshot' | 'onEvent' | 'ping' | 'crashForTest' | 'hangForTest'
> {
  readonly snapshot$: Observable<Snapshot>;
  readonly event$: Observable<ClientEvent>;
  /** False once it failed (a worker) or was terminated. */
  readonly alive: boolean;
  terminate(): void;
}

export interface LocalSimulationOptions {
  /** Snapshots per second at most. Default 30. */
  fps?: number;
  /** Snapshots carry M and W when they changed, for networks with at most this many. Default 0. */
  weightLimit?: number;
  /** How the simulation ticks (see {@link SimulationOptions}). */
  simulation?: SimulationOptions;
}

/**
 * A {@link Simulation} on this thread behind the {@link SimulationLink} a worker's client
 * offers: each command is the direct call, made at once (so commands run in the order sent, as
 * a worker reads its messages) and answered as a promise. Snapshots come through the same
 * display-rate stream, and the clock's slices yield (a MessageChannel task) as in a worker,
 * so a long step or a fast rate leaves the page responsive. It never crashes as a worker does:
 * a tick's error is an event, as there. `terminate()` stops it and frees its clock.
 */
export class LocalSimulation implements SimulationLink {
  readonly snapshot$: Observable<Snapshot>;
  readonly event$: Observable<ClientEvent>;

  private readonly snapshots = new Subject<Snapshot>();
  private readonly events = new Subject<ClientEvent>();
  private sim: Simulation | null;

  constructor(options: LocalSimulationOptions = {}) {
    this.snapshot$ = this.snapshots.asObservable();
    this.event$ = this.events.asObservable();
    const sim = (this.sim = new Simulation(options.simulation));
    sim.onSnapshot((s) => this.snapshots.next(s), options.fps, options.weightLimit);
    sim.onEvent((e) => this.events.next(e));
  }

  get alive(): boolean {
    return this.sim !== null;
  }

  terminate(): void {
    this.sim?.dispose();
    this.sim = null;
  }

  create: SimulationLink['create'] = this.call('create');
  restore: SimulationLink['restore'] = this.call('restore');
  load: SimulationLink['load'] = this.call('load');
  save: SimulationLink['save'] = this.call('save');
  clampNode: SimulationLink['clampNode'] = this.call('clampNode');
  releaseNode: SimulationLink['releaseNode'] = this.call('releaseNode');
  releaseAll: SimulationLink['releaseAll'] = this.call('releaseAll');
  setInput: SimulationLink['setInput'] = this.call('setInput');
  setTarget: SimulationLink['setTarget'] = this.call('setTarget');
  setTargetClass: SimulationLink['setTargetClass'] = this.call('setTargetClass');
  setParams: SimulationLink['setParams'] = this.call('setParams');
  setMode: SimulationLink['setMode'] = this.call('setMode');
  step: SimulationLink['step'] = this.call('step');
  feedForward: SimulationLink['feedForward'] = this.call('feedForward');
  play: SimulationLink['play'] = this.call('play');
  pause: SimulationLink['pause'] = this.call('pause');
  reset: SimulationLink['reset'] = this.call('reset');
  snapshot: SimulationLink['snapshot'] = this.call('snapshot');
  train: SimulationLink['train'] = this.call('train');
  evaluate: SimulationLink['evaluate'] = this.call('evaluate');
  cancel: SimulationLink['cancel'] = this.call('cancel');

  /** The command `name`, called now; what it returns or throws, as a promise. */
  private call<K extends keyof SimulationLink & keyof Simulation>(name: K): SimulationLink[K] {
    const command = (...args: unknown[]): Promise<unknown> => {
      const sim = this.sim;
      if (!sim) return Promise.reject(new WorkerFailedError('the simulation was terminated'));
      try {
        return Promise.resolve((sim[name] as (...a: unknown[]) => unknown)(...args));
      } catch (e) {
        return Promise.reject(e);
      }
    };
    return command as unknown as SimulationLink[K];
  }
}
