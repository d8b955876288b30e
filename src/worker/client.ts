import { type Endpoint, proxy, type Remote, releaseProxy, transfer, wrap } from 'comlink';
import { type Observable, Subject } from 'rxjs';
import type { LiveParams } from '../model/network';
import type { Mode, NetworkSpecInput } from '../model/spec';
import type { TickRate } from '../streams/clock';
import { DISPLAY_FPS } from '../streams/display';
import type {
  BuildOptions,
  Callback,
  JobData,
  NetworkInfo,
  RestoreState,
  SimulationApi,
  SimulationEvent,
  Snapshot,
  TrainJob,
  WeightSet,
} from './protocol';
import type { TrainProgress } from './training';

/** The worker crashed, stopped answering, or was terminated; `restart()` gives a new one. */
export class WorkerFailedError extends Error {
  override name = 'WorkerFailedError';
}

export interface SimulationClientOptions {
  /** Snapshots per second at most. Default 30. */
  fps?: number;
  /** How long `ping()` waits for an answer, in ms. Default 2000. */
  pingTimeoutMs?: number;
  /**
   * Ping every this many ms, from the worker's first answer on, and fail the worker if one goes
   * unanswered; 0 (default): never.
   */
  heartbeatMs?: number;
  /** Snapshots carry M and W when they changed, for networks with at most this many. Default 0. */
  weightLimit?: number;
  /** Makes the worker; default: the module worker `simulation.worker.ts`. */
  createWorker?: () => Worker;
}

/** A crash, a timeout, or an event the worker reported (divergence while playing, say). */
export type ClientEvent = SimulationEvent | { type: 'failed'; message: string };

/**
 * The main thread's handle on a simulation worker: every command of {@link SimulationApi} as a
 * promise, `snapshot$` at display rate, and failure handling. If the worker throws outside a
 * call (an `error` event) or misses a ping, it counts as failed: every pending and later call
 * rejects with a {@link WorkerFailedError} saying why, until `restart()`, which starts a new
 * worker and re-creates the last network created (from its spec and the weights it was created
 * with: learned weights are lost unless saved). `terminate()` ends the worker for good.
 */
export class SimulationClient {
  /** Snapshots (buffers owned by the receiver: see {@link Snapshot}). */
  readonly snapshot$: Observable<Snapshot>;
  readonly event$: Observable<ClientEvent>;

  private readonly snapshots = new Subject<Snapshot>();
  private readonly events = new Subject<ClientEvent>();
  private readonly options: Required<Omit<SimulationClientOptions, 'createWorker'>>;
  private worker!: Worker;
  private remote!: Remote<SimulationApi>;
  private failure: WorkerFailedError | null = null;
  private failed!: Promise<never>;
  private fail!: (error: WorkerFailedError) => void;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private endpoint: WorkerEndpoint | null = null;
  /** Calls that build or copy a whole network, in flight: a worker busy with one is not hung. */
  private building = 0;
  /** When the last of them answered. */
  private builtAt = -Infinity;
  private lastCreate: [NetworkSpecInput, number, WeightSet | undefined, BuildOptions] | null = null;

  constructor(private readonly settings: SimulationClientOptions = {}) {
    const { fps = DISPLAY_FPS, pingTimeoutMs = 2000, heartbeatMs = 0, weightLimit = 0 } = settings;
    this.options = { fps, pingTimeoutMs, heartbeatMs, weightLimit };
    this.snapshot$ = this.snapshots.asObservable();
    this.event$ = this.events.asObservable();
    this.start();
  }

  /** Whether the worker has failed or was terminated. */
  get alive(): boolean {
    return this.failure === null;
  }

  /**
   * A new network; `weights` are copied (not transferred: the caller keeps them). While it is
   * built (seconds, for a large one) missed pings do not count.
   */
  async create(
    spec: NetworkSpecInput,
    batch = 1,
    weights?: WeightSet,
    options: BuildOptions = {},
  ): Promise<NetworkInfo> {
    const info = await this.build((r) => r.create(spec, batch, weights, options));
    this.lastCreate = [spec, batch, weights, options];
    return info;
  }

  load = (bytes: Uint8Array, batch?: number, options?: BuildOptions) =>
    this.build((r) => r.load(bytes, batch, options));
  save = (metadata?: Record<string, string>) => this.build((r) => r.save(metadata));
  /**
   * Trains in the worker (see {@link SimulationApi.train}); the rows' arrays are transferred
   * (the caller gives them up). While it runs missed pings do not count, as while a network is
   * built: one batch of a large network may take seconds.
   */
  train = (data: JobData, job: TrainJob, onProgress?: Callback<TrainProgress>) =>
    this.build((r) =>
      r.train(transfer(data, jobBuffers(data, job.test)), job, onProgress && proxy(onProgress)),
    );
  /** Evaluates in the worker; the rows' arrays are transferred. */
  evaluate = (data: JobData, onProgress?: Callback<number>) =>
    this.build((r) =>
      r.evaluate(transfer(data, jobBuffers(data)), onProgress && proxy(onProgress)),
    );
  cancel = () => this.call((r) => r.cancel());
  clampNode = (layer: number, index: number, value: number | number[]) =>
    this.call((r) => r.clampNode(layer, index, value));
  releaseNode = (layer: number, index: number) => this.call((r) => r.releaseNode(layer, index));
  releaseAll = (layer?: number) => this.call((r) => r.releaseAll(layer));
  setInput = (values: number[] | Float32Array) => this.call((r) => r.setInput(values));
  setTarget = (values: number[] | Float32Array) => this.call((r) => r.setTarget(values));
  setTargetClass = (classes: number | number[]) => this.call((r) => r.setTargetClass(classes));
  setParams = (params: LiveParams) => this.call((r) => r.setParams(params));
  setMode = (mode: Mode) => this.call((r) => r.setMode(mode));
  step = (ticks: number) => this.call((r) => r.step(ticks));
  feedForward = () => this.call((r) => r.feedForward());
  restore = (state: RestoreState) => this.build((r) => r.restore(state));
  play = (rate: TickRate) => this.call((r) => r.play(rate));
  pause = () => this.call((r) => r.pause());
  reset = (init?: { std?: number }) => this.call((r) => r.reset(init));
  snapshot = (options?: { weights?: boolean }) =>
    options?.weights
      ? this.build((r) => r.snapshot(options))
      : this.call((r) => r.snapshot(options));
  /** @internal Test only. */
  crashForTest = () => this.call((r) => r.crashForTest());
  /** @internal Test only. */
  hangForTest = (ms: number) => this.call((r) => r.hangForTest(ms));

  /**
   * Round-trip time in ms; fails the worker if it does not answer within `timeoutMs`, unless
   * it was building a network meanwhile (then the wait starts again from the build's answer).
   */
  ping(timeoutMs = this.options.pingTimeoutMs): Promise<number> {
    const t0 = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      const check = () => {
        const now = performance.now();
        if (this.building > 0 || this.builtAt > t0) {
          const wait = this.building > 0 ? timeoutMs : this.builtAt + timeoutMs - now;
          if (wait > 0) {
            timer = setTimeout(check, wait);
            return;
          }
        }
        const error = new WorkerFailedError(
          `simulation worker did not answer a ping within ${timeoutMs} ms`,
        );
        this.markFailed(error);
        reject(error);
      };
      timer = setTimeout(check, timeoutMs);
    });
    const answer = this.call((r) => r.ping()).then(() => performance.now() - t0);
    return Promise.race([answer, late]).finally(() => clearTimeout(timer));
  }

  /** Ends the current worker (if any) and starts a new one with the last network created. */
  async restart(): Promise<NetworkInfo | null> {
    this.markFailed(new WorkerFailedError('simulation worker was restarted'), false);
    this.start();
    return this.lastCreate ? this.create(...this.lastCreate) : null;
  }

  /** Ends the worker; pending and later calls reject. */
  terminate(): void {
    this.markFailed(new WorkerFailedError('simulation worker was terminated'), false);
  }

  private start(): void {
    this.failure = null;
    this.failed = new Promise<never>((_, reject) => (this.fail = reject));
    this.failed.catch(() => undefined); // Rejections reach callers through `call`.
    const create = this.settings.createWorker;
    const worker = create
      ? create()
      : new Worker(new URL('./simulation.worker.ts', import.meta.url), { type: 'module' });
    this.worker = worker;
    const endpoint = (this.endpoint = new WorkerEndpoint(worker));
    endpoint.addEventListener('error', (e: Event) => {
      e.preventDefault();
      const why = e instanceof ErrorEvent && e.message ? e.message : 'it failed to load or run';
      this.markFailed(new WorkerFailedError(`simulation worker crashed: ${why}`));
    });
    endpoint.addEventListener('messageerror', () =>
      this.markFailed(
        new WorkerFailedError('simulation worker sent a message that cannot be read'),
      ),
    );
    this.remote = wrap<SimulationApi>(endpoint);
    void this.call((r) => {
      const onSnapshot = proxy((s: Snapshot) => this.snapshots.next(s));
      const onEvent = proxy((e: SimulationEvent) => this.events.next(e));
      const { fps, weightLimit } = this.options;
      return Promise.all([r.onSnapshot(onSnapshot, fps, weightLimit), r.onEvent(onEvent)]);
    })
      .then(() => {
        // Pings start once the worker has answered: loading its module is not a hang.
        if (this.options.heartbeatMs > 0 && this.worker === worker && this.alive) {
          this.heartbeat = setInterval(
            () => void this.ping().catch(() => undefined),
            this.options.heartbeatMs,
          );
        }
      })
      .catch(() => undefined);
  }

  /**
   * Rejects every pending call and ends the worker (a hung one cannot be saved). The proxy is
   * released and the worker's listeners removed: comlink keeps the endpoint of every proxy in
   * a module-level FinalizationRegistry, so anything the endpoint still reached (this client,
   * through a listener, and its owner) would never be freed.
   */
  private markFailed(error: WorkerFailedError, report = true): void {
    clearInterval(this.heartbeat);
    const endpoint = this.endpoint;
    this.endpoint = null;
    if (endpoint) {
      this.remote[releaseProxy]();
      endpoint.detach();
    }
    this.worker.terminate();
    if (this.failure) return;
    this.failure = error;
    this.fail(error);
    if (report) this.events.next({ type: 'failed', message: error.message });
  }

  /** {@link call} for a command that builds or copies a whole network (see {@link ping}). */
  private build<T>(command: (remote: Remote<SimulationApi>) => Promise<T>): Promise<T> {
    this.building++;
    return this.call(command).finally(() => {
      this.building--;
      this.builtAt = performance.now();
    });
  }

  /** Runs a command, unless the worker has failed; rejects as soon as it fails. */
  private call<T>(command: (remote: Remote<SimulationApi>) => Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return Promise.race([command(this.remote), this.failed]);
  }
}

/** The distinct buffers of the rows' arrays (a buffer listed twice cannot be transferred). */
function jobBuffers(...parts: (JobData | undefined)[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const d of parts) {
    if (!d) continue;
    for (const a of [d.inputs, d.targets, d.labels]) {
      if (a && a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
    }
  }
  return [...buffers];
}

/**
 * The worker as comlink's endpoint, until {@link WorkerEndpoint.detach}: then every listener
 * added through it is removed and it no longer reaches the worker, so that comlink's registry
 * (which keeps endpoints) holds nothing of the client's.
 */
class WorkerEndpoint implements Endpoint {
  private listeners: [string, EventListenerOrEventListenerObject][] = [];

  constructor(private worker: Worker | null) {}

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    if (!this.worker) return;
    this.listeners.push([type, listener]);
    this.worker.addEventListener(type, listener);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    this.worker?.removeEventListener(type, listener);
    this.listeners = this.listeners.filter(([t, l]) => t !== type || l !== listener);
  }

  detach(): void {
    for (const [type, listener] of this.listeners) this.worker?.removeEventListener(type, listener);
    this.listeners = [];
    this.worker = null;
  }
}
