/// <reference types="@webgpu/types" preserve="true" />
/**
 * A {@link Network} whose state, errors and weights live on the GPU for the whole run: the same
 * spec, parameters, defaults and equations (`step.ts`, ticked through `gpu-step.ts`), with
 * every kernel a WGSL dispatch of {@link GpuKernels}. Results are read back only when asked,
 * asynchronously: {@link GpuNetwork.readState}, {@link GpuNetwork.readWeights}.
 *
 * The divergence check does not read back every tick. Each tick reduces its maxima (|x|, |ε|,
 * |Δx|, |Δε| per layer, NaN-propagating) into one stats buffer on the GPU; every `checkEvery`
 * ticks, and at the end of every `step` or `run`, the driver reads it. Before each such window
 * it copies the state (and, in `train` mode, the weights) into a checkpoint on the GPU. When a
 * window diverged it rolls back to that checkpoint and replays the window one tick at a time,
 * checking each, so that it stops at the very tick that diverged, with the state of the tick
 * before: the {@link DivergenceError} has the same tick, layer and quantity as `Network`'s, and
 * "the last finite state is kept" holds as it does there.
 */
import { ACTIVATION } from '../kernels/kernels';
import type { GpuArray, GpuKernels } from '../kernels/webgpu/kernels';
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
import { DivergenceError } from './errors';
import {
  DELTA_SLOT,
  DELTA_SLOTS,
  gpuCheckLayer,
  gpuCommitWeights,
  type GpuHold,
  type GpuLayerTick,
  gpuLayerStep,
  gpuLearnWeights,
  STATS_PER_LAYER,
} from './gpu-step';
import { MODE_CLAMPS, type StepReport } from './network';
import { param } from './params';
import {
  checkParam,
  type LiveParams,
  type Mode,
  type NetworkSpec,
  type NetworkSpecInput,
  resolveSpec,
  SpecError,
} from './spec';
import { newTickScalars, tickScalars } from './step';

/**
 * How many ticks run between two reads of the divergence maxima (and two checkpoints) by
 * default. A read stalls the GPU's queue for a round trip; a rollback replays at most
 * `checkEvery` ticks; `run` stops at equilibrium at a check only. 50 keeps the reads under one
 * in fifty ticks and the replay short.
 */
export const DEFAULT_CHECK_EVERY = 50;

export interface GpuNetworkOptions {
  /** B, samples simulated at once (1 to 65,536; 1 to 1,024 tested). Default 1. */
  batch?: number;
  /** Ticks between divergence checks and checkpoints (see {@link DEFAULT_CHECK_EVERY}). */
  checkEvery?: number;
  /** MiB the network's arrays may take, as `Network`'s option (checked before allocating). */
  memoryBudget?: number;
}

/** The state of every layer, read back: `x[l]` and `eps[l]` are B × N_l. */
export interface GpuState {
  x: Float32Array[];
  eps: Float32Array[];
}

/** The weights, read back: `M[l]` is N_{l+2} × N_{l+1}, `W[l]` N_{l+1} × N_{l+2}. */
export interface GpuWeights {
  M: Float32Array[];
  W: Float32Array[];
}

/** @internal See {@link GpuNetwork.internals}. */
export interface GpuNetworkInternals {
  x: GpuArray[];
  eps: GpuArray[];
  s: GpuArray[];
  ds: GpuArray[];
  mu: GpuArray[];
  fb: GpuArray[];
  M: GpuArray[];
  W: GpuArray[];
  X: GpuArray;
  Y: GpuArray;
  kind: number;
}

interface Checkpoint {
  x: GpuArray[];
  eps: GpuArray[];
  M: GpuArray[];
  W: GpuArray[];
  dM: GpuArray[];
  dW: GpuArray[];
  tick: number;
  time: number;
  weights: boolean;
}

export class GpuNetwork {
  readonly spec: NetworkSpec;
  readonly sizes: readonly number[];
  readonly depth: number;
  readonly batch: number;
  /** Ticks between two divergence checks (see {@link DEFAULT_CHECK_EVERY}). */
  readonly checkEvery: number;
  /** The kernels (and so the device) this network runs on. */
  readonly kernels: GpuKernels;
  /** `webgpu`, as `Backend.name`. */
  readonly name = 'webgpu';
  /** Simulated seconds (ticks × dt). */
  time = 0;

  private readonly k: GpuKernels;
  private xs: GpuArray[];
  private epss: GpuArray[];
  private xsNext: GpuArray[];
  private epssNext: GpuArray[];
  private readonly s: GpuArray[];
  private readonly ds: GpuArray[];
  private readonly mu: GpuArray[];
  private readonly fb: GpuArray[];
  private readonly Mg: GpuArray[] = [];
  private readonly Wg: GpuArray[] = [];
  private dM: GpuArray[] = [];
  private dW: GpuArray[] = [];
  private readonly Yg: GpuArray;
  private readonly stats: GpuArray;
  /** The CPU copies of X, Y and the clamps, from which each layer's holds are built. */
  private readonly X: Float32Array;
  private readonly Y: Float32Array;
  private readonly clampValue: Float32Array[];
  private readonly clampIndex: Int32Array[];
  private readonly clampCount: Int32Array;
  private readonly holds: GpuHold[];
  private readonly holdValue: Float32Array[];
  private readonly holdMask: Float32Array[];
  private readonly layerTicks: GpuLayerTick[];
  private readonly scalars = newTickScalars();
  private readonly checkpoint: Checkpoint;
  private readonly stateRandom: Random;
  private readonly kind: number;
  private modeValue: Mode;
  private alphaValue: number;
  private betaValue: number;
  private tickCount = 0;
  private lastMaxRate = Infinity;
  private busy = false;
  private readonly owned: GpuArray[] = [];

  constructor(
    kernels: GpuKernels,
    spec: NetworkSpecInput | NetworkSpec,
    options: GpuNetworkOptions = {},
  ) {
    this.spec = resolveSpec(spec);
    const batch = checkBatchAndBudget(this.spec, options);
    const checkEvery = options.checkEvery ?? DEFAULT_CHECK_EVERY;
    if (!Number.isInteger(checkEvery) || checkEvery < 1) {
      throw new SpecError(
        'checkEvery',
        `checkEvery must be a whole number of ticks ≥ 1, got ${checkEvery}`,
      );
    }
    this.checkEvery = checkEvery;
    this.batch = batch;
    this.k = this.kernels = kernels;
    const N = (this.sizes = this.spec.layers.slice());
    const L = (this.depth = N.length);
    const alloc = (n: number, label: string): GpuArray => {
      const a = kernels.alloc(n, label);
      this.owned.push(a);
      return a;
    };
    const perSample = (label: string) => N.map((n, l) => alloc(batch * n, `${label}${l}`));
    this.xs = perSample('x');
    this.epss = perSample('eps');
    this.xsNext = perSample('x');
    this.epssNext = perSample('eps');
    this.s = perSample('s');
    this.ds = perSample('ds');
    this.mu = perSample('mu');
    this.fb = perSample('fb');
    this.Yg = alloc(batch * N[L - 1], 'Y');
    this.stats = kernels.stats(STATS_PER_LAYER * (L + 1));
    this.owned.push(this.stats);
    this.X = new Float32Array(batch * N[0]);
    this.Y = new Float32Array(batch * N[L - 1]);
    this.clampValue = N.map((n) => new Float32Array(batch * n));
    this.clampIndex = N.map((n) => new Int32Array(n));
    this.clampCount = new Int32Array(L);
    this.holds = N.map(() => ({ kind: 0, value: null, mask: null }));
    this.holdValue = N.map(() => new Float32Array(0));
    this.holdMask = N.map(() => new Float32Array(0));
    // The weights as `Network` draws them: the same generator, the same order (section 4.3).
    const rng = new Random(this.spec.seed);
    for (let l = 0; l + 1 < L; l++) {
      const std = this.spec.initStd ?? 1 / (2 * Math.sqrt(N[l]));
      const M = rng.fillNormal(new Float32Array(N[l + 1] * N[l]), 0, std);
      const W = new Float32Array(N[l] * N[l + 1]);
      if (this.spec.tiedInit) {
        for (let r = 0; r < N[l + 1]; r++)
          for (let c = 0; c < N[l]; c++) W[c * N[l + 1] + r] = M[r * N[l] + c];
      } else rng.fillNormal(W, 0, std);
      this.Mg.push(alloc(M.length, `M${l}`));
      this.Wg.push(alloc(W.length, `W${l}`));
      kernels.write(this.Mg[l], M);
      kernels.write(this.Wg[l], W);
    }
    if (this.spec.learning === 'accumulate') this.allocAccumulators();
    this.checkpoint = {
      x: perSample('cx'),
      eps: perSample('ceps'),
      M: this.Mg.map((m, l) => alloc(m.length, `cM${l}`)),
      W: this.Wg.map((w, l) => alloc(w.length, `cW${l}`)),
      dM: [],
      dW: [],
      tick: 0,
      time: 0,
      weights: false,
    };
    this.layerTicks = N.map((n, l) => ({
      l,
      depth: L,
      batch,
      rows: n,
      below: N[l - 1] ?? 0,
      above: N[l + 1] ?? 0,
      at: STATS_PER_LAYER * l,
      nu: 1,
      x: this.xs[l],
      eps: this.epss[l],
      xNext: this.xsNext[l],
      epsNext: this.epssNext[l],
      mu: this.mu[l],
      fb: this.fb[l],
      ds: this.ds[l],
      sBelow: l > 0 ? this.s[l - 1] : null,
      M: l > 0 ? this.Mg[l - 1] : null,
      epsAbove: null,
      W: l + 1 < L ? this.Wg[l] : null,
    }));
    this.stateRandom = new Random((this.spec.seed ^ 0x5bd1e995) >>> 0);
    this.kind = ACTIVATION[this.spec.activation];
    this.modeValue = this.spec.mode;
    this.alphaValue = MODE_CLAMPS[this.modeValue].alpha;
    this.betaValue = MODE_CLAMPS[this.modeValue].beta;
    this.syncHolds();
  }

  /** A new network on the same GPU with the same spec and a copy of these weights (copied there). */
  withBatch(batch: number, checkEvery = this.checkEvery): GpuNetwork {
    const net = new GpuNetwork(
      this.k,
      { ...this.spec, layers: this.spec.layers.slice() },
      { batch, checkEvery },
    );
    for (let l = 0; l < this.Mg.length; l++) {
      this.k.copy(net.Mg[l], this.Mg[l]);
      this.k.copy(net.Wg[l], this.Wg[l]);
    }
    return net;
  }

  get tick(): number {
    return this.tickCount;
  }
  get mode(): Mode {
    return this.modeValue;
  }
  get alpha(): number {
    return this.alphaValue;
  }
  get beta(): number {
    return this.betaValue;
  }
  /** Largest |dx/dt| or |dε/dt| in the last tick of the last check (Infinity before one). */
  get maxRate(): number {
    return this.lastMaxRate;
  }
  get atEquilibrium(): boolean {
    return this.lastMaxRate < this.spec.equilibriumTolerance;
  }

  /** As `Network.setMode`: α and β take the mode's preset; the state is kept. */
  setMode(mode: Mode): void {
    checkParam(param('mode'), mode, this.sizes);
    this.modeValue = mode;
    this.spec.mode = mode;
    this.alphaValue = MODE_CLAMPS[mode].alpha;
    this.betaValue = MODE_CLAMPS[mode].beta;
    this.syncHolds();
  }

  /** As `Network.setClamps`. */
  setClamps(clamps: { alpha?: number; beta?: number }): void {
    checkClamps(clamps);
    if (clamps.alpha !== undefined) this.alphaValue = clamps.alpha;
    if (clamps.beta !== undefined) this.betaValue = clamps.beta;
    this.syncHolds();
  }

  /** As `Network.setParams`. */
  setParams(params: LiveParams): void {
    const next = resolveSpec({ ...this.spec, ...params, layers: this.spec.layers });
    const accumulate = next.learning === 'accumulate' && this.spec.learning !== 'accumulate';
    Object.assign(this.spec, next);
    if (accumulate) this.allocAccumulators();
  }

  /** As `Network.setInput`: B × N_1 numbers, or N_1 for every sample. */
  setInput(values: ArrayLike<number>): void {
    fillPerSample(this.X, values, this.batch, this.sizes[0], 'input');
    this.k.write(this.mu[0], this.X);
    this.syncHolds(0);
  }

  /** As `Network.setTarget`. */
  setTarget(values: ArrayLike<number>): void {
    fillPerSample(this.Y, values, this.batch, this.sizes[this.depth - 1], 'target');
    this.k.write(this.Yg, this.Y);
    this.syncHolds(this.depth - 1);
  }

  /** As `Network.setTargetClass`. */
  setTargetClass(classes: number | ArrayLike<number>): void {
    const Y = new Float32Array(this.batch * this.sizes[this.depth - 1]);
    fillOneHot(Y, classes, this.batch, this.sizes[this.depth - 1]);
    this.setTarget(Y);
  }

  /** As `Network.clampNode`. */
  clampNode(l: number, index: number, value: number | ArrayLike<number>): void {
    this.checkLayer(l);
    const { clampValue, clampIndex, clampCount } = this;
    addClamp(clampValue[l], clampIndex[l], clampCount, l, this.sizes[l], this.batch, index, value);
    this.syncHolds(l);
  }

  /** As `Network.releaseNode`. */
  releaseNode(l: number, index: number): void {
    if (removeClamp(this.clampIndex[this.checkLayer(l)], this.clampCount, l, index))
      this.syncHolds(l, false);
  }

  /** As `Network.releaseAll`. */
  releaseAll(l?: number): void {
    if (l === undefined) this.clampCount.fill(0);
    else this.clampCount[this.checkLayer(l)] = 0;
    this.syncHolds(l, false);
  }

  /** As `Network.resetState`: zeros, or N(0, std²) from the same seeded generator. */
  resetState(init: { std?: number; random?: Random } = {}): void {
    const std = init.std ?? 0;
    const rng = init.random ?? this.stateRandom;
    for (let l = 0; l < this.depth; l++) {
      if (std > 0) {
        const n = this.batch * this.sizes[l];
        this.k.write(this.xs[l], rng.fillNormal(new Float32Array(n), 0, std));
        this.k.write(this.epss[l], rng.fillNormal(new Float32Array(n), 0, std));
      } else {
        this.k.clear(this.xs[l]);
        this.k.clear(this.epss[l]);
      }
    }
    this.tickCount = 0;
    this.time = 0;
    this.lastMaxRate = Infinity;
    this.applyHolds();
  }

  /** As `Network.feedForward`: x(i+1) = M(i) σ(x(i)) from x(1) = X, ε = 0, then the holds. */
  feedForward(): void {
    const N = this.sizes;
    const B = this.batch;
    this.k.copy(this.xs[0], this.mu[0]);
    for (let l = 0; l + 1 < this.depth; l++) {
      this.k.activate(this.s[l], this.ds[l], this.xs[l], B * N[l], this.kind);
      this.k.batchMatMul(this.xs[l + 1], this.s[l], this.Mg[l], B, N[l + 1], N[l]);
    }
    for (const e of this.epss) this.k.clear(e);
    this.applyHolds();
  }

  /** As `Network.commitWeights` (`learning: 'accumulate'`; a no-op otherwise). */
  commitWeights(): void {
    if (this.spec.learning !== 'accumulate') return;
    for (let l = 0; l < this.Mg.length; l++) {
      gpuCommitWeights(this.k, this.Mg[l], this.dM[l]);
      gpuCommitWeights(this.k, this.Wg[l], this.dW[l]);
    }
  }

  /** Replaces every weight matrix with the given ones (shapes checked), uploaded. */
  setWeights(M: readonly Float32Array[], W: readonly Float32Array[]): void {
    checkWeights(M, W, this.Mg, this.Wg);
    M.forEach((m, l) => this.k.write(this.Mg[l], m));
    W.forEach((w, l) => this.k.write(this.Wg[l], w));
  }

  /** Every layer's x and ε as they are now (after the calls made so far), read back. */
  async readState(): Promise<GpuState> {
    const x = this.xs.map((a) => this.k.download(a));
    const eps = this.epss.map((a) => this.k.download(a));
    return { x: await Promise.all(x), eps: await Promise.all(eps) };
  }

  /** The weights as they are now, read back. */
  async readWeights(): Promise<GpuWeights> {
    const M = this.Mg.map((a) => this.k.download(a));
    const W = this.Wg.map((a) => this.k.download(a));
    return { M: await Promise.all(M), W: await Promise.all(W) };
  }

  /** F = −Σ ν(i)/2 ‖ε(i)‖² (eq. 2.7) averaged over the batch, as `Network.energy`, read back. */
  async energy(): Promise<number> {
    const { eps } = await this.readState();
    let f = 0;
    for (let l = this.alphaValue === 0 ? 1 : 0; l < this.depth; l++) {
      let ss = 0;
      for (const v of eps[l]) ss += v * v;
      f -= (this.spec.nu[l] / 2) * ss;
    }
    return f / this.batch;
  }

  /**
   * Takes `ticks` Euler steps, checking every `checkEvery` ticks and at the end. On
   * divergence rejects with the {@link DivergenceError} of the tick that diverged, the network
   * rolled back to the state of the tick before (see the module comment).
   */
  async step(ticks = 1): Promise<StepReport> {
    this.enter();
    try {
      for (let t = 0; t < ticks;) {
        const n = Math.min(this.checkEvery, ticks - t);
        await this.window(n);
        t += n;
      }
    } finally {
      this.busy = false;
    }
    return { ticks, maxRate: this.lastMaxRate, equilibrium: this.atEquilibrium };
  }

  /**
   * As `Network.run`, but equilibrium is looked for at the checks only (every `checkEvery`
   * ticks, and at `minTicks`), so it may take up to `checkEvery` − 1 ticks more.
   */
  async run(options: {
    maxTicks: number;
    minTicks?: number;
    untilEquilibrium?: boolean;
  }): Promise<StepReport> {
    const { maxTicks, minTicks = 1, untilEquilibrium = true } = options;
    this.enter();
    let t = 0;
    try {
      while (t < maxTicks) {
        let n = Math.min(this.checkEvery, maxTicks - t);
        if (t < minTicks) n = Math.min(n, minTicks - t);
        await this.window(n);
        t += n;
        if (untilEquilibrium && t >= minTicks && this.atEquilibrium) break;
      }
    } finally {
      this.busy = false;
    }
    return { ticks: t, maxRate: this.lastMaxRate, equilibrium: this.atEquilibrium };
  }

  /**
   * The GPU buffers, for the accelerated method (`gpu-accelerated.ts`); not public API. Live:
   * `x` and `eps` swap with every tick. `X` is μ(1).
   * @internal
   */
  internals(): GpuNetworkInternals {
    return {
      x: this.xs,
      eps: this.epss,
      s: this.s,
      ds: this.ds,
      mu: this.mu,
      fb: this.fb,
      M: this.Mg,
      W: this.Wg,
      X: this.mu[0],
      Y: this.Yg,
      kind: this.kind,
    };
  }

  /** Frees every GPU buffer of this network (not the kernels'). */
  destroy(): void {
    this.k.flush();
    for (const a of this.owned) a.buffer.destroy();
  }

  /** One window of n ticks: checkpoint, ticks, one read; on divergence, roll back and replay. */
  private async window(n: number): Promise<void> {
    this.save();
    this.k.clear(this.stats);
    for (let i = 0; i < n; i++) this.tickOnce();
    const bad = this.check(await this.k.readStats(this.stats));
    if (bad === null) return;
    // Diverged somewhere in the window: replay it from the checkpoint one tick at a time.
    this.restore();
    for (let i = 0; i < n; i++) {
      this.save();
      this.k.clear(this.stats);
      this.tickOnce();
      const at = this.check(await this.k.readStats(this.stats));
      if (at !== null) {
        this.restore();
        throw new DivergenceError(
          at.l,
          this.tickCount + 1,
          at.quantity,
          at.value,
          this.spec.divergenceLimit,
        );
      }
    }
  }

  /** The first layer that passed the limit in these stats, or null (then records maxRate). */
  private check(st: Float64Array): { l: number; quantity: 'x' | 'eps'; value: number } | null {
    let maxDelta = 0;
    for (let l = 0; l < this.depth; l++) {
      const r = gpuCheckLayer(
        st,
        STATS_PER_LAYER * l,
        this.holds[l].kind !== 0,
        this.spec.divergenceLimit,
      );
      if (typeof r !== 'number') return { l, ...r };
      maxDelta = Math.max(maxDelta, r);
    }
    this.lastMaxRate = maxDelta / this.spec.dt;
    return null;
  }

  /** Encodes one tick (the arithmetic of `Network`'s tickOnce); reads nothing. */
  private tickOnce(): void {
    const N = this.sizes;
    const L = this.depth;
    const B = this.batch;
    const spec = this.spec;
    const c = tickScalars(this.scalars, spec, this.modeValue, this.alphaValue, this.betaValue);
    const xs = this.xs;
    const epss = this.epss;
    for (let l = 0; l < L; l++) this.k.activate(this.s[l], this.ds[l], xs[l], B * N[l], this.kind);
    for (let l = 0; l < L; l++)
      this.k.clear(this.stats, STATS_PER_LAYER * l + DELTA_SLOT, DELTA_SLOTS);
    for (let l = 0; l < L; l++) {
      const t = this.layerTicks[l];
      t.nu = spec.nu[l];
      t.x = xs[l];
      t.eps = epss[l];
      t.xNext = this.xsNext[l];
      t.epsNext = this.epssNext[l];
      if (l + 1 < L) t.epsAbove = epss[l + 1];
      gpuLayerStep(this.k, t, c, this.holds[l], this.stats);
    }
    if (this.modeValue === 'train') this.learn();
    this.xs = this.xsNext;
    this.xsNext = xs;
    this.epss = this.epssNext;
    this.epssNext = epss;
    this.tickCount++;
    this.time += spec.dt;
  }

  /** Eqs. 2.9, 2.10 and 3.12 from tick t−1's σ(x) and ε (as `Network`'s learn). */
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
      gpuLearnWeights(this.k, this.Mg[l], dM, e, s, B, N[l + 1], N[l], rate, lambdaM);
      gpuLearnWeights(this.k, this.Wg[l], dW, s, e, B, N[l], N[l + 1], rate, lambdaW);
    }
  }

  /** Copies the state (and in `train` mode the weights) into the checkpoint, on the GPU. */
  private save(): void {
    const c = this.checkpoint;
    for (let l = 0; l < this.depth; l++) {
      this.k.copy(c.x[l], this.xs[l]);
      this.k.copy(c.eps[l], this.epss[l]);
    }
    c.weights = this.modeValue === 'train';
    if (c.weights) {
      const accumulate = this.spec.learning === 'accumulate';
      for (let l = 0; l < this.Mg.length; l++) {
        this.k.copy(c.M[l], this.Mg[l]);
        this.k.copy(c.W[l], this.Wg[l]);
        if (accumulate) {
          c.dM[l] ??= this.k.alloc(this.dM[l].length, `cdM${l}`);
          c.dW[l] ??= this.k.alloc(this.dW[l].length, `cdW${l}`);
          this.k.copy(c.dM[l], this.dM[l]);
          this.k.copy(c.dW[l], this.dW[l]);
        }
      }
    }
    c.tick = this.tickCount;
    c.time = this.time;
  }

  private restore(): void {
    const c = this.checkpoint;
    for (let l = 0; l < this.depth; l++) {
      this.k.copy(this.xs[l], c.x[l]);
      this.k.copy(this.epss[l], c.eps[l]);
    }
    if (c.weights) {
      const accumulate = this.spec.learning === 'accumulate';
      for (let l = 0; l < this.Mg.length; l++) {
        this.k.copy(this.Mg[l], c.M[l]);
        this.k.copy(this.Wg[l], c.W[l]);
        if (accumulate && c.dM[l]) {
          this.k.copy(this.dM[l], c.dM[l]);
          this.k.copy(this.dW[l], c.dW[l]);
        }
      }
    }
    this.tickCount = c.tick;
    this.time = c.time;
  }

  private allocAccumulators(): void {
    this.dM = this.Mg.map((m, l) => this.kernels.alloc(m.length, `dM${l}`));
    this.dW = this.Wg.map((w, l) => this.kernels.alloc(w.length, `dW${l}`));
    this.owned.push(...this.dM, ...this.dW);
  }

  /** Layer l is held whole (as `Network`'s layerHeld). */
  private layerHeld(l: number): boolean {
    if (l === this.depth - 1 && this.betaValue === 0) return true;
    return l === 0 && this.alphaValue !== 0 && this.spec.inputClamp === 'hold';
  }

  /**
   * Rebuilds the holds of layer `l` (or of every layer) from X, Y and the clamps, uploads
   * them, and (with `apply`) puts them on the current state, as `Network`'s applyHolds does.
   */
  private syncHolds(only?: number, apply = true): void {
    for (let l = 0; l < this.depth; l++) {
      if (only !== undefined && l !== only) continue;
      const whole = this.layerHeld(l);
      const count = this.clampCount[l];
      const h = this.holds[l];
      if (!whole && count === 0) {
        h.kind = 0;
        continue;
      }
      const n = this.sizes[l];
      const size = this.batch * n;
      if (h.value === null) {
        h.value = this.kernels.alloc(size, `hold${l}`);
        h.mask = this.kernels.alloc(size, `mask${l}`);
        this.owned.push(h.value, h.mask);
        this.holdValue[l] = new Float32Array(size);
        this.holdMask[l] = new Float32Array(size);
      }
      const value = this.holdValue[l];
      const mask = this.holdMask[l];
      if (whole) {
        value.set(l === this.depth - 1 && this.betaValue === 0 ? this.Y : this.X);
        mask.fill(1);
      } else {
        value.fill(0);
        mask.fill(0);
      }
      const idx = this.clampIndex[l];
      const cv = this.clampValue[l];
      for (let b = 0; b < this.batch; b++) {
        for (let c = 0; c < count; c++) {
          const j = b * n + idx[c];
          value[j] = cv[j];
          mask[j] = 1;
        }
      }
      this.k.write(h.value, value);
      this.k.write(h.mask!, mask);
      h.kind = whole ? 2 : 1;
    }
    if (apply) this.applyHolds(only);
  }

  /** The holds on the current state (outside a tick; the maxima go to the spare stats block). */
  private applyHolds(only?: number): void {
    const spare = STATS_PER_LAYER * this.depth;
    for (let l = 0; l < this.depth; l++) {
      const h = this.holds[l];
      if (h.kind === 0 || (only !== undefined && l !== only)) continue;
      const n = this.batch * this.sizes[l];
      this.k.holdNodes(this.xs[l], this.xsNext[l], h.value!, h.mask!, n, true, this.stats, spare);
    }
  }

  private enter(): void {
    if (this.busy) throw new Error('GpuNetwork: a step or run is still pending (await it first)');
    this.busy = true;
  }

  private checkLayer(l: number): number {
    return checkLayerIndex(l, this.depth);
  }
}
