import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { Subscription } from 'rxjs';
import {
  checkMemoryBudget,
  type ClientEvent,
  DEFAULT_MEMORY_BUDGET_MIB,
  DISPLAY_FPS,
  type LiveParams,
  type Mode,
  MODES,
  type NetworkInfo,
  type NetworkSpec,
  resolveSpec,
  SimulationClient,
  type SimulationClientOptions,
  type Snapshot,
  SpecError,
  WorkerFailedError,
} from '../../src/index';
import { type Command, CommandQueue } from './command-queue';
import {
  LONG_STEP_TICKS,
  type Simulation,
  type SimulationCallbacks,
  type SimulationSnapshot,
  type Weights,
} from './simulation';
import {
  animationFrames,
  argmax,
  type FrameScheduler,
  SNAPSHOT_WEIGHT_LIMIT,
} from './simulation-controller';
import {
  checkClamp,
  checkLayer,
  checkVector,
  copySpec,
  emptySnapshot,
  fromWorker,
} from './worker-model';
import { SnapshotFilter } from './snapshot-filter';

export interface WorkerSimulationOptions {
  scheduler?: FrameScheduler;
  /** Ticks per second of real time. Default 200. */
  speed?: number;
  /** Snapshots per second at most. Default 30. */
  fps?: number;
  /** Makes the client and its worker (a test can count or break them). */
  createClient?: (options: SimulationClientOptions) => SimulationClient;
  /** Crashes within a minute that are restarted; the next one is not. Default 3. */
  maxRestarts?: number;
  /** MiB a network may take (see `networkBytes`). Default `DEFAULT_MEMORY_BUDGET_MIB`. */
  memoryBudget?: number;
}

const noop = (): void => undefined;
const MAIN = ' (engine="main" runs the network on the page\'s thread.)';
/** Waits this long for a large trained network's weights before its worker ends. */
const FINAL_FETCH_MS = 1000;

/**
 * Runs an element's network in a simulation worker ({@link SimulationClient}): the main thread
 * sends commands and draws the worker's snapshots, never running the maths. Commands go out in
 * order (a {@link CommandQueue}); snapshots come at most `fps` a second, and the newest is
 * published on the next display frame. `settled()` waits until every command sent shows.
 *
 * The controller keeps what it needs to rebuild the network: the spec, clamps, the last
 * snapshot (states, X, Y, tick) and the latest weights it has (small networks send theirs when
 * they change; large ones only when asked). Disconnecting the host ends the worker (after
 * fetching the weights of a large network that learned since), unless it connects again in the
 * same task (a move); connecting starts a new one and restores the network. A crashed or hung worker is replaced the same way, paused, and the
 * host is told through `failed`; after `maxRestarts` crashes in a minute it is left stopped.
 */
export class WorkerSimulationController implements ReactiveController, Simulation {
  private specValue: NetworkSpec;
  private current: SimulationSnapshot;
  /** The newest snapshot accepted, published at the next frame. */
  private latest: SimulationSnapshot;
  /** Clamps, X and Y as last set here: the worker's are the same once it has caught up. */
  private clamps: Map<number, number>[];
  private X: Float32Array;
  private Y: Float32Array;
  private readonly filter = new SnapshotFilter();
  private kernelsName = '';
  private client: SimulationClient | null = null;
  private queue = new CommandQueue();
  private subscription = new Subscription();
  private closing: Promise<void> = Promise.resolve();
  private connected = false;
  private playing = false;
  private rate: number;
  private frameId: number | null = null;
  private networks = 0;
  /** Commands that change the network, counted; `upTo`: how many of them `latest` shows. */
  private changes = 0;
  private upTo = 0;
  private crashes: number[] = [];
  /** Steps sent whose answer has not come. */
  private steps = 0;
  private gaveUp = false;
  private readonly scheduler: FrameScheduler;
  private readonly fps: number;
  private readonly maxRestarts: number;
  private readonly createClient: (options: SimulationClientOptions) => SimulationClient;

  constructor(
    private readonly host: ReactiveControllerHost,
    spec: NetworkSpec,
    private readonly callbacks: SimulationCallbacks,
    options: WorkerSimulationOptions = {},
  ) {
    this.scheduler = options.scheduler ?? animationFrames;
    this.rate = options.speed ?? 200;
    this.fps = options.fps ?? DISPLAY_FPS;
    this.maxRestarts = options.maxRestarts ?? 3;
    this.createClient = options.createClient ?? ((o) => new SimulationClient(o));
    this.memoryBudget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET_MIB;
    this.specValue = copySpec(resolveSpec(spec));
    this.current = this.latest = emptySnapshot(this.specValue, null);
    this.clamps = this.specValue.layers.map(() => new Map());
    this.X = this.latest.X;
    this.Y = this.latest.Y;
    host.addController(this);
  }

  /** MiB a network may take: `configure` refuses a larger one before anything is built. */
  memoryBudget: number;

  get spec(): Readonly<NetworkSpec> {
    return this.specValue;
  }

  get snapshot(): SimulationSnapshot {
    return this.current;
  }

  get weights(): Weights | null {
    return this.filter.weights;
  }

  get generation(): number {
    return this.networks;
  }

  get kernels(): string {
    return this.kernelsName;
  }

  get running(): boolean {
    return this.playing;
  }

  get speed(): number {
    return this.rate;
  }

  set speed(ticksPerSecond: number) {
    this.rate = ticksPerSecond;
    if (this.playing) this.send((c) => c.play(ticksPerSecond));
  }

  hostConnected(): void {
    this.connected = true;
    this.gaveUp = false;
    this.open();
    if (this.latest !== this.current) this.frameId ??= this.scheduler.request(this.onFrame);
  }

  hostDisconnected(): void {
    this.connected = false;
    if (this.frameId !== null) this.scheduler.cancel(this.frameId);
    this.frameId = null;
    // An element moved in the page (removed and inserted in one task) keeps its worker.
    queueMicrotask(() => {
      if (!this.connected) this.close();
    });
  }

  /**
   * Replaces the network. A spec over the memory budget throws (a `MemoryBudgetError`) and
   * changes nothing; if the worker cannot build it (out of memory, say), the controller goes
   * back to the last good network, which the worker kept, and the host is told (`failed`).
   */
  configure(spec: NetworkSpec, weights?: Weights): void {
    const next = copySpec(resolveSpec(spec));
    checkMemoryBudget(next, this.memoryBudget, 'memory-budget');
    const undo = this.keep();
    this.specValue = next;
    this.filter.replaced(weights ?? null);
    this.networks++;
    this.clamps = this.specValue.layers.map(() => new Map());
    // A replaced network is not a frame: the element is mid-update and redraws from this.
    this.current = this.latest = emptySnapshot(this.specValue, this.filter.weights);
    this.X = this.latest.X;
    this.Y = this.latest.Y;
    this.changes++; // its first snapshot brings its weights (small networks)
    this.host.requestUpdate();
    if (this.gaveUp && this.connected) this.hostConnected();
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
        // A new network in the worker starts paused: one that was playing goes on.
        if (this.playing) await c.play(this.rate);
      });
    }
  }

  setParams(params: LiveParams): void {
    const spec = this.specValue;
    const next = resolveSpec({ ...spec, ...params, layers: spec.layers });
    this.specValue = copySpec(next);
    // The worker fixes dt during a run (STYLE.md point 4): a new dt starts a new run.
    const newDt = params.dt !== undefined && params.dt !== spec.dt;
    this.change(async (c) => {
      // A step in progress ends too.
      if (newDt && (this.playing || this.steps > 0)) await c.pause();
      await c.setParams(params);
      if (newDt && this.playing) await c.play(this.rate);
    });
  }

  setMode(mode: Mode): void {
    if (!MODES.includes(mode)) {
      throw new SpecError('mode', `mode must be one of ${MODES.join(', ')}, got "${mode}"`);
    }
    this.specValue = { ...this.specValue, mode };
    this.change((c) => c.setMode(mode));
  }

  play(): void {
    if (this.playing) return;
    this.playing = true;
    this.send((c) => c.play(this.rate));
    this.host.requestUpdate();
  }

  /** Stops playing, and ends a step in progress. */
  pause(): void {
    if (!this.playing && this.steps === 0) return;
    this.playing = false;
    this.send((c) => c.pause());
    this.host.requestUpdate();
  }

  /**
   * Takes `ticks` ticks in the worker, which steps in slices that let commands through. A short
   * step (at most {@link LONG_STEP_TICKS}) comes before the commands sent after it, and
   * `settled` waits for it. A longer one runs as if playing: the commands sent after it go out
   * at once and apply between slices, `pause`, `reset`, `play` and a new network end it, and
   * `settled` does not wait for it (its progress shows in the snapshots). The worker pauses to
   * step; a network that was playing plays again after.
   */
  step(ticks: number): void {
    const ticket = ++this.changes;
    const long = ticks > LONG_STEP_TICKS;
    this.steps++;
    const sent = this.send((client) => {
      const answer = client.step(ticks).then((s) => {
        this.accept(s, ticket);
        if (this.playing && client === this.client) this.send((c) => c.play(this.rate));
      }, this.refused);
      // A long step counts as sent once it is posted, a short one once it is answered.
      return long ? Promise.resolve({ answer }) : answer.then(() => ({ answer }));
    }, !long);
    void sent
      .then(({ answer }) => answer)
      .catch(noop)
      .finally(() => this.steps--);
  }

  /** Zero state, tick 0; a step in progress ends. */
  reset(): void {
    this.change((c) => c.reset());
  }

  setInput(values: ArrayLike<number>): void {
    const X = (this.X = Float32Array.from(checkVector(values, this.specValue.layers[0], 'input')));
    this.change((c) => c.setInput(X));
  }

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

  save(): Promise<Uint8Array> {
    return this.send((c) => c.save());
  }

  async settled(): Promise<void> {
    while (this.connected && this.client) {
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

  /** @internal Test only: makes the worker throw in its global scope. */
  crashForTest(): void {
    void this.client?.crashForTest().catch(noop);
  }

  /** Starts a worker and restores the network in it (spec, weights, clamps, X, Y, states). */
  private open(): void {
    if (this.client || this.gaveUp) return;
    let client: SimulationClient;
    try {
      client = this.createClient({
        fps: this.fps,
        weightLimit: SNAPSHOT_WEIGHT_LIMIT,
        heartbeatMs: 2000,
        pingTimeoutMs: 5000,
      });
    } catch (e) {
      this.gaveUp = true; // a page whose policy forbids workers, say
      this.callbacks.failed(
        `Could not start the simulation worker: ${(e as Error).message}.${MAIN}`,
      );
      return;
    }
    this.client = client;
    this.filter.restart();
    this.subscription = new Subscription();
    this.subscription.add(client.snapshot$.subscribe((s) => this.accept(s)));
    this.subscription.add(client.event$.subscribe((e) => this.onEvent(e)));
    const closing = this.closing;
    this.queue.attach(client, async (c) => {
      await closing;
      await this.restore(c).catch(this.refused);
    });
  }

  /** Ends the worker; commands sent from now on wait for the next one. */
  private close(): void {
    const client = this.client;
    if (!client) return;
    this.client = null;
    this.subscription.unsubscribe();
    this.queue.close();
    this.queue = new CommandQueue();
    if (!client.alive || !this.filter.behind) {
      client.terminate();
      return;
    }
    // A large network learned weights its snapshots do not carry: fetch them first.
    const generation = this.networks;
    const fetched = client.snapshot({ weights: true }).then((s) => {
      if (generation !== this.networks || !s.weights) return;
      this.filter.fetched(s.weights);
      this.latest = fromWorker(s, this.specValue, s.weights, this.playing);
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, FINAL_FETCH_MS)));
    this.closing = Promise.race([fetched, timeout])
      .catch(noop)
      .finally(() => {
        clearTimeout(timer);
        client.terminate();
      });
  }

  private async restore(c: SimulationClient): Promise<void> {
    const s = this.latest;
    const sent: Promise<unknown>[] = [this.create(c), c.setInput(this.X), c.setTarget(this.Y)];
    this.clamps.forEach((held, l) => held.forEach((v, i) => sent.push(c.clampNode(l, i, v))));
    const { tick, time, equilibrium } = s;
    sent.push(c.restore({ states: [...s.x], errors: [...s.eps], tick, time, equilibrium }));
    if (this.playing) sent.push(c.play(this.rate));
    await Promise.all(sent);
  }

  /** Builds the current network in the worker; its snapshots count from its answer on. */
  private async create(c: SimulationClient): Promise<NetworkInfo> {
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
      this.networks++; // the element redraws it as a replaced network
      this.host.requestUpdate();
    };
  }

  /** A snapshot arrived (streamed, or a command's answer reflecting changes up to `ticket`). */
  private accept(s: Snapshot, ticket = 0): void {
    const admitted = this.filter.admit(s);
    if (admitted === 'late') return;
    this.upTo = Math.max(this.upTo, ticket);
    if (admitted === 'old') return;
    this.latest = fromWorker(s, this.specValue, this.filter.weights, this.playing);
    if (this.frameId === null && this.connected) {
      this.frameId = this.scheduler.request(this.onFrame);
    }
  }

  private readonly onFrame = (): void => {
    this.frameId = null;
    this.publish();
  };

  private publish(): void {
    if (this.latest === this.current) return;
    const previous = this.current;
    this.current = this.latest;
    this.host.requestUpdate();
    this.callbacks.frame(this.current, previous);
  }

  private onEvent(e: ClientEvent): void {
    if (e.type === 'failed') {
      this.crashed(e.message);
      return;
    }
    // The worker paused by itself: show its last good state.
    this.playing = false;
    const ticket = ++this.changes;
    this.send((c) => c.snapshot()).then((s) => this.accept(s, ticket), noop);
    this.host.requestUpdate();
    if (e.type === 'divergence') {
      this.callbacks.diverged({ layer: e.layer ?? 0, tick: e.tick + 1, message: e.message });
    } else {
      this.callbacks.failed(e.message);
    }
  }

  private crashed(why: string): void {
    const tick = this.latest.tick;
    const lost = this.filter.behind;
    this.close();
    this.playing = false;
    this.host.requestUpdate();
    const now = performance.now();
    this.crashes = this.crashes.filter((t) => now - t < 60_000);
    const what = why.charAt(0).toUpperCase() + why.slice(1);
    if (this.crashes.length >= this.maxRestarts) {
      this.gaveUp = true;
      this.callbacks.failed(
        `${what}. It failed too often to restart: the last state is shown.${MAIN}`,
      );
      return;
    }
    this.crashes.push(now);
    const weights = lost ? '; the weights it learned since the last ones received are lost' : '';
    this.callbacks.failed(
      `${what}. A new worker took over from the last state received (tick ${tick}), paused${weights}.`,
    );
    this.open();
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

  /** A command failed: the element is told, unless the worker ended or it diverged (an event). */
  private readonly refused = (e: unknown): void => {
    if (e instanceof WorkerFailedError || (e instanceof Error && e.name === 'DivergenceError')) {
      return;
    }
    this.callbacks.failed(e instanceof Error ? e.message : String(e));
  };
}
