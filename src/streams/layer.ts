import { type Observable, Subscription } from 'rxjs';
import { DivergenceError } from '../model/errors';
import type { Network, NetworkInternals } from '../model/network';
import { Signal } from './signal';
import { maxAbs, maxAbsDiff } from '../model/norms';

/**
 * What every layer's update reads on tick t. The graph fills one object per graph before each
 * tick and sends that same object down the tick streams, so a tick allocates nothing.
 */
export interface TickContext {
  /** The tick being computed, t (the network has taken t − 1). */
  tick: number;
  /** k = dt/τ, the Euler step of the nodes. */
  k: number;
  /** α (eq. 3.2) and β (eq. 3.4) of this tick. */
  alpha: number;
  beta: number;
  /** λx where it applies (eq. 3.11), else 0. */
  lambdaX: number;
  /** `spec.divergenceLimit`. */
  limit: number;
  /** The largest |Δx| or |Δε| of the layers updated so far in this tick. */
  maxDelta: number;
  /** The first error of this tick (a {@link DivergenceError}, say); later layers skip. */
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
 * the network's next-tick buffers, with the network's own kernels, in the order and with the
 * holds and divergence checks of `Network.step`, so that both give the same bits.
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
    const l = this.index;
    const net = this.net;
    const { mu, fb, ds, kernels, tick } = this.internals;
    const B = net.batch;
    const N = net.sizes;
    const top = l === net.depth - 1;
    if (l > 0) kernels.batchMatMul(mu[l], this.belowActivity!, net.M[l - 1], B, N[l], N[l - 1]);
    if (!top) kernels.batchMatMul(fb[l], this.aboveError!, net.W[l], B, N[l], N[l + 1]);
    const a = l === 0 ? c.alpha : top ? c.beta : 1;
    const st = this.stats;
    st.fill(0);
    const xNext = tick.xNext(l);
    kernels.nodeUpdate(
      xNext,
      tick.epsNext(l),
      this.x,
      this.eps,
      mu[l],
      top ? null : fb[l],
      top ? null : ds[l],
      this.n,
      c.k,
      a,
      net.spec.nu[l],
      top ? 0 : c.lambdaX,
      st,
    );
    const held = tick.holdNext(l);
    if (held !== 0) {
      // A held node does not move: measure this layer's state change after the holds.
      st[2] = held === 2 ? 0 : maxAbsDiff(xNext, this.x);
      st[0] = maxAbs(xNext);
    }
    if (!(st[0] <= c.limit)) throw new DivergenceError(l, c.tick, 'x', st[0], c.limit);
    if (!(st[1] <= c.limit)) throw new DivergenceError(l, c.tick, 'eps', st[1], c.limit);
    c.maxDelta = Math.max(c.maxDelta, st[2], st[3]);
  }
}
