import { transfer } from 'comlink';
import type { Network } from '../model/network';
import type { Snapshot } from './protocol';

/**
 * Copies the network's states and errors into one new buffer (one allocation per snapshot, at
 * display rate) and marks it for transfer: comlink moves the buffer to the receiver, which
 * owns it from then on; the worker keeps no reference to it.
 */
export function takeSnapshot(net: Network, running: boolean): Snapshot {
  const B = net.batch;
  const total = 2 * B * net.sizes.reduce((a, n) => a + n, 0);
  const data = new Float32Array(total);
  const states: Float32Array[] = [];
  const errors: Float32Array[] = [];
  let at = 0;
  for (const [out, read] of [
    [states, (l: number) => net.x(l)],
    [errors, (l: number) => net.eps(l)],
  ] as const) {
    for (let l = 0; l < net.depth; l++) {
      const view = data.subarray(at, (at += B * net.sizes[l]));
      view.set(read(l));
      out.push(view);
    }
  }
  const snapshot: Snapshot = {
    tick: net.tick,
    time: net.time,
    energy: net.energy(),
    equilibrium: net.atEquilibrium,
    maxRate: net.maxRate,
    mode: net.mode,
    running,
    states,
    errors,
  };
  return transfer(snapshot, [data.buffer]);
}
