import { type Remote, wrap } from 'comlink';
import { jsBackend } from '../kernels/backend';
import { SMALL_NETWORK_FLOATS } from '../kernels/wasm';
import { DivergenceError } from '../model/errors';
import { type LiveParams, Network, type StepReport } from '../model/network';
import { type Mode, type NetworkSpecInput, SpecError } from '../model/spec';
import type { Random } from '../random';
import type { BackendChoice } from './protocol';
import { sharedMemoryAvailable } from './shared-memory';
import {
  CTL_GENERATION,
  CTL_STOP,
  maxSplitWorkers,
  partition,
  type PartRange,
  SplitLayout,
} from './split-layout';
import type {
  NodeClamp,
  PartConfig,
  RunReport,
  RunRequest,
  SplitWorkerApi,
} from './split-protocol';

/** `shared`: the workers tick together through shared memory; `single`: one worker runs it all. */
export type SplitPath = 'shared' | 'single';

/** One split worker, however it was made (a page's Worker, a Node worker thread). */
export interface SplitWorker {
  readonly api: Remote<SplitWorkerApi>;
  /** Calls `callback` once if the worker crashes (an uncaught error, an abnormal exit). */
  onFailure(callback: (error: Error) => void): void;
  terminate(): void;
}

export interface SplitNetworkOptions {
  /** Workers to split the network across (default 2); at most one per 4 units of the largest layer. */
  workers?: number;
  /** B, samples simulated at once (default 1). */
  batch?: number;
  /** The workers' kernels, chosen as `Network`'s would be (default `auto`). */
  backend?: BackendChoice;
  /**
   * Use shared memory (default: where it can be shared, i.e. in Node and in a
   * cross-origin-isolated page). Without it the whole network runs in one worker.
   */
  shared?: boolean;
  /** A worker waiting longer than this for the others at a tick fails the run (default 30 s). */
  timeoutMs?: number;
}

export { sharedMemoryAvailable };

/**
 * One network split by units across workers that tick it together (`path: 'shared'`): worker
 * p owns a range of units of every layer and its rows of every M and W, in its own memory, so
 * that a batch-1 network too big for one core's cache fits in each core's half. The state and
 * error vectors live in shared memory, double-buffered; within a tick every update reads tick
 * t−1 only, so one barrier per tick is all the workers need (`split-part.ts`).
 *
 * Without shared memory (a page that is not cross-origin isolated, or `shared: false`) the
 * whole network runs in one worker (`path: 'single'`). Either way the results are the bits
 * `Network.step` gives on the same kernels: each part runs the same kernels on row ranges
 * that start on whole blocks of 4 rows, and the kernels compute each row alike in any range.
 *
 * The setters mirror `Network`'s, check their arguments at once and take effect at the next
 * call that reaches the workers (`step`, `run`, `state`, `weights`); calls reach the workers
 * in order. A worker that crashes or stops answering ends the split network with an error.
 */
export class SplitNetwork {
  /** Which path runs the network. */
  readonly path: SplitPath;
  /** Workers running it (1 on the single path). */
  readonly workers: number;
  /** The kernels in the workers: `js`, `wasm-simd`, `wasm-relaxed-simd`. */
  readonly backendName: string;
  /** Units of each layer owned by each worker. */
  readonly ranges: readonly PartRange[];

  /**
   * Seconds each worker spent in the last `step` or `run`, and how much of that it waited at
   * the tick barrier for the others: a large wait on every worker says they did not run at
   * the same time (a busy machine); on one worker only, that the split is uneven.
   */
  lastRunTimes: { seconds: number[]; waitSeconds: number[] } = { seconds: [], waitSeconds: [] };

  private tickCount = 0;
  private lastMaxRate = Infinity;
  /** Simulated time in seconds (ticks × dt). */
  time = 0;

  private configDirty = true;
  private holdsDirty = false;
  private pendingState: { x: Float32Array[]; eps: Float32Array[] } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | null = null;
  private failed!: Promise<never>;
  private rejectFailed!: (error: Error) => void;
  /** Test hook: the next run fails this way. */
  private fault: RunRequest['fault'] | undefined;

  /**
   * Makes the workers (with `spawn`) and gives them the network of `spec`, with the weights
   * `new Network(spec)` would start with. Use `createSplitNetwork` (a page) or
   * `createNodeSplitNetwork` (Node), which know how to make workers.
   */
  static async create(
    spec: NetworkSpecInput,
    options: SplitNetworkOptions,
    spawn: () => SplitWorker,
  ): Promise<SplitNetwork> {
    const batch = options.batch ?? 1;
    // Checks the spec and the batch, and makes the starting weights, exactly as Network does.
    const control = new Network(spec, { batch, backend: jsBackend });
    const wanted = options.workers ?? 2;
    const most = maxSplitWorkers(control.sizes);
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > most) {
      throw new SpecError(
        'workers',
        `workers must be an integer from 1 to ${most} (one per 4 units of the largest layer of ` +
          `${control.sizes.join('-')} at most), got ${wanted}`,
      );
    }
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!(timeoutMs > 0)) {
      throw new SpecError('timeoutMs', `timeoutMs must be a positive number, got ${timeoutMs}`);
    }
    const path: SplitPath =
      (options.shared ?? true) && sharedMemoryAvailable() ? 'shared' : 'single';
    const parts = path === 'shared' ? wanted : 1;
    const layout = new SplitLayout(control.sizes, batch, parts);
    const buffer = path === 'shared' ? new SharedArrayBuffer(layout.bytes) : null;
    const backend = resolveBackend(options.backend ?? 'auto', control);
    const handles: SplitWorker[] = [];
    try {
      for (let p = 0; p < parts; p++) handles.push(spawn());
    } catch (error) {
      handles.forEach((h) => h.terminate());
      throw error;
    }
    return new SplitNetwork(
      control,
      path,
      handles,
      buffer,
      partition(control.sizes, parts),
      '',
    ).start(backend, timeoutMs);
  }

  private constructor(
    /** A Network that never ticks: it holds the spec, X, Y, α, β and clamps and makes reset states. */
    private readonly control: Network,
    path: SplitPath,
    private readonly handles: SplitWorker[],
    private readonly buffer: SharedArrayBuffer | null,
    ranges: PartRange[],
    backendName: string,
  ) {
    this.path = path;
    this.workers = handles.length;
    this.ranges = ranges;
    this.backendName = backendName;
    this.failed = new Promise<never>((_, reject) => (this.rejectFailed = reject));
    this.failed.catch(() => undefined);
    handles.forEach((h, p) =>
      h.onFailure((error) => this.fail(new Error(`split worker ${p} failed: ${error.message}`))),
    );
  }

  private async start(backend: 'js' | 'wasm', timeoutMs: number): Promise<SplitNetwork> {
    try {
      const { sizes, batch } = this.control;
      const accumulate = this.control.spec.learning === 'accumulate';
      const names = await this.guard(
        Promise.all(
          this.handles.map((h, part) =>
            h.api.init(
              {
                sizes: sizes.slice(),
                batch,
                parts: this.workers,
                part,
                backend,
                accumulate,
                timeoutMs,
              },
              this.buffer,
            ),
          ),
        ),
      );
      (this as { backendName: string }).backendName = names[0];
      await this.sendWeights(this.control.M, this.control.W);
      return this;
    } catch (error) {
      this.terminate();
      throw error;
    }
  }

  get sizes(): readonly number[] {
    return this.control.sizes;
  }

  get depth(): number {
    return this.control.depth;
  }

  get batch(): number {
    return this.control.batch;
  }

  /** The live spec (read only: change it with `setParams`). */
  get spec(): Network['spec'] {
    return this.control.spec;
  }

  get mode(): Mode {
    return this.control.mode;
  }

  get alpha(): number {
    return this.control.alpha;
  }

  get beta(): number {
    return this.control.beta;
  }

  /** Ticks taken since creation or the last `resetState`. */
  get tick(): number {
    return this.tickCount;
  }

  get maxRate(): number {
    return this.lastMaxRate;
  }

  get atEquilibrium(): boolean {
    return this.lastMaxRate < this.control.spec.equilibriumTolerance;
  }

  /** As `Network.setMode`. */
  setMode(mode: Mode): void {
    this.control.setMode(mode);
    this.holdsChanged();
  }

  /** As `Network.setClamps`. */
  setClamps(clamps: { alpha?: number; beta?: number }): void {
    this.control.setClamps(clamps);
    this.holdsChanged();
  }

  /** As `Network.setParams`. `learning` is fixed when the workers are made. */
  setParams(params: LiveParams): void {
    if (params.learning !== undefined && params.learning !== this.control.spec.learning) {
      throw new SpecError('learning', 'a split network keeps the learning it was made with');
    }
    this.control.setParams(params);
    this.configDirty = true;
  }

  /** As `Network.setInput`. */
  setInput(values: ArrayLike<number>): void {
    this.control.setInput(values);
    this.holdsChanged();
  }

  /** As `Network.setTarget`. */
  setTarget(values: ArrayLike<number>): void {
    this.control.setTarget(values);
    this.holdsChanged();
  }

  /** As `Network.setTargetClass`. */
  setTargetClass(classes: number | ArrayLike<number>): void {
    this.control.setTargetClass(classes);
    this.holdsChanged();
  }

  /** As `Network.clampNode`. */
  clampNode(l: number, index: number, value: number | ArrayLike<number>): void {
    this.control.clampNode(l, index, value);
    this.holdsChanged();
  }

  /** As `Network.releaseNode`. */
  releaseNode(l: number, index: number): void {
    this.control.releaseNode(l, index);
    this.configDirty = true;
  }

  /** As `Network.releaseAll`. */
  releaseAll(l?: number): void {
    this.control.releaseAll(l);
    this.configDirty = true;
  }

  /** As `Network.resetState`: zero, or N(0, std²) from the same seeded generator. */
  resetState(init: { std?: number; random?: Random } = {}): void {
    this.control.resetState(init);
    const { depth } = this.control;
    this.pendingState = {
      x: Array.from({ length: depth }, (_, l) => this.control.x(l).slice()),
      eps: Array.from({ length: depth }, (_, l) => this.control.eps(l).slice()),
    };
    this.tickCount = 0;
    this.time = 0;
    this.lastMaxRate = Infinity;
    this.holdsChanged();
  }

  /** As `Network.setWeights`: copies of M (N_{l+2} × N_{l+1}) and W (N_{l+1} × N_{l+2}). */
  setWeights(M: readonly Float32Array[], W: readonly Float32Array[]): Promise<void> {
    this.control.setWeights(M, W); // checks the shapes
    const [Mc, Wc] = [M.map((m) => m.slice()), W.map((w) => w.slice())];
    return this.enqueue(() => this.sendWeights(Mc, Wc));
  }

  /** Copies of every M and W, gathered from the workers' rows. */
  weights(): Promise<{ M: Float32Array[]; W: Float32Array[] }> {
    return this.enqueue(async () => {
      const N = this.control.sizes;
      const parts = await this.guard(Promise.all(this.handles.map((h) => h.api.weights())));
      const M = N.slice(1).map((n, l) => new Float32Array(n * N[l]));
      const W = N.slice(1).map((n, l) => new Float32Array(N[l] * n));
      parts.forEach((part, p) => {
        const { start } = this.ranges[p];
        part.M.forEach((rows, l) => M[l].set(rows, start[l + 1] * N[l]));
        part.W.forEach((rows, l) => W[l].set(rows, start[l] * N[l + 1]));
      });
      return { M, W };
    });
  }

  /** Copies of every layer's x and ε (B × N_l each) as of the last tick. */
  state(): Promise<{ x: Float32Array[]; eps: Float32Array[] }> {
    return this.enqueue(async () => {
      await this.flush();
      return this.guard(this.handles[0].api.readState());
    });
  }

  /** As `Network.step`: `ticks` Euler steps; throws `DivergenceError`, keeping the last finite state. */
  step(ticks = 1): Promise<StepReport> {
    return this.runTicks({ maxTicks: ticks, minTicks: ticks, untilEquilibrium: false });
  }

  /** As `Network.run`: until equilibrium or `maxTicks`, at least `minTicks`. */
  run(options: {
    maxTicks: number;
    minTicks?: number;
    untilEquilibrium?: boolean;
  }): Promise<StepReport> {
    const { maxTicks, minTicks = 1, untilEquilibrium = true } = options;
    return this.runTicks({ maxTicks, minTicks, untilEquilibrium });
  }

  /** As `Network.commitWeights` (`accumulate` learning). */
  commitWeights(): Promise<void> {
    return this.enqueue(async () => {
      await this.guard(Promise.all(this.handles.map((h) => h.api.commitWeights())));
    });
  }

  /** Ends the workers; every later call fails. */
  terminate(): void {
    this.fail(new Error('split network: terminated'));
  }

  /** @internal Tests: the next run fails at `tick` in worker `part`, thrown or by its thread ending. */
  injectFault(fault: NonNullable<RunRequest['fault']>): void {
    this.fault = fault;
  }

  private runTicks(request: RunRequest): Promise<StepReport> {
    if (!Number.isInteger(request.maxTicks) || request.maxTicks < 0) {
      throw new SpecError('ticks', `ticks must be an integer ≥ 0, got ${request.maxTicks}`);
    }
    const fault = this.fault;
    this.fault = undefined;
    return this.enqueue(async () => {
      await this.flush();
      const reports = await this.guard(
        Promise.all(this.handles.map((h) => h.api.run({ ...request, fault }))),
      ).catch((error: unknown) => {
        // A part that failed leaves the others at the barrier: stop them, end the network.
        const message = error instanceof Error ? error.message : String(error);
        this.fail(this.failure ?? new Error(`split network: ${message}`));
        throw this.failure;
      });
      this.lastRunTimes = {
        seconds: reports.map((r) => r.seconds),
        waitSeconds: reports.map((r) => r.waitSeconds),
      };
      return this.record(reports[0]);
    });
  }

  private record(report: RunReport): StepReport {
    const dt = this.control.spec.dt;
    for (let t = 0; t < report.ticks; t++) this.time += dt;
    this.tickCount += report.ticks;
    if (report.maxRate !== null) this.lastMaxRate = report.maxRate;
    if (report.diverged) {
      const { layer, quantity, value } = report.diverged;
      const limit = this.control.spec.divergenceLimit;
      throw new DivergenceError(layer, this.tickCount + 1, quantity, value, limit);
    }
    return { ticks: report.ticks, maxRate: this.lastMaxRate, equilibrium: this.atEquilibrium };
  }

  /** Sends what the setters changed: the state first (part 0 writes it all), then the config. */
  private async flush(): Promise<void> {
    const state = this.pendingState;
    if (state) {
      this.pendingState = null;
      await this.guard(this.handles[0].api.writeState(state.x, state.eps));
    }
    if (!this.configDirty && !this.holdsDirty) return;
    const config = this.config(this.holdsDirty);
    this.configDirty = false;
    this.holdsDirty = false;
    // Every part's holds are in the buffer before any part ticks: all configure, then run.
    await this.guard(Promise.all(this.handles.map((h) => h.api.configure(config))));
  }

  private config(applyHolds: boolean): PartConfig {
    const c = this.control;
    const clamps: NodeClamp[] = [];
    for (let l = 0; l < c.depth; l++) {
      const n = c.sizes[l];
      // The control network's state holds every clamp's value (its holds are applied to it).
      for (const index of c.clampedNodes(l)) {
        const values = Array.from({ length: c.batch }, (_, b) => c.x(l)[b * n + index]);
        clamps.push({ layer: l, index, values });
      }
    }
    return {
      spec: { ...c.spec, layers: c.spec.layers.slice(), nu: c.spec.nu.slice() },
      mode: c.mode,
      alpha: c.alpha,
      beta: c.beta,
      X: c.X.slice(),
      Y: c.Y.slice(),
      clamps,
      applyHolds,
    };
  }

  private async sendWeights(M: readonly Float32Array[], W: readonly Float32Array[]): Promise<void> {
    const N = this.control.sizes;
    await this.guard(
      Promise.all(
        this.handles.map((h, p) => {
          const { start, end } = this.ranges[p];
          // Copies (slice): a view would send its whole buffer.
          const Mp = M.map((m, l) => m.slice(start[l + 1] * N[l], end[l + 1] * N[l]));
          const Wp = W.map((w, l) => w.slice(start[l] * N[l + 1], end[l] * N[l + 1]));
          return h.api.setWeights(Mp, Wp);
        }),
      ),
    );
  }

  private holdsChanged(): void {
    this.configDirty = true;
    this.holdsDirty = true;
  }

  /** Runs `op` after every call before it; fails at once if the network has failed. */
  private enqueue<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.failure) throw this.failure;
      return op();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** `p`, or the network's failure if that comes first (a crashed worker never answers). */
  private guard<T>(p: Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return Promise.race([p, this.failed]);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    if (this.buffer) {
      const control = new SplitLayout(this.control.sizes, this.control.batch, this.workers).control(
        this.buffer,
      );
      Atomics.store(control, CTL_STOP, 1);
      Atomics.notify(control, CTL_GENERATION);
    }
    this.handles.forEach((h) => h.terminate());
    this.rejectFailed(error);
  }
}

/** `auto` as `Network` decides it, on the whole network's size: plain JavaScript for tiny ones. */
function resolveBackend(choice: BackendChoice, net: Network): 'js' | 'wasm' {
  if (choice === 'js' || choice === 'wasm') return choice;
  if (choice !== 'auto') {
    throw new SpecError(
      'backend',
      `backend must be js, wasm or auto, got ${JSON.stringify(choice)}`,
    );
  }
  const N = net.sizes;
  const B = net.batch;
  const nodes = N.reduce((a, b) => a + b, 0);
  let weights = 0;
  for (let l = 0; l + 1 < N.length; l++) weights += 2 * N[l] * N[l + 1];
  const accumulate = net.spec.learning === 'accumulate';
  const floats = 9 * B * nodes + B * N[N.length - 1] + weights * (accumulate ? 2 : 1);
  return floats < SMALL_NETWORK_FLOATS ? 'js' : 'wasm';
}

/** Starts one module Web Worker for a split network. */
export function spawnBrowserSplitWorker(): SplitWorker {
  const worker = new Worker(new URL('./split.worker.ts', import.meta.url), { type: 'module' });
  return {
    api: wrap<SplitWorkerApi>(worker),
    onFailure: (callback) =>
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        callback(new Error(e.message || 'error event'));
      }),
    terminate: () => worker.terminate(),
  };
}

/**
 * A {@link SplitNetwork} on module Web Workers: on `workers` of them sharing memory where the
 * page is cross-origin isolated, else on one (`path` says which).
 */
export function createSplitNetwork(
  spec: NetworkSpecInput,
  options: SplitNetworkOptions = {},
): Promise<SplitNetwork> {
  return SplitNetwork.create(spec, options, spawnBrowserSplitWorker);
}
