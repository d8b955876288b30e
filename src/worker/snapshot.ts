import { transfer } from 'comlink';
import type { Network } from '../model/network';
import type { Snapshot, WeightSet } from './protocol';

/** What a snapshot says besides the network's own buffers (see {@link Snapshot}). */
export interface SnapshotExtras {
  seq: number;
  running: boolean;
  /** Added to the network's tick count (a network restored at tick t counts from t). */
  tickBase: number;
  /** Overrides `net.atEquilibrium` (a restored network has not ticked yet). */
  equilibrium?: boolean;
  weightsVersion: number;
  /** Whether to copy M and W too. */
  weights: boolean;
}

/**
 * Copies the network's states, errors, X and Y into one new buffer (and M and W into a second
 * one when asked): one allocation per snapshot, at display rate. Both buffers are marked for
 * transfer: comlink moves them to the receiver, which owns them from then on; the worker keeps
 * no reference to them.
 */
export function takeSnapshot(net: Network, extras: SnapshotExtras): Snapshot {
  const B = net.batch;
  const last = net.depth - 1;
  const nodes = net.sizes.reduce((a, n) => a + n, 0);
  const data = new Float32Array(B * (2 * nodes + net.sizes[0] + net.sizes[last]));
  let at = 0;
  const copy = (from: Float32Array): Float32Array => {
    const view = data.subarray(at, (at += from.length));
    view.set(from);
    return view;
  };
  const states = net.sizes.map((_, l) => copy(net.x(l)));
  const errors = net.sizes.map((_, l) => copy(net.eps(l)));
  const X = copy(net.X);
  const Y = copy(net.Y);
  const buffers: ArrayBuffer[] = [data.buffer];
  let weights: WeightSet | null = null;
  if (extras.weights) {
    const all = new Float32Array(2 * net.M.reduce((a, m) => a + m.length, 0));
    let w = 0;
    const take = (m: Float32Array) => {
      const view = all.subarray(w, (w += m.length));
      view.set(m);
      return view;
    };
    weights = { M: net.M.map(take), W: net.W.map(take) };
    buffers.push(all.buffer);
  }
  const snapshot: Snapshot = {
    seq: extras.seq,
    tick: extras.tickBase + net.tick,
    time: net.time,
    energy: net.energy(),
    equilibrium: extras.equilibrium ?? net.atEquilibrium,
    maxRate: net.maxRate,
    mode: net.mode,
    running: extras.running,
    states,
    errors,
    X,
    Y,
    clamped: net.sizes.map((_, l) => net.clampedNodes(l)),
    weightsVersion: extras.weightsVersion,
    weights,
  };
  return transfer(snapshot, buffers);
}
