/**
 * Tick rates of one source tree, through its public API only (`<tree>/src/index.ts`), so that
 * the same script times this checkout and an older commit alike: `bench/against.ts` runs it
 * once per tree and round, each in a fresh process.
 *
 *   node --experimental-wasm-relaxed-simd --import tsx bench/tick-timing.ts <tree> [group...]
 *
 * Groups: `ticks` (784-600-600-10 tanh, λM = λW = 0.05, B = 1 and 128, train and classify, on
 * every backend; sample-ticks/s), `small` (10-5-3 tanh, B = 1, train and classify, every
 * backend; ticks/s), `streams` (LayerGraph over autoBackend, B = 1, 784-600-600-10 and 10-5-3,
 * train and classify; ticks/s). Prints one JSON object: `{ backends, rates, errors }`.
 * Each rate is the best of 5 repetitions of about 0.1 s, each from the same state and weights.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What this script uses of a tree's public API (ea9445a's and later). */
interface NetworkLike {
  readonly M: Float32Array[];
  readonly W: Float32Array[];
  setInput(values: ArrayLike<number>): void;
  setTargetClass(classes: number | ArrayLike<number>): void;
  setWeights(M: readonly Float32Array[], W: readonly Float32Array[]): void;
  resetState(): void;
  step(ticks: number): unknown;
}
interface Engine {
  Network: new (spec: object, options: object) => NetworkLike;
  LayerGraph: new (net: NetworkLike) => {
    step(ticks: number): unknown;
    resetState(): void;
    dispose(): void;
  };
  Random: new (seed: number) => {
    fillNormal(a: Float32Array, mean?: number, std?: number): Float32Array;
  };
  initWasm(): Promise<unknown>;
  jsBackend: unknown;
  wasmBackend: unknown;
  wasmRelaxedBackend: unknown;
  autoBackend(): unknown;
}

const GROUPS = ['ticks', 'small', 'streams'];

const REPS = 5;
const REP_SECONDS = 0.1;

/** Best ticks/s over REPS repetitions of n ticks (n sized to last about REP_SECONDS). */
function rate(reset: () => void, step: (n: number) => void): number {
  const timed = (n: number): number => {
    reset();
    const start = performance.now();
    step(n);
    return (performance.now() - start) / 1000;
  };
  timed(1); // warm-up: compile, page in
  let n = 1;
  let t = timed(n);
  while (t < REP_SECONDS / 4 && n < 4096) {
    n *= 2;
    t = timed(n);
  }
  n = Math.max(1, Math.min(8192, Math.round((n * REP_SECONDS) / t)));
  let best = 0;
  for (let r = 0; r < REPS; r++) best = Math.max(best, n / timed(n));
  return best;
}

async function main(): Promise<void> {
  const [treeArg, ...rest] = process.argv.slice(2);
  if (!treeArg) throw new Error('usage: tick-timing.ts <tree> [ticks|small|streams...]');
  const groups = rest.length ? rest : GROUPS;
  const url = pathToFileURL(resolve(treeArg, 'src/index.ts')).href;
  const pc = (await import(url)) as Engine;
  await pc.initWasm();
  const backends: [string, unknown][] = [
    ['js', pc.jsBackend],
    ['wasm-simd', pc.wasmBackend],
    ['wasm-relaxed-simd', pc.wasmRelaxedBackend],
  ];
  const rates: Record<string, number> = {};
  const errors: Record<string, string> = {};
  const measure = (name: string, fn: () => number): void => {
    try {
      rates[name] = fn();
    } catch (e) {
      errors[name] = e instanceof Error ? e.message : String(e);
    }
  };
  const network = (
    layers: number[],
    mode: string,
    batch: number,
    backend: unknown,
  ): NetworkLike => {
    const net = new pc.Network(
      { layers, activation: 'tanh', seed: 1, mode, lambdaM: 0.05, lambdaW: 0.05 },
      { batch, backend },
    );
    const input = new pc.Random(2).fillNormal(new Float32Array(batch * layers[0]), 0, 0.5);
    net.setInput(input);
    net.setTargetClass(
      Array.from({ length: batch }, (_, b) => (b % 10) % layers[layers.length - 1]),
    );
    return net;
  };
  const ofNet = (net: NetworkLike, batch: number): number => {
    const M0 = net.M.map((m) => m.slice());
    const W0 = net.W.map((w) => w.slice());
    const reset = (): void => {
      net.resetState();
      net.setWeights(M0, W0);
    };
    return batch * rate(reset, (n) => void net.step(n));
  };
  for (const mode of ['train', 'classify']) {
    if (groups.includes('ticks')) {
      for (const batch of [1, 128]) {
        for (const [name, backend] of backends) {
          measure(`784-600-600-10 B=${batch} ${mode} ${name}`, () =>
            ofNet(network([784, 600, 600, 10], mode, batch, backend), batch),
          );
        }
      }
    }
    if (groups.includes('small')) {
      for (const [name, backend] of backends) {
        measure(`10-5-3 B=1 ${mode} ${name}`, () =>
          ofNet(network([10, 5, 3], mode, 1, backend), 1),
        );
      }
    }
    if (groups.includes('streams')) {
      for (const layers of [
        [784, 600, 600, 10],
        [10, 5, 3],
      ]) {
        measure(`LayerGraph ${layers.join('-')} B=1 ${mode} auto`, () => {
          const net = network(layers, mode, 1, pc.autoBackend());
          const graph = new pc.LayerGraph(net);
          const M0 = net.M.map((m) => m.slice());
          const W0 = net.W.map((w) => w.slice());
          const r = rate(
            () => {
              graph.resetState();
              net.setWeights(M0, W0);
            },
            (n) => void graph.step(n),
          );
          graph.dispose();
          return r;
        });
      }
    }
  }
  console.log(JSON.stringify({ backends: backends.map(([n]) => n), rates, errors }));
}

await main();
