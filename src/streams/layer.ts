import { type Observable, Subscription } from 'rxjs';
import type { Network, NetworkInternals } from '../model/network';
import { Signal } from './signal';
import {
  checkLayer,
  type LayerTick,
  layerStep,
  newLayerTick,
  type TickScalars,
} from '../model/step';

/**
 * What every layer's update reads on tick t: the tick's scalars (k, α, β, λx, the limit; see
 * {@link TickScalars}) and what the layers report back. The graph fills one object per graph
 * before each tick and sends that same object down the tick streams, so a tick allocates nothing.
 */
export interface TickContext extends TickScalars {
  /** The tick being computed, t (the network has taken t − 1). */
  tick: number;
  /** The largest |Δx| or |Δε| of the layers updated so far in this tick. */
  maxDelta: number;
  /** The first error of this tick (a `DivergenceError`, say); later layers skip. */
  failure: Error | null;
}

/**
 * One layer of the hierarchy as streams: its state nodes x(l) and error nodes ε(l).
 *
 * It listens only to its neighbours: the activity σ(x(l−1)) of the layer below and the errors
 * ε(l+1) of the layer above, both as last emitted, hence of tick t−1. On each tick it computes
 *
 *     μ(l)  = M(l−1) σ(x(l−1))           (μ(1) = X)
 *     ε(l) += k (x(l) − μ(l) − ν(l) ε(l))                                  (2.2)
 *     x(l) += k ((W(l) ε(l+1)) ⊙ σ'(x(l)) − a ε(l) − λx x(l))              (2.3, 3.2, 3.11)
 *
 * (a = α for the input layer, 1 in between; the top layer has no W term, a = β: eq. 3.4), into
 * the network's next-tick buffers, with the network's own kernels, through the same
 * `layerStep` and divergence check as `Network.step` (src/model/step.ts), so both give the
 * same bits.
 *
 * Emissions are B × N_l row-major views into the network's buffers, not copies. A view is valid
 * until this stream's next emission (a tick, or a command such as `clampNode` that changes the
 * layer in place); copy it (`slice()`) to keep it.
 */
export class LayerNode {
  /** x(l) after each tick. */
  readonly state$: Observable<Float32Array>;
  /** ε(l) after each tick. */
  readonly error$: Observable<Float32Array>;
  /** μ(l), the prediction this layer received in the last tick (μ(1) = X). */
  readonly prediction$: Observable<Float32Array>;
  /** σ(x(l)) at the start of each tick: what this layer sends up through M(l). */
  readonly activity$: Observable<Float32Array>;

  private readonly state = new Signal<Float32Array>();
  private readonly error = new Signal<Float32Array>();
  private readonly prediction = new Signal<Float32Array>();
  private readonly activity = new Signal<Float32Array>();
  private readonly stats = new Float64Array(4);
  private readonly n: number;
  private readonly layerTick: LayerTick;
  private x: Float32Array;
  private eps: Float32Array;
  private belowActivity: Float32Array | null = null;
  private aboveError: Float32Array | null = null;

  constructor(
    private readonly net: Network,
    private readonly internals: NetworkInternals,
    /** 0-based: the paper's layer `index + 1`. */
    readonly index: number,
  ) {
    this.state$ = this.state.stream;
    this.error$ = this.error.stream;
    this.prediction$ = this.prediction.stream;
    this.activity$ = this.activity.stream;
    this.n = net.batch * net.sizes[index];
    this.x = net.x(index);
    this.eps = net.eps(index);
    const N = net.sizes;
    const t = newLayerTick(
      index,
      net.depth,
      net.batch,
      N[index],
      N[index - 1] ?? 0,
      N[index + 1] ?? 0,
    );
    t.mu = internals.mu[index];
    t.fb = internals.fb[index];
    t.ds = internals.ds[index];
    t.M = index > 0 ? net.M[index - 1] : null;
    t.W = index + 1 < net.depth ? net.W[index] : null;
    this.layerTick = t;
  }

  /**
   * Wires this layer to its neighbours (null at the ends of the hierarchy) and to the two
   * phases of the tick: every layer activates, then every layer updates.
   */
  connect(
    below: LayerNode | null,
    above: LayerNode | null,
    activate$: Observable<TickContext>,
    update$: Observable<TickContext>,
  ): Subscription {
    const subs = new Subscription();
    if (below) subs.add(below.activity$.subscribe((s) => (this.belowActivity = s)));
    if (above) subs.add(above.error$.subscribe((e) => (this.aboveError = e)));
    subs.add(activate$.subscribe(() => this.activate()));
    subs.add(update$.subscribe((c) => this.update(c)));
    return subs;
  }

  /** The network swapped its buffers behind this layer's back (it was stepped directly). */
  get stale(): boolean {
    return this.x !== this.net.x(this.index);
  }

  /** Completes this layer's streams. */
  dispose(): void {
    for (const s of [this.state, this.error, this.prediction, this.activity]) s.complete();
  }

  /** Re-reads the current buffers from the network and emits them (after a tick or a command). */
  publish(): void {
    this.x = this.net.x(this.index);
    this.eps = this.net.eps(this.index);
    this.state.emit(this.x);
    this.error.emit(this.eps);
    this.prediction.emit(this.internals.mu[this.index]);
  }

  /** Phase 1: σ(x(l)) and σ'(x(l)) from tick t−1, sent up as `activity$`. */
  private activate(): void {
    const { s, ds, kind, kernels } = this.internals;
    kernels.activate(s[this.index], ds[this.index], this.x, this.n, kind);
    this.activity.emit(s[this.index]);
  }

  /** Phase 2: this layer's Euler step (see the class comment). Records, never throws. */
  private update(c: TickContext): void {
    if (c.failure !== null) return;
    try {
      this.step(c);
    } catch (e) {
      c.failure = e instanceof Error ? e : new Error(String(e));
    }
  }

  private step(c: TickContext): void {
    const t = this.layerTick;
    const { tick } = this.internals;
    t.nu = this.net.spec.nu[this.index];
    t.x = this.x;
    t.eps = this.eps;
    t.xNext = tick.xNext(this.index);
    t.epsNext = tick.epsNext(this.index);
    t.sBelow = this.belowActivity;
    t.epsAbove = this.aboveError;
    layerStep(this.internals.kernels, t, c, tick.holdNext, this.stats);
    c.maxDelta = Math.max(c.maxDelta, checkLayer(this.stats, this.index, c.tick, c.limit));
  }
}
