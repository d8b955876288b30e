/**
 * The snapshot an element draws, and what a session knows of its network without asking the
 * simulation: the checks that make a bad command throw at once, as `Network` would, rather than
 * fail later in the worker. There is one snapshot, {@link Snapshot}, built by `takeSnapshot`
 * (snapshot.ts) for both engines; a {@link SimulationSnapshot} is a view of one (sample 0, its
 * arrays kept, not copied) with the spec beside it.
 */
import type { Mode, NetworkSpec } from '../model/spec';
import { SpecError } from '../model/spec';
import type { Snapshot, WeightSet } from './protocol';

/**
 * Snapshots carry M and W (to draw the connections) while the network has at most this many
 * weights, M and W counted together ({@link weightCount}), on either engine.
 */
export const SNAPSHOT_WEIGHT_LIMIT = 8192;

/** What an element draws: the simulation at one tick, taken at most once per display frame. */
export interface SimulationSnapshot {
  readonly spec: Readonly<NetworkSpec>;
  /** N_1 .. N_n. */
  readonly sizes: readonly number[];
  /** State nodes x of every layer (sample 0). */
  readonly x: readonly Float32Array[];
  /** Error nodes ε of every layer (sample 0). */
  readonly eps: readonly Float32Array[];
  /** The input X (μ(1)) and the target Y. */
  readonly X: Float32Array;
  readonly Y: Float32Array;
  /** 1 where a node of that layer is clamped. */
  readonly clamped: readonly Uint8Array[];
  /** The weights, while the network is within {@link SNAPSHOT_WEIGHT_LIMIT} (else null). */
  readonly weights: WeightSet | null;
  readonly mode: Mode;
  readonly tick: number;
  /** Simulated seconds. */
  readonly time: number;
  /** F = −Σ ν(i)/2 ‖ε(i)‖² (eq. 2.7). */
  readonly energy: number;
  readonly equilibrium: boolean;
  readonly running: boolean;
}

export function copySpec(spec: Readonly<NetworkSpec>): NetworkSpec {
  return { ...spec, layers: spec.layers.slice(), nu: spec.nu.slice() };
}

/** The number of weights, M and W together, of a network of `spec`. */
export function weightCount(spec: Readonly<NetworkSpec>): number {
  let count = 0;
  for (let l = 0; l + 1 < spec.layers.length; l++) count += 2 * spec.layers[l] * spec.layers[l + 1];
  return count;
}

/** The weights a snapshot carries to draw connections: only those of small networks. */
function drawable(spec: Readonly<NetworkSpec>, weights: WeightSet | null): WeightSet | null {
  return weightCount(spec) <= SNAPSHOT_WEIGHT_LIMIT ? weights : null;
}

/** A network of `spec` at rest: every node 0 at tick 0 (what a new network shows at first). */
export function emptySnapshot(
  spec: Readonly<NetworkSpec>,
  weights: WeightSet | null,
): SimulationSnapshot {
  const sizes = spec.layers.slice();
  const zeros = () => sizes.map((n) => new Float32Array(n));
  return {
    spec: copySpec(spec),
    sizes,
    x: zeros(),
    eps: zeros(),
    X: new Float32Array(sizes[0]),
    Y: new Float32Array(sizes[sizes.length - 1]),
    clamped: sizes.map((n) => new Uint8Array(n)),
    weights: drawable(spec, weights),
    mode: spec.mode,
    tick: 0,
    time: 0,
    energy: 0,
    equilibrium: false,
    running: false,
  };
}

/** A snapshot (batch 1) as an element draws it; it keeps the snapshot's arrays. */
export function viewOf(
  s: Snapshot,
  spec: Readonly<NetworkSpec>,
  weights: WeightSet | null,
  running: boolean,
): SimulationSnapshot {
  const sizes = spec.layers.slice();
  return {
    spec: copySpec(spec),
    sizes,
    x: s.states,
    eps: s.errors,
    X: s.X,
    Y: s.Y,
    clamped: sizes.map((n, l) => {
      const flags = new Uint8Array(n);
      for (const i of s.clamped[l]) flags[i] = 1;
      return flags;
    }),
    weights: drawable(spec, weights),
    mode: s.mode,
    tick: s.tick,
    time: s.time,
    energy: s.energy,
    equilibrium: s.equilibrium,
    running,
  };
}

/** Throws as `Network` does for a layer outside the network. */
export function checkLayer(spec: Readonly<NetworkSpec>, l: number): void {
  const depth = spec.layers.length;
  if (!Number.isInteger(l) || l < 0 || l >= depth) {
    throw new SpecError('layer', `layer must be an integer from 0 to ${depth - 1}, got ${l}`);
  }
}

/** Throws as `Network.clampNode` does for a node outside the layer or a value not finite. */
export function checkClamp(
  spec: Readonly<NetworkSpec>,
  l: number,
  index: number,
  value: number,
): void {
  checkLayer(spec, l);
  const n = spec.layers[l];
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new SpecError('index', `node index must be an integer from 0 to ${n - 1}, got ${index}`);
  }
  if (!Number.isFinite(value)) {
    throw new SpecError('value', `clamp value must be a finite number, got ${value}`);
  }
}

/** `values` as numbers, if they are `n` finite ones (X or Y); else throws as `Network` does. */
export function checkVector(values: ArrayLike<number>, n: number, what: string): number[] {
  if (values.length !== n) {
    throw new SpecError(what, `${what} must hold ${n} numbers, got ${values.length}`);
  }
  const out = Array.from(values);
  out.forEach((v, j) => {
    if (!Number.isFinite(v)) {
      throw new SpecError(what, `${what} value ${j} must be a finite number, got ${v}`);
    }
  });
  return out;
}

/** The index of the largest value (the first, on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
