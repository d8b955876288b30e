import { ACTIVATION } from '../kernels/kernels';
import type { Backend, Kernels } from '../kernels/backend';
import {
  commitWeights,
  type HoldNext,
  type LayerTick,
  layerStep,
  learnWeights,
  newLayerTick,
  newTickScalars,
  tickScalars,
} from '../model/step';
import { DEFAULT_SPEC, type Mode, type NetworkSpec } from '../model/spec';
import { CTL_COUNT, CTL_GENERATION, CTL_STOP, partition, SplitLayout } from './split-layout';
import type { PartConfig, PartInit, RunReport, RunRequest } from './split-protocol';

/** Barrier spins (reads of the generation) before it sleeps in `Atomics.wait`. */
const SPIN = 20000;
/** Longest single `Atomics.wait`, so that a stop request is seen within this many ms. */
const WAIT_SLICE_MS = 20;

/** A span of the state buffer and its place in this part's memory (views made once: copying allocates nothing). */
interface Copy {
  shared: Float32Array;
  local: Float32Array;
}

/**
 * One worker's part of a split network: its rows of every M and W and its working vectors, in
 * its own kernel memory (so the WebAssembly kernels read them in place, and the rows stay in
 * this core's cache), and a view of the state buffer every part shares.
 *
 * A tick mirrors `Network.tick` on this part's rows, with the same kernel calls on row ranges:
 * copy the tick t−1 vectors it needs out of the state buffer (the whole ε and σ(x), its rows of
 * x and ε); μ of its rows of layer l from its rows of M(l−1) and the whole σ(x(l−1)); W ε of its
 * rows of layer l from its rows of W(l) and the whole ε(l+1); the Euler step of its nodes
 * (`nodeUpdate`, eqs. 2.2, 2.3, 3.2, 3.4, 3.11), holds and clamps; σ and σ' of its new states
 * (`activate`, for the next tick); write x, ε, σ(x) to the tick t vectors and its maxima to the
 * stats; wait at the barrier; read every part's maxima (divergence, equilibrium: every part
 * reaches the same verdict); then, in `train` mode, the learning of its rows from tick t−1
 * (eqs. 2.9, 2.10, 3.12), which touches no shared memory. One barrier per tick, and one more
 * per `run` first, after each part has computed σ of its rows of the starting state.
 */
export class SplitPart {
  readonly backendName: string;
  private readonly k: Kernels;
  private readonly N: readonly number[];
  private readonly L: number;
  private readonly B: number;
  private readonly parts: number;
  private readonly part: number;
  private readonly r0: number[];
  /** This part's units of each layer. */
  private readonly n: number[];
  private readonly control: Int32Array;
  private readonly stats: Float64Array[];
  private readonly timeoutMs: number;

  // Whole vectors (B × N_l) of tick t−1, copied out of the state buffer.
  private readonly epsAll: Float32Array[];
  private readonly sAll: Float32Array[];
  // This part's rows (B × n_l, one sample after another); σ and σ' by parity.
  private readonly x: Float32Array[];
  private readonly eps: Float32Array[];
  private readonly s: Float32Array[][];
  private readonly ds: Float32Array[][];
  private readonly mu: Float32Array[];
  private readonly fb: Float32Array[];
  private readonly xNext: Float32Array[];
  private readonly epsNext: Float32Array[];
  private readonly Y: Float32Array;
  /** Rows of M(l): layer l+1's units, n_{l+1} × N_l. */
  private readonly M: Float32Array[];
  /** Rows of W(l): layer l's units, n_l × N_{l+1}. */
  private readonly W: Float32Array[];
  private readonly dM: Float32Array[];
  private readonly dW: Float32Array[];
  private readonly layerStats = new Float64Array(4);
  private readonly scalars = newTickScalars();
  /** This part's rows of each layer for {@link layerStep} (only σ' changes, by parity). */
  private readonly layerTicks: LayerTick[];
  private readonly holdNext: HoldNext = (l) => this.hold(this.xNext, l);

  /** [parity]: the copies into this part's memory at the start of a tick reading that parity. */
  private readonly copyIn: Copy[][];
  /** [parity]: the copies of this part's new rows (x, ε, σ) into the vectors of that parity. */
  private readonly copyOut: Copy[][];
  /** [parity]: the copies of this part's σ(x) rows into the vectors of that parity. */
  private readonly sOut: Copy[][];
  /** [parity]: copies of this part's rows of x (its current state) into the vectors of that parity, for holds. */
  private readonly holdOut: Copy[][];
  private parity = 0;

  private spec: NetworkSpec;
  private mode: Mode = 'classify';
  private alpha = 1;
  private beta = 1;
  private kind = 0;
  /** Per layer: local index (b·n_l + j) of each clamped node of this part, and its value. */
  private clampAt: Int32Array[];
  private clampValue: Float32Array[];

  constructor(
    init: PartInit,
    backend: (floats: number) => Backend,
    private readonly buffer: ArrayBufferLike,
  ) {
    const N = (this.N = init.sizes.slice());
    const L = (this.L = N.length);
    const B = (this.B = init.batch);
    this.parts = init.parts;
    this.part = init.part;
    this.timeoutMs = init.timeoutMs;
    const range = partition(N, init.parts)[init.part];
    this.r0 = range.start;
    const n = (this.n = N.map((_, l) => range.end[l] - range.start[l]));
    const layout = new SplitLayout(N, B, init.parts);
    this.control = layout.control(buffer);
    this.stats = [layout.stats(buffer, 0), layout.stats(buffer, 1)];

    let floats = 0;
    for (let l = 0; l < L; l++) floats += 2 * B * N[l] + 10 * B * n[l];
    floats += B * n[L - 1];
    for (let l = 0; l + 1 < L; l++)
      floats += (n[l + 1] * N[l] + n[l] * N[l + 1]) * (init.accumulate ? 2 : 1);
    const be = backend(floats + 64 * L); // + the rounding of each array to 4 floats
    this.backendName = be.name;
    this.k = be.kernels;
    const alloc = (size: number): Float32Array => be.alloc(size);
    const whole = (): Float32Array[] => N.map((size) => alloc(B * size));
    const mine = (): Float32Array[] => n.map((size) => alloc(B * size));
    this.epsAll = whole();
    this.sAll = whole();
    this.x = mine();
    this.eps = mine();
    this.s = [mine(), mine()];
    this.ds = [mine(), mine()];
    this.mu = mine();
    this.fb = mine();
    this.xNext = mine();
    this.epsNext = mine();
    this.Y = alloc(B * n[L - 1]);
    this.M = [];
    this.W = [];
    this.dM = [];
    this.dW = [];
    for (let l = 0; l + 1 < L; l++) {
      this.M.push(alloc(n[l + 1] * N[l]));
      this.W.push(alloc(n[l] * N[l + 1]));
      this.dM.push(init.accumulate ? alloc(n[l + 1] * N[l]) : new Float32Array(0));
      this.dW.push(init.accumulate ? alloc(n[l] * N[l + 1]) : new Float32Array(0));
    }
    this.layerTicks = N.map((_, l) => {
      const t = newLayerTick(l, L, B, n[l], N[l - 1] ?? 0, N[l + 1] ?? 0);
      t.x = this.x[l];
      t.eps = this.eps[l];
      t.xNext = this.xNext[l];
      t.epsNext = this.epsNext[l];
      t.mu = this.mu[l];
      t.fb = this.fb[l];
      t.sBelow = l > 0 ? this.sAll[l - 1] : null;
      t.M = l > 0 ? this.M[l - 1] : null;
      t.epsAbove = l + 1 < L ? this.epsAll[l + 1] : null;
      t.W = l + 1 < L ? this.W[l] : null;
      return t;
    });
    this.clampAt = N.map(() => new Int32Array(0));
    this.clampValue = N.map(() => new Float32Array(0));
    this.spec = { ...DEFAULT_SPEC, layers: N.slice(), nu: N.map(() => 1) };

    this.copyIn = [0, 1].map((parity) => {
      const copies: Copy[] = [];
      for (let l = 0; l < L; l++) {
        const xs = layout.x(buffer, parity, l);
        const es = layout.eps(buffer, parity, l);
        // σ of the top layer and ε of the input layer are not needed.
        if (l + 1 < L) copies.push({ shared: layout.s(buffer, parity, l), local: this.sAll[l] });
        if (l > 0) copies.push({ shared: es, local: this.epsAll[l] });
        copies.push(...this.rows(xs, this.x[l], l), ...this.rows(es, this.eps[l], l));
      }
      return copies;
    });
    this.copyOut = [0, 1].map((parity) =>
      N.flatMap((_, l) => [
        ...this.rows(layout.x(buffer, parity, l), this.xNext[l], l),
        ...this.rows(layout.eps(buffer, parity, l), this.epsNext[l], l),
        ...(l + 1 < L ? this.rows(layout.s(buffer, parity, l), this.s[parity][l], l) : []),
      ]),
    );
    this.sOut = [0, 1].map((parity) =>
      N.slice(0, L - 1).flatMap((_, l) =>
        this.rows(layout.s(buffer, parity, l), this.s[parity][l], l),
      ),
    );
    this.holdOut = [0, 1].map((parity) =>
      N.flatMap((_, l) => this.rows(layout.x(buffer, parity, l), this.x[l], l)),
    );
  }

  /** Copies between this part's rows of a whole vector and its local B × n_l array, sample by sample. */
  private rows(whole: Float32Array, local: Float32Array, l: number): Copy[] {
    const size = this.N[l];
    const n = this.n[l];
    const copies: Copy[] = [];
    for (let b = 0; b < this.B && n > 0; b++) {
      const shared = whole.subarray(b * size + this.r0[l], b * size + this.r0[l] + n);
      copies.push({ shared, local: local.subarray(b * n, (b + 1) * n) });
    }
    return copies;
  }

  /** This part's rows of every M(l) (n_{l+1} × N_l) and W(l) (n_l × N_{l+1}). */
  setWeights(M: readonly Float32Array[], W: readonly Float32Array[]): void {
    const check = (name: string, a: Float32Array | undefined, n: number): void => {
      if (a?.length !== n) throw new RangeError(`${name} must hold ${n} numbers, got ${a?.length}`);
    };
    this.M.forEach((m, l) => check(`M.${l} rows`, M[l], m.length));
    this.W.forEach((w, l) => check(`W.${l} rows`, W[l], w.length));
    this.M.forEach((m, l) => m.set(M[l]));
    this.W.forEach((w, l) => w.set(W[l]));
  }

  weights(): { M: Float32Array[]; W: Float32Array[] } {
    return { M: this.M.map((m) => m.slice()), W: this.W.map((w) => w.slice()) };
  }

  configure(config: PartConfig): void {
    this.spec = config.spec;
    this.mode = config.mode;
    this.alpha = config.alpha;
    this.beta = config.beta;
    this.kind = ACTIVATION[config.spec.activation];
    const top = this.L - 1;
    const Y = config.Y;
    for (let b = 0; b < this.B; b++) {
      for (let j = 0; j < this.n[top]; j++) {
        this.Y[b * this.n[top] + j] = Y[b * this.N[top] + this.r0[top] + j];
      }
      for (let j = 0; j < this.n[0]; j++) {
        this.mu[0][b * this.n[0] + j] = config.X[b * this.N[0] + this.r0[0] + j];
      }
    }
    const at: number[][] = this.N.map(() => []);
    const values: number[][] = this.N.map(() => []);
    for (const { layer, index, values: v } of config.clamps) {
      const j = index - this.r0[layer];
      if (j < 0 || j >= this.n[layer]) continue;
      for (let b = 0; b < this.B; b++) {
        at[layer].push(b * this.n[layer] + j);
        values[layer].push(v[b]);
      }
    }
    this.clampAt = at.map((a) => Int32Array.from(a));
    this.clampValue = values.map((v) => Float32Array.from(v));
    if (config.applyHolds) {
      // As Network's setters do: hold the current state (this part's rows of it) at once.
      for (let c = 0, copies = this.copyIn[this.parity]; c < copies.length; c++) {
        copies[c].local.set(copies[c].shared);
      }
      for (let l = 0; l < this.L; l++) this.hold(this.x, l);
      for (let c = 0, copies = this.holdOut[this.parity]; c < copies.length; c++) {
        copies[c].shared.set(copies[c].local);
      }
    }
  }

  /** Writes a whole state (part 0; on the shared path the other parts see it in the buffer). */
  writeState(x: readonly Float32Array[], eps: readonly Float32Array[]): void {
    const layout = new SplitLayout(this.N, this.B, this.parts);
    for (let l = 0; l < this.L; l++) {
      layout.x(this.buffer, this.parity, l).set(x[l]);
      layout.eps(this.buffer, this.parity, l).set(eps[l]);
    }
  }

  readState(): { x: Float32Array[]; eps: Float32Array[] } {
    const layout = new SplitLayout(this.N, this.B, this.parts);
    return {
      x: this.N.map((_, l) => layout.x(this.buffer, this.parity, l).slice()),
      eps: this.N.map((_, l) => layout.eps(this.buffer, this.parity, l).slice()),
    };
  }

  /** Ticks until `maxTicks`, equilibrium (if asked, after `minTicks`) or divergence. */
  run(request: RunRequest, exit: () => void): RunReport {
    const { maxTicks, minTicks, untilEquilibrium, fault } = request;
    const spec = this.spec;
    let maxRate: number | null = null;
    let t = 0;
    const start = performance.now();
    let waited = 0;
    if (maxTicks > 0) this.prime();
    while (t < maxTicks) {
      if (fault && fault.part === this.part && fault.tick === t) {
        if (fault.kind === 'exit') exit();
        if (fault.kind === 'hang')
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
        throw new Error(`split part ${this.part}: injected fault at tick ${t}`);
      }
      const next = this.parity ^ 1;
      this.compute(next);
      const arrived = performance.now();
      this.barrier();
      waited += performance.now() - arrived;
      const verdict = this.verdict(next);
      if (verdict.diverged) {
        const { diverged } = verdict;
        return { ticks: t, maxRate, diverged, ...this.times(start, waited) };
      }
      if (this.mode === 'train') this.learn();
      this.parity = next;
      t++;
      maxRate = verdict.maxDelta / spec.dt;
      if (untilEquilibrium && t >= minTicks && maxRate < spec.equilibriumTolerance) break;
    }
    return { ticks: t, maxRate, ...this.times(start, waited) };
  }

  private times(start: number, waited: number): { seconds: number; waitSeconds: number } {
    return { seconds: (performance.now() - start) / 1000, waitSeconds: waited / 1000 };
  }

  commitWeights(): void {
    if (this.spec.learning !== 'accumulate') return;
    for (let l = 0; l < this.M.length; l++) {
      commitWeights(this.k, this.M[l], this.dM[l]);
      commitWeights(this.k, this.W[l], this.dW[l]);
    }
  }

  /** This part's share of one tick: reads parity `next ^ 1`, writes parity `next`. */
  private compute(next: number): void {
    const { n, B, L, k: kernels } = this;
    const spec = this.spec;
    const c = tickScalars(this.scalars, spec, this.mode, this.alpha, this.beta);
    const cur = next ^ 1;
    const copies = this.copyIn[cur];
    for (let i = 0; i < copies.length; i++) copies[i].local.set(copies[i].shared);
    const st = this.layerStats;
    const out = this.stats[next];
    for (let l = 0; l < L; l++) {
      st.fill(0);
      if (n[l] > 0) {
        const t = this.layerTicks[l];
        t.nu = spec.nu[l];
        t.ds = this.ds[cur][l];
        layerStep(kernels, t, c, this.holdNext, st);
        // σ and σ' of the new states, for tick t+1 (Network computes them at its start).
        if (l !== L - 1)
          kernels.activate(this.s[next][l], this.ds[next][l], this.xNext[l], B * n[l], this.kind);
      }
      const o = (this.part * L + l) * 4;
      out[o] = st[0];
      out[o + 1] = st[1];
      out[o + 2] = st[2];
      out[o + 3] = st[3];
    }
    const writes = this.copyOut[next];
    for (let i = 0; i < writes.length; i++) writes[i].shared.set(writes[i].local);
  }

  /**
   * σ and σ' of this part's rows of the current state, into its memory and the state buffer,
   * then a barrier: every part's σ is in place before any part ticks. Run before every run,
   * so that any state the caller wrote or held is seen.
   */
  private prime(): void {
    const cur = this.parity;
    const copies = this.copyIn[cur];
    for (let c = 0; c < copies.length; c++) copies[c].local.set(copies[c].shared);
    for (let l = 0; l + 1 < this.L; l++) {
      if (this.n[l] === 0) continue;
      this.k.activate(this.s[cur][l], this.ds[cur][l], this.x[l], this.B * this.n[l], this.kind);
    }
    const writes = this.sOut[cur];
    for (let c = 0; c < writes.length; c++) writes[c].shared.set(writes[c].local);
    this.barrier();
  }

  /**
   * Holds and clamps on this part's rows of layer l of `xs` (as `Network.applyLayerHolds`):
   * 2 held whole, 1 some of its nodes clamped, 0 none. (Network measures a layer with clamps
   * anywhere again after the holds; on rows without clamps that gives nodeUpdate's maxima.)
   */
  private hold(xs: Float32Array[], l: number): 0 | 1 | 2 {
    const x = xs[l];
    let held: 0 | 1 | 2 = 0;
    if (l === this.L - 1 && this.beta === 0) {
      x.set(this.Y);
      held = 2;
    } else if (l === 0 && this.alpha !== 0 && this.spec.inputClamp === 'hold') {
      x.set(this.mu[0]);
      held = 2;
    }
    const at = this.clampAt[l];
    const v = this.clampValue[l];
    for (let c = 0; c < at.length; c++) x[at[c]] = v[c];
    return held !== 0 ? held : at.length > 0 ? 1 : 0;
  }

  /**
   * Every part's maxima of the tick just written, combined per layer (NaN wins, as in one
   * kernel call over the whole layer) and checked in `Network.tick`'s order.
   */
  private verdict(parity: number): {
    maxDelta: number;
    diverged?: RunReport['diverged'];
  } {
    const all = this.stats[parity];
    const limit = this.spec.divergenceLimit;
    let maxDelta = 0;
    for (let l = 0; l < this.L; l++) {
      let mx = 0;
      let me = 0;
      let mdx = 0;
      let mde = 0;
      for (let p = 0; p < this.parts; p++) {
        const o = (p * this.L + l) * 4;
        mx = nanMax(mx, all[o]);
        me = nanMax(me, all[o + 1]);
        mdx = nanMax(mdx, all[o + 2]);
        mde = nanMax(mde, all[o + 3]);
      }
      if (!(mx <= limit)) return { maxDelta, diverged: { layer: l, quantity: 'x', value: mx } };
      if (!(me <= limit)) return { maxDelta, diverged: { layer: l, quantity: 'eps', value: me } };
      maxDelta = Math.max(maxDelta, mdx, mde);
    }
    return { maxDelta };
  }

  /** Eqs. 2.9, 2.10, 3.12 on this part's rows, from tick t−1's σ(x) and ε (as `Network.learn`). */
  private learn(): void {
    const { N, n, B, k: kernels } = this;
    const rate = this.spec.dt / this.spec.gamma;
    const { lambdaM, lambdaW } = this.spec;
    const accumulate = this.spec.learning === 'accumulate';
    for (let l = 0; l + 1 < this.L; l++) {
      // M(l) rows (layer l+1's units): ⟨ε(l+1) ⊗ σ(x(l))⟩ on this part's ε(l+1).
      if (n[l + 1] > 0) {
        const dM = accumulate ? this.dM[l] : null;
        const [e, s] = [this.eps[l + 1], this.sAll[l]];
        learnWeights(kernels, this.M[l], dM, e, s, B, n[l + 1], N[l], rate, lambdaM);
      }
      // W(l) rows (layer l's units): ⟨σ(x(l)) ⊗ ε(l+1)⟩ on this part's σ(x(l)).
      if (n[l] > 0) {
        const dW = accumulate ? this.dW[l] : null;
        const [s, e] = [this.s[this.parity][l], this.epsAll[l + 1]];
        learnWeights(kernels, this.W[l], dW, s, e, B, n[l], N[l + 1], rate, lambdaW);
      }
    }
  }

  /**
   * Waits until every part has written its tick: the last to arrive resets the count and bumps
   * the generation. Spins first (a tick is tens of microseconds), then sleeps in slices,
   * failing on a stop request or after `timeoutMs`.
   */
  private barrier(): void {
    if (this.parts === 1) return;
    const ctl = this.control;
    const generation = Atomics.load(ctl, CTL_GENERATION);
    if (Atomics.add(ctl, CTL_COUNT, 1) === this.parts - 1) {
      Atomics.store(ctl, CTL_COUNT, 0);
      Atomics.add(ctl, CTL_GENERATION, 1);
      Atomics.notify(ctl, CTL_GENERATION);
      return;
    }
    for (let i = 0; i < SPIN; i++) if (Atomics.load(ctl, CTL_GENERATION) !== generation) return;
    const deadline = performance.now() + this.timeoutMs;
    while (Atomics.load(ctl, CTL_GENERATION) === generation) {
      if (Atomics.load(ctl, CTL_STOP) !== 0) {
        throw new Error(`split part ${this.part}: stopped (another worker failed or terminate())`);
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(
          `split part ${this.part}: the other workers did not reach the tick barrier within ` +
            `${this.timeoutMs} ms (one died or hangs)`,
        );
      }
      Atomics.wait(ctl, CTL_GENERATION, generation, Math.min(left, WAIT_SLICE_MS));
    }
  }
}

/** max(m, v), NaN once either is NaN. */
function nanMax(m: number, v: number): number {
  return m !== m || v <= m ? m : v;
}
