import { Subscription } from 'rxjs';
import { checkMemoryBudget, DEFAULT_MEMORY_BUDGET_MIB } from '../model/budget';
import type { LiveParams } from '../model/network';
import { param } from '../model/params';
import { checkParam, type Mode, type NetworkSpec, resolveSpec } from '../model/spec';
import { DISPLAY_FPS } from '../streams/display';
import { type ClientEvent, WorkerFailedError } from './client';
import { type Command, CommandQueue } from './command-queue';
import type { SimulationLink } from './link';
import type { Callback, JobData, NetworkInfo, Snapshot, TrainJob, WeightSet } from './protocol';
import type { Evaluation, TrainProgress, TrainSummary } from './training';
import { SnapshotFilter } from './snapshot-filter';
import {
  argmax,
  checkClamp,
  checkLayer,
  checkVector,
  copySpec,
  emptySnapshot,
  SNAPSHOT_WEIGHT_LIMIT,
  type SimulationSnapshot,
  viewOf,
} from './view';

/**
 * A step of more ticks than this runs as if playing (see {@link SimulationSession.step}); one
 * of at most this many is whole before the next command (the "Step N" button's 100, say).
 */
export const LONG_STEP_TICKS = 1000;

/** A divergence, as the simulation reported it (`layer` is 0-based). */
export interface DivergenceInfo {
  layer: number;
  tick: number;
  message: string;
}

/**
 * What a session tells whoever shows it (planck.js's testbed pattern: the core declares the
 * interface, the page implements it). Called from display-rate work, never per tick.
 */
export interface SessionHost {
  /** What the host shows changed outside a frame (playing, a replaced network): redraw. */
  changed(): void;
  /** A newer snapshot waits: call {@link SimulationSession.publish} at the next display frame. */
  snapshotWaiting(): void;
  /** `publish` made `snapshot` current (the ticks, clamps or mode changed since `previous`). */
  frame(snapshot: SimulationSnapshot, previous: SimulationSnapshot): void;
  /** The clock stopped because the dynamics diverged. */
  diverged(info: DivergenceInfo): void;
  /** Something failed outside a call: a command was refused, or the worker crashed. */
  failed(message: string): void;
}

/** What a session asks of a new link. */
export interface LinkRequest {
  /** Snapshots per second at most. */
  fps: number;
  /** Snapshots carry M and W while the network has at most this many (M and W counted). */
  weightLimit: number;
}

export interface SimulationSessionOptions {
  /**
   * Makes the simulation the session drives, each time it connects (and after a crash): a
   * worker's `SimulationClient`, or a `LocalSimulation` on this thread. May throw (a page
   * whose policy forbids workers): the session then stays stopped and says so.
   */
  connect(request: LinkRequest): SimulationLink;
  /** Ticks per second of real time. Default 200. */
  speed?: number;
  /** Snapshots per second at most. Default 30. */
  fps?: number;
  /**
   * Crashes within a minute that are restarted; the next one is not. Default 3. Only a worker
   * crashes (or hangs, and is taken for crashed); a simulation on this thread never does.
   */
  maxRestarts?: number;
  /** Added to the message when the link cannot start or failed too often (what else to try). */
  fallbackHint?: string;
  /** MiB a network may take (see `networkBytes`). Default `DEFAULT_MEMORY_BUDGET_MIB`. */
  memoryBudget?: number;
}

const noop = (): void => undefined;
/** Waits this long for a large trained network's weights before its link ends. */
const FINAL_FETCH_MS = 1000;

/**
 * One simulation session: an element's network, run by a simulation it drives through a
 * {@link SimulationLink} (a worker, or the same `Simulation` on this thread), whatever shows
 * it. Commands go out in order (a {@link CommandQueue}); snapshots come at most `fps` a second,
 * are sorted (a {@link SnapshotFilter}: they travel by two ports), and the newest is made
 * current by `publish` at the host's next display frame. `settled()` waits until every command
 * sent shows.
 *
 * The session keeps what it needs to rebuild the network: the spec, clamps, the last snapshot
 * (states, X, Y, tick) and the latest weights it has (small networks send theirs when they
 * change; large ones only when asked). `disconnect` ends the link (after fetching the weights
 * of a large network that learned since), unless `connect` comes in the same task (an element
 * moved in the page); `connect` makes a new one and restores the network. A crashed or hung
 * worker is replaced the same way, paused, and the host is told through `failed`; after
 * `maxRestarts` crashes in a minute the session is left stopped until the network changes.
 */
export class SimulationSession {
  /** MiB a network may take: `configure` refuses a larger one before anything is built. */
  memoryBudget: number;

  private specValue: NetworkSpec;
  private current: SimulationSnapshot;
  /** The newest snapshot accepted, made current by `publish`. */
  private latest: SimulationSnapshot;
  /** Clamps, X and Y as last set here: the simulation's are the same once it has caught up. */
  private clamps: Map<number, number>[];
  private X: Float32Array;
  private Y: Float32Array;
  private readonly filter = new SnapshotFilter();
  private kernelsName = '';
  private link: SimulationLink | null = null;
  private queue = new CommandQueue();
  private subscription = new Subscription();
  private closing: Promise<void> = Promise.resolve();
  private connected = false;
  private playing = false;
  private rate: number;
  private networks = 0;
  /** Commands that change the network, counted; `upTo`: how many of them `latest` shows. */
  private changes = 0;
  private upTo = 0;
  private crashes: number[] = [];
  /** Steps sent whose answer has not come. */
  private steps = 0;
  private gaveUp = false;
  private readonly fps: number;
  private readonly maxRestarts: number;

  constructor(
    spec: NetworkSpec,
    private readonly host: SessionHost,
    private readonly options: SimulationSessionOptions,
  ) {
    this.rate = options.speed ?? 200;
    this.fps = options.fps ?? DISPLAY_FPS;
    this.maxRestarts = options.maxRestarts ?? 3;
    this.memoryBudget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET_MIB;
    this.specValue = copySpec(resolveSpec(spec));
    this.current = this.latest = emptySnapshot(this.specValue, null);
    this.clamps = this.specValue.layers.map(() => new Map());
    this.X = this.latest.X;
    this.Y = this.latest.Y;
  }

  /** The current spec (live parameters and mode included), which may be ahead of `snapshot`. */
  get spec(): Readonly<NetworkSpec> {
    return this.specValue;
  }

  /** The snapshot made current by the last `publish`. */
  get snapshot(): SimulationSnapshot {
    return this.current;
  }

  /** Whether a newer snapshot waits for `publish`. */
  get waiting(): boolean {
    return this.latest !== this.current;
  }

  /** The latest M and W this thread has (null: the ones `spec.seed` draws, not seen yet). */
  get weights(): WeightSet | null {
    return this.filter.weights;
  }

  /** Counts the networks: it changes when `configure` replaces the network. */
  get generation(): number {
    return this.networks;
  }

  /** The kernels the network runs on (empty until the simulation has built it). */
  get kernels(): string {
    return this.kernelsName;
  }

  get running(): boolean {
    return this.playing;
  }

  /** Ticks per second of real time while running. */
  get speed(): number {
    return this.rate;
  }

  set speed(ticksPerSecond: number) {
    this.rate = ticksPerSecond;
    if (this.playing) this.send((c) => c.play(ticksPerSecond));
  }

  /** Starts a simulation (or keeps the one a `disconnect` in this task would have ended). */
  connect(): void {
    this.connected = true;
    this.gaveUp = false;
    this.open();
    if (this.waiting) this.host.snapshotWaiting();
  }

  /** Ends the simulation at the end of this task, unless `connect` comes first (a move). */
  disconnect(): void {
    this.connected = false;
    queueMicrotask(() => {
      if (!this.connected) this.close();
    });
  }

  /** Makes the newest snapshot current and tells the host (a no-op if there is none). */
  publish(): void {
    if (this.latest === this.current) return;
    const previous = this.current;
    this.current = this.latest;
    this.host.changed();
    this.host.frame(this.current, previous);
  }

  /**
   * Replaces the network: a fresh one for `spec`, with `weights` if given. A spec over the
   * memory budget throws (a `MemoryBudgetError`), as a bad one does (SpecError), and changes
   * nothing; if the simulation cannot build it (out of memory, say), the session goes back to
   * the last good network, which the simulation kept, and the host is told (`failed`).
   */
  configure(spec: NetworkSpec, weights?: WeightSet): void {
    const next = copySpec(resolveSpec(spec));
    checkMemoryBudget(next, this.memoryBudget, 'memory-budget');
    const undo = this.keep();
    this.specValue = next;
    this.filter.replaced(weights ?? null);
    this.networks++;
    this.clamps = this.specValue.layers.map(() => new Map());
    // A replaced network is not a frame: the host is mid-update and redraws from this.
    this.current = this.latest = emptySnapshot(this.specValue, this.filter.weights);
    this.X = this.latest.X;
    this.Y = this.latest.Y;
    this.changes++; // its first snapshot brings its weights (small networks)
    this.host.changed();
    if (this.gaveUp && this.connected) this.connect();
    // Before the restore has started, it will build this network itself.
    else if (this.queue.started) {
      const generation = this.networks;
      this.send(async (c) => {
        try {
          await this.create(c);
        } catch (e) {
          if (generation === this.networks && !(e instanceof WorkerFailedError)) undo();
          throw e;
        }
        // A new network starts paused: one that was playing goes on.
        if (this.playing) await c.play(this.rate);
      });
    }
  }

  setParams(params: LiveParams): void {
    const spec = this.specValue;
    const next = resolveSpec({ ...spec, ...params, layers: spec.layers });
    this.specValue = copySpec(next);
    // dt is fixed during a run (STYLE.md point 4): a new dt starts a new run.
    const newDt = params.dt !== undefined && params.dt !== spec.dt;
    this.change(async (c) => {
      // A step in progress ends too.
      if (newDt && (this.playing || this.steps > 0)) await c.pause();
      await c.setParams(params);
      if (newDt && this.playing) await c.play(this.rate);
    });
  }

  setMode(mode: Mode): void {
    checkParam(param('mode'), mode, this.specValue.layers);
    this.specValue = { ...this.specValue, mode };
    this.change((c) => c.setMode(mode));
  }

  play(): void {
    if (this.playing) return;
    this.playing = true;
    this.send((c) => c.play(this.rate));
    this.host.changed();
  }

  /** Stops playing, and ends a step in progress. */
  pause(): void {
    if (!this.playing && this.steps === 0) return;
    this.playing = false;
    this.send((c) => c.pause());
    this.host.changed();
  }

  /**
   * Takes `ticks` ticks; the simulation steps in slices that let commands through. A short
   * step (at most {@link LONG_STEP_TICKS}) comes before the commands sent after it, and
   * `settled` waits for it. A longer one runs as if playing: the commands sent after it go out
   * at once and apply between slices, `pause`, `reset`, `play` and a new network end it, and
   * `settled` does not wait for it (its progress shows in the snapshots). The simulation pauses
   * to step; a network that was playing plays again after.
   */
  step(ticks: number): void {
    const ticket = ++this.changes;
    const long = ticks > LONG_STEP_TICKS;
    this.steps++;
    const sent = this.send((link) => {
      const answer = link.step(ticks).then((s) => {
        this.accept(s, ticket);
        if (this.playing && link === this.link) this.send((c) => c.play(this.rate));
      }, this.refused);
      // A long step counts as sent once it is posted, a short one once it is answered.
      return long ? Promise.resolve({ answer }) : answer.then(() => ({ answer }));
    }, !long);
    void sent
      .then(({ answer }) => answer)
      .catch(noop)
      .finally(() => this.steps--);
  }

  /** Zero state, tick 0; weights and clamps are kept; a step in progress ends. */
  reset(): void {
    this.change((c) => c.reset());
  }

  /** Sets X = μ(1), which pulls (or holds) layer 1 while α = 1. */
  setInput(values: ArrayLike<number>): void {
    const X = (this.X = Float32Array.from(checkVector(values, this.specValue.layers[0], 'input')));
    this.change((c) => c.setInput(X));
  }

  /** Sets Y, held on the top layer while β = 0. */
  setTarget(values: ArrayLike<number>): void {
    const layers = this.specValue.layers;
    const Y = (this.Y = Float32Array.from(
      checkVector(values, layers[layers.length - 1], 'target'),
    ));
    this.change((c) => c.setTarget(Y));
  }

  clampNode(layer: number, index: number, value: number): void {
    checkClamp(this.specValue, layer, index, value);
    this.clamps[layer].set(index, value);
    this.change((c) => c.clampNode(layer, index, value));
  }

  /** The value node `index` of `layer` is held at, or null if it is free. */
  clampValue(layer: number, index: number): number | null {
    return this.clamps[layer]?.get(index) ?? null;
  }

  release(layer?: number, index?: number): void {
    if (layer === undefined) {
      for (const held of this.clamps) held.clear();
      this.change((c) => c.releaseAll());
      return;
    }
    checkLayer(this.specValue, layer);
    if (index === undefined) this.clamps[layer].clear();
    else this.clamps[layer].delete(index);
    this.change((c) => (index === undefined ? c.releaseAll(layer) : c.releaseNode(layer, index)));
  }

  /** Classify-mode equilibrium for `input` (feed-forward, top free); resolves to argmax x(n). */
  async classify(input: ArrayLike<number>): Promise<number> {
    const X = (this.X = Float32Array.from(checkVector(input, this.specValue.layers[0], 'input')));
    const top = this.specValue.layers.length - 1;
    this.clamps[top].clear();
    this.specValue = { ...this.specValue, mode: 'classify' };
    const ticket = ++this.changes;
    const snapshot = await this.send(async (c) => {
      const sent = [c.releaseAll(top), c.setMode('classify'), c.setInput(X)];
      const [result] = await Promise.all([c.feedForward(), ...sent]);
      return result;
    });
    this.accept(snapshot, ticket);
    return argmax(snapshot.states[top]);
  }

  /** The spec and the weights as safetensors bytes (see `src/io/safetensors.ts`). */
  save(metadata?: Record<string, string>): Promise<Uint8Array> {
    return this.send((c) => c.save(metadata));
  }

  /**
   * Trains the network on `data` in the simulation (see `SimulationApi.train`; the arrays are
   * transferred to a worker). Playing pauses first. Commands sent meanwhile go out at once and
   * apply between the slices of training, and `settled` does not wait for it; the weights it
   * learns show in the snapshots. `cancel()` ends it after its current batch.
   */
  train(data: JobData, job: TrainJob, onProgress?: Callback<TrainProgress>): Promise<TrainSummary> {
    this.pause();
    return this.job((c) => c.train(data, job, onProgress));
  }

  /** The classify-mode accuracy and confusion on `data` (see `SimulationApi.evaluate`). */
  evaluate(data: JobData, onProgress?: Callback<number>): Promise<Evaluation> {
    return this.job((c) => c.evaluate(data, onProgress));
  }

  /** Ends a `train` or `evaluate` in progress after its current batch or chunk. */
  cancel(): void {
    this.send((c) => c.cancel());
  }

  /** Resolves once every command sent so far shows in `snapshot`. */
  async settled(): Promise<void> {
    while (this.connected && this.link) {
      const queue = this.queue;
      await queue.drained();
      if (queue !== this.queue) continue;
      if (this.upTo >= this.changes) break;
      const ticket = this.changes;
      try {
        this.accept(await this.send((c) => c.snapshot()), ticket);
      } catch {
        break;
      }
      if (this.upTo < ticket) break;
    }
    this.publish();
  }

  /** Starts a simulation and restores the network in it (spec, weights, clamps, X, Y, states). */
  private open(): void {
    if (this.link || this.gaveUp) return;
    let link: SimulationLink;
    try {
      link = this.options.connect({ fps: this.fps, weightLimit: SNAPSHOT_WEIGHT_LIMIT });
    } catch (e) {
      this.gaveUp = true;
      this.host.failed(
        `Could not start the simulation worker: ${(e as Error).message}.${this.hint}`,
      );
      return;
    }
    this.link = link;
    this.filter.restart();
    this.subscription = new Subscription();
    this.subscription.add(link.snapshot$.subscribe((s) => this.accept(s)));
    this.subscription.add(link.event$.subscribe((e) => this.onEvent(e)));
    const closing = this.closing;
    this.queue.attach(link, async (c) => {
      await closing;
      await this.restore(c).catch(this.refused);
    });
  }

  private get hint(): string {
    return this.options.fallbackHint ? ` ${this.options.fallbackHint}` : '';
  }

  /** Ends the simulation; commands sent from now on wait for the next one. */
  private close(): void {
    const link = this.link;
    if (!link) return;
    this.link = null;
    this.subscription.unsubscribe();
    this.queue.close();
    this.queue = new CommandQueue();
    if (!link.alive || !this.filter.behind) {
      link.terminate();
      return;
    }
    // A large network learned weights its snapshots do not carry: fetch them first.
    const generation = this.networks;
    const fetched = link.snapshot({ weights: true }).then((s) => {
      if (generation !== this.networks || !s.weights) return;
      this.filter.fetched(s.weights);
      this.latest = viewOf(s, this.specValue, s.weights, this.playing);
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, FINAL_FETCH_MS)));
    this.closing = Promise.race([fetched, timeout])
      .catch(noop)
      .finally(() => {
        clearTimeout(timer);
        link.terminate();
      });
  }

  private async restore(c: SimulationLink): Promise<void> {
    const s = this.latest;
    const sent: Promise<unknown>[] = [this.create(c), c.setInput(this.X), c.setTarget(this.Y)];
    this.clamps.forEach((held, l) => held.forEach((v, i) => sent.push(c.clampNode(l, i, v))));
    const { tick, time, equilibrium } = s;
    sent.push(c.restore({ states: [...s.x], errors: [...s.eps], tick, time, equilibrium }));
    if (this.playing) sent.push(c.play(this.rate));
    await Promise.all(sent);
  }

  /** Builds the current network; its snapshots count from its answer on. */
  private async create(c: SimulationLink): Promise<NetworkInfo> {
    const generation = this.networks;
    this.filter.replaced(this.filter.weights);
    const info = await c.create(this.specValue, 1, this.filter.weights ?? undefined, {
      memoryBudget: this.memoryBudget,
    });
    if (generation === this.networks) this.filter.built(info.weightsVersion);
    this.kernelsName = info.backend;
    return info;
  }

  /** What `undo` needs to go back to the network shown now (a replacement that failed). */
  private keep(): () => void {
    const { specValue, current, latest, clamps, X, Y, kernelsName } = this;
    const filter = this.filter.mark();
    return () => {
      Object.assign(this, { specValue, current, latest, clamps, X, Y, kernelsName });
      this.filter.rollback(filter);
      this.networks++; // the host redraws it as a replaced network
      this.host.changed();
    };
  }

  /** A snapshot arrived (streamed, or a command's answer reflecting changes up to `ticket`). */
  private accept(s: Snapshot, ticket = 0): void {
    const admitted = this.filter.admit(s);
    if (admitted === 'late') return;
    this.upTo = Math.max(this.upTo, ticket);
    if (admitted === 'old') return;
    this.latest = viewOf(s, this.specValue, this.filter.weights, this.playing);
    if (this.connected) this.host.snapshotWaiting();
  }

  private onEvent(e: ClientEvent): void {
    if (e.type === 'failed') {
      this.crashed(e.message);
      return;
    }
    // The simulation paused by itself: show its last good state.
    this.playing = false;
    const ticket = ++this.changes;
    this.send((c) => c.snapshot()).then((s) => this.accept(s, ticket), noop);
    this.host.changed();
    if (e.type === 'divergence') {
      this.host.diverged({ layer: e.layer ?? 0, tick: e.tick + 1, message: e.message });
    } else {
      this.host.failed(e.message);
    }
  }

  /** The crash and hang policy: a new worker from the last state, `maxRestarts` a minute. */
  private crashed(why: string): void {
    const tick = this.latest.tick;
    const lost = this.filter.behind;
    this.close();
    this.playing = false;
    this.host.changed();
    const now = performance.now();
    this.crashes = this.crashes.filter((t) => now - t < 60_000);
    const what = why.charAt(0).toUpperCase() + why.slice(1);
    if (this.crashes.length >= this.maxRestarts) {
      this.gaveUp = true;
      this.host.failed(
        `${what}. It failed too often to restart: the last state is shown.${this.hint}`,
      );
      return;
    }
    this.crashes.push(now);
    const weights = lost ? '; the weights it learned since the last ones received are lost' : '';
    this.host.failed(
      `${what}. A new worker took over from the last state received (tick ${tick}), paused${weights}.`,
    );
    this.open();
  }

  /**
   * A long job (train, evaluate): it counts as sent once posted, as a long step does, so that
   * the commands after it (`cancel`) go out; its answer is the promise returned, and a
   * snapshot after it shows what it changed.
   */
  private job<T>(start: (c: SimulationLink) => Promise<T>): Promise<T> {
    const posted = this.send((c) => Promise.resolve({ answer: start(c), link: c }));
    return posted.then(async ({ answer, link }) => {
      const result = await answer;
      const ticket = ++this.changes;
      if (link === this.link) {
        this.send((c) => c.snapshot()).then((s) => this.accept(s, ticket), noop);
      }
      return result;
    });
  }

  /** Sends a command that changes the network (the next `settled` fetches a snapshot). */
  private change(command: Command<unknown>): void {
    this.changes++;
    this.send(command);
  }

  private send<T>(command: Command<T>, blocking = false): Promise<T> {
    const result = this.gaveUp
      ? Promise.reject(new WorkerFailedError('the simulation worker is stopped'))
      : this.queue.send(command, blocking);
    result.catch(this.refused);
    return result;
  }

  /** A command failed: the host is told, unless the link ended or it diverged (an event). */
  private readonly refused = (e: unknown): void => {
    if (e instanceof WorkerFailedError || (e instanceof Error && e.name === 'DivergenceError')) {
      return;
    }
    this.host.failed(e instanceof Error ? e.message : String(e));
  };
}
