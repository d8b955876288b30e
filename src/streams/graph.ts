import { Observable, Subscription } from 'rxjs';
import { DivergenceError } from '../model/errors';
import type { LiveParams, Network, NetworkInternals, StepReport } from '../model/network';
import type { Mode } from '../model/spec';
import { tickScalars } from '../model/step';
import type { Random } from '../random';
import type { ClockTarget } from './clock';
import { LayerNode, type TickContext } from './layer';
import { type NodeOptions, selectNode } from './select';
import { Signal } from './signal';

/** The network reached equilibrium (every |dx/dt|, |dε/dt| under the tolerance) at `tick`. */
export interface EquilibriumEvent {
  tick: number;
  time: number;
  maxRate: number;
}

/** α, β and the clamped node indices of every layer. */
export interface ClampsState {
  alpha: number;
  beta: number;
  nodes: readonly (readonly number[])[];
}

/**
 * A {@link Network} as a graph of layer streams: the simulation runs through them. `tick()`
 * sends one context down two tick streams, `activate` then `update`; each {@link LayerNode}
 * updates from its own buffers and what its neighbours last emitted (tick t−1); then the
 * weights learn (train mode), the network commits the tick and every layer emits its new
 * vectors. The result is bit for bit that of `net.step()`. Drive the network through the graph
 * (its `tick`, `step` and commands) so that the streams see every change; if the network is
 * stepped directly, the graph re-reads its buffers at the next tick.
 *
 * Per-tick streams carry live views (see {@link LayerNode}); sample them to the display rate
 * with `toDisplayRate` before they reach a page.
 */
export class LayerGraph implements ClockTarget {
  /** One node per layer, input first. */
  readonly layers: readonly LayerNode[];
  /** The tick count after every tick (and after every command that changes the state). */
  readonly tick$: Observable<number>;
  /** F = −Σ ν(i)/2 ‖ε(i)‖² (eq. 2.7, batch mean) after every tick; computed only when observed. */
  readonly energy$: Observable<number>;
  /** Emits on every tick where the network arrives at equilibrium (it was not at the last). */
  readonly equilibrium$: Observable<EquilibriumEvent>;
  /** The tick that diverged (it was not committed: the network keeps its last finite state). */
  readonly divergence$: Observable<DivergenceError>;
  readonly mode$: Observable<Mode>;
  readonly clamps$: Observable<ClampsState>;

  private readonly internals: NetworkInternals;
  private readonly activate = new Signal<TickContext>(false);
  private readonly update = new Signal<TickContext>(false);
  private readonly ticks = new Signal<number>();
  private readonly energy = new Signal<number>(false);
  private readonly equilibrium = new Signal<EquilibriumEvent>(false);
  private readonly divergence = new Signal<DivergenceError>(false);
  private readonly mode = new Signal<Mode>();
  private readonly clamps = new Signal<ClampsState>();
  private readonly wiring = new Subscription();
  // prettier-ignore
  private readonly context: TickContext =
    { tick: 0, k: 0, alpha: 0, beta: 0, lambdaX: 0, limit: 0, maxDelta: 0, failure: null };
  private wasAtEquilibrium = false;

  constructor(readonly net: Network) {
    this.internals = net.internals();
    const layers = net.sizes.map((_, l) => new LayerNode(net, this.internals, l));
    layers.forEach((layer, l) => {
      const below = layers[l - 1] ?? null;
      const above = layers[l + 1] ?? null;
      this.wiring.add(layer.connect(below, above, this.activate.stream, this.update.stream));
    });
    this.layers = layers;
    this.tick$ = this.ticks.stream;
    // The current energy first (the signal does not replay: its last value may be stale).
    this.energy$ = new Observable<number>((subscriber) => {
      subscriber.next(net.energy());
      return this.energy.stream.subscribe(subscriber);
    });
    this.equilibrium$ = this.equilibrium.stream;
    this.divergence$ = this.divergence.stream;
    this.mode$ = this.mode.stream;
    this.clamps$ = this.clamps.stream;
    this.mode.emit(net.mode);
    this.emitClamps();
    this.publish();
  }

  get dt(): number {
    return this.net.spec.dt;
  }

  get atEquilibrium(): boolean {
    return this.net.atEquilibrium;
  }

  /** One Euler step through the streams. Throws {@link DivergenceError} (and emits it). */
  tick(): void {
    const net = this.net;
    if (this.layers[0].stale) this.publish();
    const c = this.context;
    tickScalars(c, net.spec, net.mode, net.alpha, net.beta);
    c.tick = net.tick + 1;
    c.maxDelta = 0;
    c.failure = null;
    this.activate.emit(c);
    this.update.emit(c);
    // The layers record what they threw (a subscriber's exception would not reach us).
    const failure = c.failure as Error | null;
    if (failure !== null) {
      if (failure instanceof DivergenceError) this.divergence.emit(failure);
      throw failure;
    }
    if (net.mode === 'train') this.internals.tick.learn();
    this.internals.tick.commit(c.maxDelta);
    this.publish();
    const eq = net.atEquilibrium;
    if (eq && !this.wasAtEquilibrium) {
      this.equilibrium.emit({ tick: net.tick, time: net.time, maxRate: net.maxRate });
    }
    this.wasAtEquilibrium = eq;
  }

  /** `ticks` Euler steps through the streams (what `net.step(ticks)` does directly). */
  step(ticks = 1): StepReport {
    for (let t = 0; t < ticks; t++) this.tick();
    return { ticks, maxRate: this.net.maxRate, equilibrium: this.net.atEquilibrium };
  }

  /** One node of one layer as a number per emission: see {@link selectNode}. */
  node$(layer: number, index: number, options: NodeOptions = {}): Observable<number> {
    return selectNode(this.net, this.layers, layer, index, options);
  }

  /** Re-emits every layer's vectors, the tick and the energy (after a change in place). */
  publish(): void {
    for (const layer of this.layers) layer.publish();
    this.ticks.emit(this.net.tick);
    if (this.energy.observed) this.energy.emit(this.net.energy());
  }

  setMode(mode: Mode): void {
    this.net.setMode(mode);
    this.mode.emit(mode);
    this.changedClamps();
  }

  setClamps(clamps: { alpha?: number; beta?: number }): void {
    this.net.setClamps(clamps);
    this.changedClamps();
  }

  clampNode(layer: number, index: number, value: number | ArrayLike<number>): void {
    this.net.clampNode(layer, index, value);
    this.changedClamps();
  }

  releaseNode(layer: number, index: number): void {
    this.net.releaseNode(layer, index);
    this.changedClamps();
  }

  releaseAll(layer?: number): void {
    this.net.releaseAll(layer);
    this.changedClamps();
  }

  setInput(values: ArrayLike<number>): void {
    this.net.setInput(values);
    this.publish();
  }

  setTarget(values: ArrayLike<number>): void {
    this.net.setTarget(values);
    this.publish();
  }

  setTargetClass(classes: number | ArrayLike<number>): void {
    this.net.setTargetClass(classes);
    this.publish();
  }

  /** x(i+1) = M(i) σ(x(i)) from X, ε = 0 (see `Network.feedForward`). */
  feedForward(): void {
    this.net.feedForward();
    this.publish();
  }

  resetState(init: { std?: number; random?: Random } = {}): void {
    this.net.resetState(init);
    this.wasAtEquilibrium = false;
    this.publish();
  }

  setParams(params: LiveParams): void {
    this.net.setParams(params);
  }

  /** Unsubscribes the wiring and completes every stream. */
  dispose(): void {
    this.wiring.unsubscribe();
    for (const s of [this.ticks, this.energy, this.equilibrium, this.divergence]) s.complete();
    this.mode.complete();
    this.clamps.complete();
    for (const layer of this.layers) layer.dispose();
  }

  private changedClamps(): void {
    this.emitClamps();
    this.publish();
  }

  private emitClamps(): void {
    const net = this.net;
    const nodes = net.sizes.map((_, l) => net.clampedNodes(l));
    this.clamps.emit({ alpha: net.alpha, beta: net.beta, nodes });
  }
}
