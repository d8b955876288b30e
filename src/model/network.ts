import { ACTIVATION } from '../kernels/kernels';
import {
  type Backend,
  type BackendFactory,
  getDefaultBackend,
  type Kernels,
} from '../kernels/backend';
import { Random } from '../random';
import {
  addClamp,
  checkBatchAndBudget,
  checkClamps,
  checkLayerIndex,
  checkWeights,
  fillOneHot,
  fillPerSample,
  removeClamp,
} from './batch-values';
import { param } from './params';
import {
  checkParam,
  type Mode,
  type NetworkSpec,
  type NetworkSpecInput,
  resolveSpec,
  SpecError,
} from './spec';
import {
  checkLayer,
  commitWeights,
  type HoldNext,
  type LayerTick,
  layerStep,
  learnWeights,
  newLayerTick,
  newTickScalars,
  tickScalars,
} from './step';

/** α and β of each mode (sections 2.2 to 2.4). */
export const MODE_CLAMPS: Readonly<Record<Mode, { alpha: number; beta: number }>> = {
  train: { alpha: 1, beta: 0 },
  classify: { alpha: 1, beta: 1 },
  generate: { alpha: 0, beta: 0 },
};

/** @internal See {@link Network.internals}. */
export interface NetworkInternals {
  x: Float32Array[];
  eps: Float32Array[];
  s: Float32Array[];
  ds: Float32Array[];
  mu: Float32Array[];
  fb: Float32Array[];
  kind: number;
  kernels: Kernels;
  applyHolds: () => void;
  /** The rest of a tick, for a driver that runs the per-layer updates itself (`src/streams`). */
  tick: TickHooks;
}

/**
 * @internal The parts of `tickOnce` besides the kernels, for the layer streams of
 * `src/streams`, which run each layer's update as a subscription. Live: unlike the arrays of
 * {@link NetworkInternals}, these follow the buffer swap of every tick.
 */
export interface TickHooks {
  /** The buffers tick t writes layer l's states and errors into; `commit` swaps them in. */
  xNext(l: number): Float32Array;
  epsNext(l: number): Float32Array;
  /** Applies layer l's holds and clamps to its next states: 2 held whole, 1 some nodes, 0 none. */
  holdNext(l: number): 0 | 1 | 2;
  /** Eqs. 2.9, 2.10, 3.12 from tick t−1, as a tick does in `train` mode (before `commit`). */
  learn(): void;
  /** Ends tick t: swaps the buffers, advances tick and time, records maxRate = maxDelta / dt. */
  commit(maxDelta: number): void;
}

/** What one call of {@link Network.step} or {@link Network.run} observed. */
export interface StepReport {
  /** Ticks taken by this call. */
  ticks: number;
  /** Largest |dx/dt| or |dε/dt| (per second) over every node in the last tick. */
  maxRate: number;
  /** `maxRate` fell below `spec.equilibriumTolerance`. */
  equilibrium: boolean;
}

/** The parameters that may change on a live network without a reset (derived from PARAMS). */
export type LiveParams = import('./spec').LiveParams;

/**
 * A Whittington-Bogacz predictive-coding network with separate forward (M) and backward (W)
 * weights, simulated for a batch of B independent samples that share one set of weights.
 *
 * Layer index `l` in this API is 0-based: `x[l]` is the paper's x(l+1). Every per-sample
 * quantity is a row-major `B × N_l` Float32Array. One Euler tick (`step`) reads the values of
 * tick t−1 only and writes tick t (a synchronous update): with k = dt/τ,
 *
 *     ε(i) += k (x(i) − μ(i) − ν(i) ε(i))                                   (2.2)
 *     x(1) += k ((W(1) ε(2)) ⊙ σ'(x(1)) − α ε(1) − λx x(1))                  (3.2, 3.11)
 *     x(i) += k ((W(i) ε(i+1)) ⊙ σ'(x(i)) − ε(i) − λx x(i))   1 < i < n       (2.3, 3.11)
 *     x(n) += k (−β ε(n))                                                   (3.4)
 *     M(i) += (dt/γ) (⟨ε(i+1) ⊗ σ(x(i))⟩ − λM M(i))     in `train` mode       (2.9, 3.12)
 *     W(i) += (dt/γ) (⟨σ(x(i)) ⊗ ε(i+1)⟩ − λW W(i))     in `train` mode       (2.10)
 *
 * with μ(1) = X, μ(i) = M(i−1) σ(x(i−1)), and ⟨·⟩ the mean over the batch. With β = 0 the top
 * layer is held at the target Y; clamped nodes are held at their clamp values.
 */
export class Network {
  /** The validated specification (live parameters update it). */
  readonly spec: NetworkSpec;
  /** N_1 .. N_n. */
  readonly sizes: readonly number[];
  /** The number of layers n. */
  readonly depth: number;
  /** B, the number of samples simulated at once. */
  readonly batch: number;
  /** Forward weights: `M[l]` is M(l+1), shape N_{l+2} × N_{l+1}, row-major. */
  readonly M: Float32Array[];
  /** Backward weights: `W[l]` is W(l+1), shape N_{l+1} × N_{l+2}, row-major. */
  readonly W: Float32Array[];
  /** The input X (μ(1)), B × N_1. */
  readonly X: Float32Array;
  /** The target Y held on the top layer while β = 0, B × N_n. */
  readonly Y: Float32Array;

  private xs: Float32Array[];
  private epss: Float32Array[];
  private xsNext: Float32Array[];
  private epssNext: Float32Array[];
  private readonly s: Float32Array[];
  private readonly ds: Float32Array[];
  private readonly mu: Float32Array[];
  private readonly fb: Float32Array[];
  private readonly clampIndex: Int32Array[];
  private readonly clampCount: Int32Array;
  private readonly clampValue: Float32Array[];
  private readonly dM: Float32Array[];
  private readonly dW: Float32Array[];
  private readonly layerStats = new Float64Array(4);
  private readonly scalars = newTickScalars();
  /** Each layer's buffers for {@link layerStep}, re-pointed every tick (the buffers swap). */
  private readonly layerTicks: LayerTick[];
  /** Holds and clamps on the next states of a layer (see {@link HoldNext}). */
  private readonly holdNext: HoldNext = (l) => {
    const held = this.layerHeld(l);
    if (!held && this.clampCount[l] === 0) return 0;
    this.applyLayerHolds(this.xsNext, l);
    return held ? 2 : 1;
  };
  private kind: number;
  private modeValue: Mode;
  private alphaValue: number;
  private betaValue: number;
  private tickCount = 0;
  private lastMaxRate = Infinity;
  private readonly stateRandom: Random;

  /** The kernels and memory this network runs on (see `kernels/backend.ts`). */
  readonly backend: Backend;
  private readonly k: Kernels;
  private readonly backendFactory: BackendFactory;

  constructor(
    spec: NetworkSpecInput | NetworkSpec,
    options: {
      batch?: number;
      backend?: BackendFactory;
      /**
       * Floats to leave free in the network's memory for others that run kernels on its
       * arrays, e.g. an optimiser's moments (`Adam.floats`), so they need no copies.
       */
      reserve?: number;
      /**
       * MiB the network's arrays may take (see `networkBytes`): a larger spec throws a
       * `MemoryBudgetError` before anything is allocated. Default: `setDefaultMemoryBudget`'s
       * (none unless set).
       */
      memoryBudget?: number;
    } = {},
  ) {
    this.spec = resolveSpec(spec);
    const batch = checkBatchAndBudget(this.spec, options);
    this.batch = batch;
    const N = (this.sizes = this.spec.layers.slice());
    const L = (this.depth = N.length);
    const nodes = N.reduce((a, b) => a + b, 0);
    let weights = 0;
    for (let l = 0; l + 1 < L; l++) weights += 2 * N[l] * N[l + 1];
    const accumulate = this.spec.learning === 'accumulate';
    this.backendFactory = options.backend ?? getDefaultBackend();
    const reserve = options.reserve ?? 0;
    if (!Number.isInteger(reserve) || reserve < 0) {
      throw new SpecError('reserve', `reserve must be a whole number of floats, got ${reserve}`);
    }
    this.backend = this.backendFactory(
      9 * batch * nodes + batch * N[L - 1] + weights * (accumulate ? 2 : 1) + reserve,
    );
    this.k = this.backend.kernels;
    const alloc = (n: number): Float32Array => this.backend.alloc(n);
    const perSample = (): Float32Array[] => N.map((n) => alloc(batch * n));
    this.xs = perSample();
    this.epss = perSample();
    this.xsNext = perSample();
    this.epssNext = perSample();
    this.s = perSample();
    this.ds = perSample();
    this.mu = perSample();
    this.fb = perSample();
    this.clampValue = perSample();
    this.clampIndex = N.map((n) => new Int32Array(n));
    this.clampCount = new Int32Array(L);
    this.X = this.mu[0];
    this.Y = alloc(batch * N[L - 1]);
    this.M = [];
    this.W = [];
    this.dM = [];
    this.dW = [];
    const rng = new Random(this.spec.seed);
    for (let l = 0; l + 1 < L; l++) {
      // Section 4.3: M(i) ~ N(0, (1 / (2 √N))²), N the nodes in layer i (the source layer).
      const std = this.spec.initStd ?? 1 / (2 * Math.sqrt(N[l]));
      const M = rng.fillNormal(alloc(N[l + 1] * N[l]), 0, std);
      const W = alloc(N[l] * N[l + 1]);
      if (this.spec.tiedInit) transposeInto(W, M, N[l + 1], N[l]);
      else rng.fillNormal(W, 0, std);
      this.M.push(M);
      this.W.push(W);
      this.dM.push(accumulate ? alloc(M.length) : new Float32Array(0));
      this.dW.push(accumulate ? alloc(W.length) : new Float32Array(0));
    }
    this.layerTicks = N.map((n, l) => {
      const t = newLayerTick(l, L, batch, n, N[l - 1] ?? 0, N[l + 1] ?? 0);
      t.mu = this.mu[l];
      t.fb = this.fb[l];
      t.ds = this.ds[l];
      t.sBelow = l > 0 ? this.s[l - 1] : null;
      t.M = l > 0 ? this.M[l - 1] : null;
      t.W = l + 1 < L ? this.W[l] : null;
      return t;
    });
    this.stateRandom = new Random((this.spec.seed ^ 0x5bd1e995) >>> 0);
    this.kind = ACTIVATION[this.spec.activation];
    this.modeValue = this.spec.mode;
    this.alphaValue = MODE_CLAMPS[this.modeValue].alpha;
    this.betaValue = MODE_CLAMPS[this.modeValue].beta;
  }

  /**
   * A new network with the same spec and a copy of these weights, for another batch size
   * (train on batches of 20, then generate 300 samples at once, say). State is not copied.
   */
  withBatch(batch: number): Network {
    const net = new Network(
      { ...this.spec, layers: this.spec.layers.slice() },
      { batch, backend: this.backendFactory },
    );
    net.setWeights(this.M, this.W);
    return net;
  }

  /** State nodes of layer `l` (a live view: valid until the next tick, which swaps buffers). */
  x(l: number): Float32Array {
    return this.xs[this.checkLayer(l)];
  }

  /** Error nodes of layer `l` (a live view: valid until the next tick). */
  eps(l: number): Float32Array {
    return this.epss[this.checkLayer(l)];
  }

  /** The prediction μ received by layer `l` at the last tick (μ(1) = X). */
  prediction(l: number): Float32Array {
    return this.mu[this.checkLayer(l)];
  }

  /** Ticks taken since construction or the last `resetState`. */
  get tick(): number {
    return this.tickCount;
  }

  /** Simulated time in seconds (ticks × dt; dt may have changed between runs). */
  time = 0;

  get mode(): Mode {
    return this.modeValue;
  }

  /** α: 1 lets the input X pull layer 1 through ε(1) (eq. 3.2); 0 frees layer 1. */
  get alpha(): number {
    return this.alphaValue;
  }

  /** β: 1 lets the top layer follow its error (eq. 3.4); 0 holds it at Y. */
  get beta(): number {
    return this.betaValue;
  }

  /** Switches mode on a live network: α and β take the mode's preset; the state is kept. */
  setMode(mode: Mode): void {
    checkParam(param('mode'), mode, this.sizes);
    this.modeValue = mode;
    this.spec.mode = mode;
    this.alphaValue = MODE_CLAMPS[mode].alpha;
    this.betaValue = MODE_CLAMPS[mode].beta;
    this.applyHolds(this.xs);
  }

  /** Overrides α and/or β (0 or 1, or anything between) without changing the mode. */
  setClamps(clamps: { alpha?: number; beta?: number }): void {
    checkClamps(clamps);
    if (clamps.alpha !== undefined) this.alphaValue = clamps.alpha;
    if (clamps.beta !== undefined) this.betaValue = clamps.beta;
    this.applyHolds(this.xs);
  }

  /** Changes parameters on a live network without touching its state or weights. */
  setParams(params: LiveParams): void {
    const next = resolveSpec({ ...this.spec, ...params, layers: this.spec.layers });
    if (next.learning !== this.spec.learning && next.learning === 'accumulate') {
      for (let l = 0; l < this.M.length; l++) {
        this.dM[l] = new Float32Array(this.M[l].length);
        this.dW[l] = new Float32Array(this.W[l].length);
      }
    }
    Object.assign(this.spec, next);
  }

  /**
   * Sets the input X (μ(1)): `values` holds B × N_1 numbers, or N_1 numbers given to every
   * sample.
   */
  setInput(values: ArrayLike<number>): void {
    fillPerSample(this.X, values, this.batch, this.sizes[0], 'input');
    this.applyHolds(this.xs);
  }

  /** Sets the target Y (held on the top layer while β = 0): B × N_n or N_n numbers. */
  setTarget(values: ArrayLike<number>): void {
    fillPerSample(this.Y, values, this.batch, this.sizes[this.depth - 1], 'target');
    this.applyHolds(this.xs);
  }

  /** Sets Y to one-hot class vectors: one class for every sample, or one class per sample. */
  setTargetClass(classes: number | ArrayLike<number>): void {
    fillOneHot(this.Y, classes, this.batch, this.sizes[this.depth - 1]);
    this.applyHolds(this.xs);
  }

  /**
   * Clamps node `index` of layer `l`: it is held at `value` (one number for every sample, or
   * B numbers) whatever the mode, until released.
   */
  clampNode(l: number, index: number, value: number | ArrayLike<number>): void {
    this.checkLayer(l);
    const { clampValue, clampIndex, clampCount } = this;
    addClamp(clampValue[l], clampIndex[l], clampCount, l, this.sizes[l], this.batch, index, value);
    this.applyHolds(this.xs);
  }

  /** Releases a clamped node (no effect if it was free). */
  releaseNode(l: number, index: number): void {
    removeClamp(this.clampIndex[this.checkLayer(l)], this.clampCount, l, index);
  }

  /** Releases every clamped node of layer `l`, or of every layer. */
  releaseAll(l?: number): void {
    if (l === undefined) this.clampCount.fill(0);
    else this.clampCount[this.checkLayer(l)] = 0;
  }

  /** Whether node `index` of layer `l` is clamped. */
  isClamped(l: number, index: number): boolean {
    const idx = this.clampIndex[this.checkLayer(l)];
    for (let c = 0; c < this.clampCount[l]; c++) if (idx[c] === index) return true;
    return false;
  }

  /** The clamped node indices of layer `l` (a copy). */
  clampedNodes(l: number): number[] {
    return Array.from(this.clampIndex[this.checkLayer(l)].subarray(0, this.clampCount[l]));
  }

  /**
   * Resets every state and error node: to zero, or to N(0, std²) draws from the network's
   * seeded state generator (section 4.2 starts generation from N(0, 1) states). Clamps and
   * holds are applied afterwards. The tick count and time return to zero.
   */
  resetState(init: { std?: number; random?: Random } = {}): void {
    const std = init.std ?? 0;
    const rng = init.random ?? this.stateRandom;
    for (let l = 0; l < this.depth; l++) {
      if (std > 0) {
        rng.fillNormal(this.xs[l], 0, std);
        rng.fillNormal(this.epss[l], 0, std);
      } else {
        this.xs[l].fill(0);
        this.epss[l].fill(0);
      }
    }
    this.tickCount = 0;
    this.time = 0;
    this.lastMaxRate = Infinity;
    this.applyHolds(this.xs);
  }

  /**
   * Sets every state by a feed-forward pass x(i+1) = M(i) σ(x(i)) from x(1) = X (section 2.2;
   * the classify-mode equilibrium), and every error node to zero; the top is then held at Y if
   * β = 0, and clamps are applied.
   */
  feedForward(): void {
    const N = this.sizes;
    this.xs[0].set(this.X);
    for (let l = 0; l + 1 < this.depth; l++) {
      this.k.activate(this.s[l], this.ds[l], this.xs[l], this.batch * N[l], this.kind);
      this.k.batchMatMul(this.xs[l + 1], this.s[l], this.M[l], this.batch, N[l + 1], N[l]);
    }
    for (const e of this.epss) e.fill(0);
    this.applyHolds(this.xs);
  }

  /** Whether the last tick's largest rate of change was under the tolerance. */
  get atEquilibrium(): boolean {
    return this.lastMaxRate < this.spec.equilibriumTolerance;
  }

  /** Largest |dx/dt| or |dε/dt| in the last tick (Infinity before the first). */
  get maxRate(): number {
    return this.lastMaxRate;
  }

  /**
   * F = −Σ_i ν(i)/2 ‖ε(i)‖² (eq. 2.7), averaged over the batch. Layer 1's term counts only
   * while α ≠ 0: with α = 0 its error node no longer acts on anything.
   */
  energy(): number {
    let f = 0;
    for (let l = this.alphaValue === 0 ? 1 : 0; l < this.depth; l++) {
      f -= (this.spec.nu[l] / 2) * this.k.sumSquares(this.epss[l], this.epss[l].length);
    }
    return f / this.batch;
  }

  /** Takes `ticks` Euler steps. Throws {@link DivergenceError}, keeping the last finite state. */
  step(ticks = 1): StepReport {
    for (let t = 0; t < ticks; t++) this.tickOnce();
    return { ticks, maxRate: this.lastMaxRate, equilibrium: this.atEquilibrium };
  }

  /**
   * Steps until equilibrium (see `spec.equilibriumTolerance`) or `maxTicks`, whichever comes
   * first; `minTicks` are always taken.
   */
  run(options: { maxTicks: number; minTicks?: number; untilEquilibrium?: boolean }): StepReport {
    const { maxTicks, minTicks = 1, untilEquilibrium = true } = options;
    let t = 0;
    while (t < maxTicks) {
      this.tickOnce();
      t++;
      if (untilEquilibrium && t >= minTicks && this.atEquilibrium) break;
    }
    return { ticks: t, maxRate: this.lastMaxRate, equilibrium: this.atEquilibrium };
  }

  /** Runs for `seconds` of simulated time (rounded to whole ticks). */
  runFor(seconds: number): StepReport {
    return this.step(Math.max(0, Math.round(seconds / this.spec.dt)));
  }

  /**
   * In `accumulate` learning, adds the weight change summed since the last commit to M and W
   * and clears the accumulators. A no-op in `continuous` learning.
   */
  commitWeights(): void {
    if (this.spec.learning !== 'accumulate') return;
    for (let l = 0; l < this.M.length; l++) {
      commitWeights(this.k, this.M[l], this.dM[l]);
      commitWeights(this.k, this.W[l], this.dW[l]);
    }
  }

  /** Replaces every weight matrix with copies of the given ones (shapes are checked). */
  setWeights(M: readonly Float32Array[], W: readonly Float32Array[]): void {
    checkWeights(M, W, this.M, this.W);
    M.forEach((m, l) => this.M[l].set(m));
    W.forEach((w, l) => this.W[l].set(w));
  }

  private tickOnce(): void {
    const N = this.sizes;
    const L = this.depth;
    const B = this.batch;
    const spec = this.spec;
    const c = tickScalars(this.scalars, spec, this.modeValue, this.alphaValue, this.betaValue);
    const xs = this.xs;
    const epss = this.epss;
    // Every layer reads tick t−1: σ and σ' are computed before any node moves.
    for (let l = 0; l < L; l++) this.k.activate(this.s[l], this.ds[l], xs[l], B * N[l], this.kind);
    let maxDelta = 0;
    const st = this.layerStats;
    const tick = this.tickCount + 1;
    for (let l = 0; l < L; l++) {
      const t = this.layerTicks[l];
      t.nu = spec.nu[l];
      t.x = xs[l];
      t.eps = epss[l];
      t.xNext = this.xsNext[l];
      t.epsNext = this.epssNext[l];
      if (l + 1 < L) t.epsAbove = epss[l + 1];
      layerStep(this.k, t, c, this.holdNext, st);
      maxDelta = Math.max(maxDelta, checkLayer(st, l, tick, c.limit));
    }
    if (this.modeValue === 'train') this.learn();
    this.xs = this.xsNext;
    this.xsNext = xs;
    this.epss = this.epssNext;
    this.epssNext = epss;
    this.tickCount++;
    this.time += spec.dt;
    this.lastMaxRate = maxDelta / spec.dt;
  }

  /** Eqs. 2.9, 2.10 and 3.12 from tick t−1's σ(x) and ε, with the batch-mean Hebbian term. */
  private learn(): void {
    const N = this.sizes;
    const B = this.batch;
    const rate = this.spec.dt / this.spec.gamma;
    const { lambdaM, lambdaW } = this.spec;
    const accumulate = this.spec.learning === 'accumulate';
    for (let l = 0; l + 1 < this.depth; l++) {
      const e = this.epss[l + 1];
      const s = this.s[l];
      const [dM, dW] = accumulate ? [this.dM[l], this.dW[l]] : [null, null];
      learnWeights(this.k, this.M[l], dM, e, s, B, N[l + 1], N[l], rate, lambdaM);
      learnWeights(this.k, this.W[l], dW, s, e, B, N[l], N[l + 1], rate, lambdaW);
    }
  }

  /** Layer `l` is held whole: the input while α ≠ 0 with `inputClamp: 'hold'`, the top while β = 0. */
  private layerHeld(l: number): boolean {
    if (l === this.depth - 1 && this.betaValue === 0) return true;
    return l === 0 && this.alphaValue !== 0 && this.spec.inputClamp === 'hold';
  }

  private applyHolds(xs: Float32Array[]): void {
    for (let l = 0; l < this.depth; l++) this.applyLayerHolds(xs, l);
  }

  private applyLayerHolds(xs: Float32Array[], l: number): void {
    if (l === this.depth - 1 && this.betaValue === 0) xs[l].set(this.Y);
    else if (l === 0 && this.alphaValue !== 0 && this.spec.inputClamp === 'hold') xs[l].set(this.X);
    const count = this.clampCount[l];
    if (count === 0) return;
    const n = this.sizes[l];
    const x = xs[l];
    const v = this.clampValue[l];
    const idx = this.clampIndex[l];
    for (let b = 0; b < this.batch; b++) {
      const o = b * n;
      for (let c = 0; c < count; c++) x[o + idx[c]] = v[o + idx[c]];
    }
  }

  /**
   * The working buffers, for the accelerated method in `accelerated.ts`; not public API. The
   * arrays are live: `x` and `eps` are swapped by every tick.
   * @internal
   */
  internals(): NetworkInternals {
    return {
      x: this.xs,
      eps: this.epss,
      s: this.s,
      ds: this.ds,
      mu: this.mu,
      fb: this.fb,
      kind: this.kind,
      kernels: this.k,
      applyHolds: () => this.applyHolds(this.xs),
      tick: {
        xNext: (l) => this.xsNext[l],
        epsNext: (l) => this.epssNext[l],
        holdNext: this.holdNext,
        learn: () => this.learn(),
        commit: (maxDelta) => {
          const xs = this.xs;
          const epss = this.epss;
          this.xs = this.xsNext;
          this.xsNext = xs;
          this.epss = this.epssNext;
          this.epssNext = epss;
          this.tickCount++;
          this.time += this.spec.dt;
          this.lastMaxRate = maxDelta / this.spec.dt;
        },
      },
    };
  }

  private checkLayer(l: number): number {
    return checkLayerIndex(l, this.depth);
  }
}

function transposeInto(out: Float32Array, M: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = M[r * cols + c];
}
