/**
 * The measurements that run alike in Node (`bench/run.ts`) and in a page (`bench/browser.ts`),
 * so that the two sets of figures compare like for like: batchMatMul GFLOP/s and whole Euler
 * ticks of the 784-600-600-10 tanh network, on each of our kernel backends.
 */
import type { BackendFactory } from '../src/kernels/backend';
import { Network } from '../src/model/network';
import type { Mode, NetworkSpecInput } from '../src/model/spec';
import { Random } from '../src/random';
import { type Candidate, race, type RaceOptions, ratios } from './timing';

/** A kernel backend by the name it reports (`js`, `wasm-simd`, `wasm-relaxed-simd`). */
export type NamedBackend = readonly [string, BackendFactory];

/** Figures of one measurement per contender, and some of their ratios. */
export interface Row {
  what: string;
  unit: string;
  figures: Record<string, number>;
  ratios: Record<string, number>;
}

export function makeRow(
  what: string,
  unit: string,
  figures: Record<string, number>,
  pairs?: readonly (readonly [string, string])[] | false,
): Row {
  return { what, unit, figures, ratios: pairs === false ? {} : ratios(figures, pairs) };
}

/** One line of text for a row: the figures, then the ratios in brackets. */
export function formatRow(r: Row, width = 30): string {
  const cells = Object.entries(r.figures).map(([name, v]) => `${name} ${format(v)}`);
  const rs = Object.entries(r.ratios).map(([name, v]) => `${name} ${v.toFixed(2)}x`);
  return `${r.what.padEnd(width)} ${cells.join('  ')}  ${r.unit}${rs.length ? `   [${rs.join(', ')}]` : ''}`;
}

export function format(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
}

/** The batchMatMul shapes (rows × cols of M) and batches measured in both Node and a page. */
export const GEMM_SHAPES: readonly (readonly [number, number])[] = [
  [600, 784],
  [600, 600],
];
export const GEMM_BATCHES: readonly number[] = [1, 32, 128];

/** batchMatMul: out (B × rows) = A (B × cols) · Mᵀ, 2·B·rows·cols flops a call, GFLOP/s. */
export async function gemmRow(
  backends: readonly NamedBackend[],
  rows: number,
  cols: number,
  batch: number,
  options: RaceOptions = { seconds: 0.6, trials: 5, maxUnits: 1e6 },
): Promise<Row> {
  const candidates: Candidate[] = backends.map(([name, factory]) => {
    const be = factory(batch * (rows + cols) + rows * cols);
    const rng = new Random(1);
    const A = rng.fillNormal(be.alloc(batch * cols));
    const M = rng.fillNormal(be.alloc(rows * cols));
    const out = be.alloc(batch * rows);
    const mm = be.kernels.batchMatMul;
    return {
      name,
      run: (n) => {
        const start = performance.now();
        for (let i = 0; i < n; i++) mm(out, A, M, batch, rows, cols);
        return (performance.now() - start) / 1000;
      },
    };
  });
  const seconds = await race(candidates, options);
  const figures = mapValues(seconds, (s) => (2 * batch * rows * cols) / s / 1e9);
  return makeRow(`${rows}x${cols}, batch ${batch}`, 'GFLOP/s', figures);
}

/** The network of the tick benchmarks, 784-600-600-10 tanh, with weight decay in training. */
export const TICK_LAYERS: readonly number[] = [784, 600, 600, 10];
export const TICK_BATCHES: readonly number[] = [1, 128];
export const TICK_MODES: readonly Mode[] = ['train', 'classify'];

export function tickSpec(mode: Mode): NetworkSpecInput {
  return {
    layers: TICK_LAYERS.slice(),
    activation: 'tanh',
    seed: 1,
    mode,
    lambdaM: 0.05,
    lambdaW: 0.05,
  };
}

/** A tick-benchmark network: input N(0, 0.5²) per sample, target class b mod 10. */
export function tickNetwork(backend: BackendFactory, batch: number, mode: Mode): Network {
  const net = new Network(tickSpec(mode), { batch, backend });
  const rng = new Random(2);
  net.setInput(rng.fillNormal(new Float32Array(batch * TICK_LAYERS[0]), 0, 0.5));
  net.setTargetClass(Array.from({ length: batch }, (_, b) => b % 10));
  return net;
}

/**
 * Ticks of a network as a candidate: every round starts from the zero state and the starting
 * weights (training on a fixed random input would otherwise drift towards divergence within a
 * few thousand ticks).
 */
export function networkCandidate(name: string, net: Network): Candidate {
  const M0 = net.M.map((m) => m.slice());
  const W0 = net.W.map((w) => w.slice());
  return {
    name,
    run: (ticks) => {
      net.resetState();
      net.setWeights(M0, W0);
      const start = performance.now();
      net.step(ticks);
      return (performance.now() - start) / 1000;
    },
  };
}

/** Rounds of ticks: about 0.6 s a backend, best of 5, at most 1,000 ticks a round. */
export const TICK_RACE: RaceOptions = { seconds: 0.6, trials: 5, maxUnits: 1000 };

/**
 * Sample-ticks per second (ticks/s × B) of the tick network on each backend, and of any
 * `extra` contenders built on the same network (same weights, input and target).
 */
export async function tickRow(
  backends: readonly NamedBackend[],
  batch: number,
  mode: Mode,
  options: {
    race?: RaceOptions;
    extra?: (reference: Network) => Candidate[] | Promise<Candidate[]>;
    pairs?: readonly (readonly [string, string])[];
  } = {},
): Promise<Row> {
  const nets = backends.map(([, factory]) => tickNetwork(factory, batch, mode));
  const candidates = backends.map(([name], i) => networkCandidate(name, nets[i]));
  if (options.extra) candidates.push(...(await options.extra(nets[0])));
  const seconds = await race(candidates, options.race ?? TICK_RACE);
  const figures = mapValues(seconds, (s) => batch / s);
  return makeRow(`B = ${batch}, ${mode}`, 'sample-ticks/s', figures, options.pairs);
}

export function mapValues(
  record: Record<string, number>,
  fn: (v: number, key: string) => number,
): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v, k)]));
}
