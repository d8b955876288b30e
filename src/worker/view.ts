/**
 * What the worker controller knows of its network without asking the worker: the snapshots it
 * draws (made from the worker's, or empty for a network the worker has not answered for yet),
 * and the checks that make a bad command throw at once, as `Network` would, rather than fail
 * later in the worker.
 */
import { SpecError, type NetworkSpec, type Snapshot } from '../../src/index';
import type { SimulationSnapshot, Weights } from './simulation';
import { SNAPSHOT_WEIGHT_LIMIT } from './simulation-controller';

export function copySpec(spec: Readonly<NetworkSpec>): NetworkSpec {
  return { ...spec, layers: spec.layers.slice(), nu: spec.nu.slice() };
}

/** The number of weights (M and W) of a network of `spec`. */
export function weightCount(spec: Readonly<NetworkSpec>): number {
  let count = 0;
  for (let l = 0; l + 1 < spec.layers.length; l++) count += 2 * spec.layers[l] * spec.layers[l + 1];
  return count;
}

/** The weights a snapshot carries to draw connections: only those of small networks. */
function drawable(spec: Readonly<NetworkSpec>, weights: Weights | null): Weights | null {
  return weightCount(spec) <= SNAPSHOT_WEIGHT_LIMIT ? weights : null;
}

/** A network of `spec` at rest: every node 0 at tick 0 (what a new network shows at first). */
export function emptySnapshot(
  spec: Readonly<NetworkSpec>,
  weights: Weights | null,
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

/** A worker's snapshot (batch 1) as the element draws it; it keeps the worker's arrays. */
export function fromWorker(
  s: Snapshot,
  spec: Readonly<NetworkSpec>,
  weights: Weights | null,
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
