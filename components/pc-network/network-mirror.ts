/**
 * The `network` property of `<pc-network>` when the network runs in a worker: a read-only
 * copy on the main thread, for pages written before `spec` and `snapshot` existed. Nothing is
 * copied until a page reads it; then it is brought up to the element's latest snapshot at each
 * read. Changing it changes nothing in the simulation.
 */
import { jsBackend, Network, type NetworkSpec, type StepReport } from '../../src/index';
import type { SimulationSnapshot, Weights } from '../controllers/simulation';

/**
 * A {@link Network} holding what the element last showed: the spec, mode, clamps, X, Y, the
 * states and errors of every node, tick, time, energy and equilibrium; and the latest weights
 * the element has (those of a large network are the initial or loaded ones until it is saved).
 * It cannot be stepped: ask the element.
 */
export class NetworkMirror extends Network {
  private shown: SimulationSnapshot | null = null;
  private weightsShown: Weights | null = null;

  constructor(
    spec: Readonly<NetworkSpec>,
    /** Which network of the element this copies (`Simulation.generation`). */
    readonly generation: number,
  ) {
    super({ ...spec, layers: spec.layers.slice(), nu: spec.nu.slice() }, { backend: jsBackend });
  }

  override get tick(): number {
    return this.shown?.tick ?? 0;
  }

  override get atEquilibrium(): boolean {
    return this.shown?.equilibrium ?? false;
  }

  override energy(): number {
    return this.shown?.energy ?? 0;
  }

  override step(): StepReport {
    throw new Error('pc-network: `network` is a read-only copy; call the element’s step()');
  }

  /** Brings the copy up to `snap` (a no-op if it already shows it). */
  sync(spec: Readonly<NetworkSpec>, snap: SimulationSnapshot, weights: Weights | null): void {
    if (snap === this.shown && weights === this.weightsShown) return;
    this.setParams(spec); // its layers are ignored: a new structure is a new mirror
    this.setMode(snap.mode);
    if (weights && weights !== this.weightsShown) this.setWeights(weights.M, weights.W);
    this.releaseAll();
    snap.clamped.forEach((flags, l) =>
      flags.forEach((held, i) => held && this.clampNode(l, i, snap.x[l][i])),
    );
    this.setInput(snap.X);
    this.setTarget(snap.Y);
    snap.x.forEach((x, l) => this.x(l).set(x));
    snap.eps.forEach((e, l) => this.eps(l).set(e));
    this.time = snap.time;
    this.shown = snap;
    this.weightsShown = weights;
  }
}
