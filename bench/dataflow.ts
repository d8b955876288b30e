/**
 * Dataflow figures for `npm run bench`: ticks per second driven through the RxJS layer streams
 * (`LayerGraph`) against the engine's direct loop (`Network.step`), and the speed-up of the
 * worker pool on E4's independent networks.
 */
import { planE4 } from '../src/experiments/e4';
import type { BackendFactory } from '../src/kernels/backend';
import { Network } from '../src/model/network';
import { createNodePool } from '../src/pool/node';
import { Random } from '../src/random';
import { LayerGraph } from '../src/streams/index';

/**
 * Ticks per second of each contender, best of `trials` interleaved rounds of about `seconds`;
 * every round starts from the same state (`reset`), so both do the same arithmetic on the same
 * values (a network near equilibrium, or one with subnormal errors, runs at another speed).
 */
function rates(
  contenders: { step: (n: number) => void; reset: () => void }[],
  seconds: number,
  trials = 3,
): number[] {
  const timeOf = (c: (typeof contenders)[number], n: number): number => {
    c.reset();
    const s = performance.now();
    c.step(n);
    return (performance.now() - s) / 1000;
  };
  let n = 1;
  while (timeOf(contenders[0], n) < seconds / 4) n *= 2;
  n = Math.max(1, Math.round((n * seconds) / timeOf(contenders[0], n)));
  const best = contenders.map(() => 0);
  for (let k = 0; k < trials; k++) {
    contenders.forEach((c, i) => (best[i] = Math.max(best[i], n / timeOf(c, n))));
  }
  return best;
}

export interface StreamsRow {
  layers: string;
  direct: number;
  streams: number;
  /** streams / direct: 1 means the streams cost nothing. */
  ratio: number;
}

/** B = 1, classify mode, tanh: the engine's loop against the same network through the streams. */
export function streamsVersusDirect(backend: BackendFactory, seconds = 0.5): StreamsRow[] {
  return [
    [3, 2],
    [10, 5, 3],
    [784, 600, 600, 10],
  ].map((layers) => {
    const make = (): Network => {
      const net = new Network(
        { layers, activation: 'tanh', seed: 1, mode: 'classify' },
        { backend },
      );
      net.setInput(Array.from(new Random(3).fillNormal(new Float32Array(layers[0]))));
      return net;
    };
    const direct = make();
    const graph = new LayerGraph(make());
    const [d, s] = rates(
      [
        {
          step: (n) => direct.step(n),
          reset: () => direct.resetState({ std: 0.5, random: new Random(1) }),
        },
        {
          step: (n) => graph.step(n),
          reset: () => graph.resetState({ std: 0.5, random: new Random(1) }),
        },
      ],
      seconds,
    );
    graph.dispose();
    return { layers: layers.join('-'), direct: d, streams: s, ratio: s / d };
  });
}

export interface PoolRow {
  workers: number;
  seconds: number;
  speedUp: number;
  sameResults: boolean;
}

/**
 * E4's networks (quick protocol: 6 networks) on 1 and 2 Node worker threads, wall time, and
 * whether the results are the same bits. Needs dist/cli/job-worker.js (npm run build:cli).
 */
export async function poolSpeedUp(workerUrl: URL, quick = true): Promise<PoolRow[]> {
  const jobs = planE4({ seed: 1, quick });
  let reference: Float32Array[] | null = null;
  const rows: PoolRow[] = [];
  for (const workers of [1, 2]) {
    const pool = createNodePool({ size: workers, workerUrl, backend: 'auto' });
    await pool.run('test:double', [0, 1]); // warm: workers started, WebAssembly compiled
    const start = performance.now();
    const results = await pool.run<Float32Array>('E4', jobs);
    const seconds = (performance.now() - start) / 1000;
    pool.terminate();
    reference ??= results;
    const first = reference;
    const same = results.every((r, j) => r.every((v, i) => v === first[j][i]));
    rows.push({
      workers,
      seconds,
      speedUp: rows.length ? rows[0].seconds / seconds : 1,
      sameResults: same,
    });
  }
  return rows;
}
