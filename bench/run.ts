/**
 * Benchmarks of the kernel backends (`npm run bench`, or `npm run bench -- --json` for one JSON
 * object): batchMatMul GFLOP/s at the MNIST shapes, whole Euler ticks per second of a
 * 784-600-600-10 network and of small networks, and heap growth over 100,000 ticks of a 10-5-3
 * network, on plain JavaScript, WebAssembly SIMD and (where the engine has it) relaxed SIMD,
 * with the ratio of every pair. Single thread. Takes under a minute on an idle machine.
 *
 * Node 20 runs relaxed SIMD only behind a V8 flag, set here before anything validates a module.
 */
import { cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { type BackendFactory, jsBackend } from '../src/kernels/backend';
import {
  initWasm,
  relaxedSimdSupported,
  wasmBackend,
  wasmRelaxedBackend,
  wasmSimdSupported,
} from '../src/kernels/wasm';
import { Network } from '../src/model/network';
import { Random } from '../src/random';
import { ratios, secondsPerCall } from './timing';

setFlagsFromString('--experimental-wasm-relaxed-simd');

const json = process.argv.includes('--json');
const log = (line: string): void => {
  if (!json) console.log(line);
};

await initWasm();
const backends: [string, BackendFactory][] = [['js', jsBackend]];
if (wasmSimdSupported()) backends.push(['wasm-simd', wasmBackend]);
if (relaxedSimdSupported()) backends.push(['wasm-relaxed-simd', wasmRelaxedBackend]);

const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model.trim() ?? 'unknown',
  node: process.version,
  backends: backends.map(([name]) => name),
  gcExposed: typeof globalThis.gc === 'function',
};
log(`${machine.cpus} × ${machine.model}, Node ${machine.node}; single thread`);
log(`backends: ${machine.backends.join(', ')}\n`);

/** Figures of one measurement per backend, and their ratios. */
interface Row {
  what: string;
  unit: string;
  figures: Record<string, number>;
  ratios: Record<string, number>;
}

function row(what: string, unit: string, figures: Record<string, number>, compare = true): Row {
  const r = { what, unit, figures, ratios: compare ? ratios(figures) : {} };
  const cells = Object.entries(figures).map(([name, v]) => `${name} ${format(v)}`);
  const rs = Object.entries(r.ratios).map(([name, v]) => `${name} ${v.toFixed(2)}x`);
  log(`${what.padEnd(34)} ${cells.join('  ')}  ${unit}${compare ? `   [${rs.join(', ')}]` : ''}`);
  return r;
}

function format(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3);
}

// 1. batchMatMul: out (B × rows) = A (B × cols) · Mᵀ, 2·B·rows·cols flops a call.
log('batchMatMul, GFLOP/s');
const gemm: Row[] = [];
for (const [rows, cols] of [
  [600, 784],
  [600, 600],
  [10, 600],
]) {
  for (const batch of [1, 32, 128]) {
    const figures: Record<string, number> = {};
    for (const [name, factory] of backends) {
      const be = factory(batch * (rows + cols) + rows * cols);
      const rng = new Random(1);
      const A = rng.fillNormal(be.alloc(batch * cols));
      const M = rng.fillNormal(be.alloc(rows * cols));
      const out = be.alloc(batch * rows);
      const s = secondsPerCall(() => be.kernels.batchMatMul(out, A, M, batch, rows, cols), 0.5, 5);
      figures[name] = (2 * batch * rows * cols) / s / 1e9;
    }
    gemm.push(row(`${rows}x${cols}, batch ${batch}`, 'GFLOP/s', figures));
  }
}

// 2. Whole ticks of the MNIST network (tanh), train and classify modes.
log('\n784-600-600-10 tanh network, Euler ticks (sample-ticks/s = ticks/s × B)');
const ticks: Row[] = [];
for (const batch of [1, 128]) {
  for (const mode of ['train', 'classify'] as const) {
    const figures: Record<string, number> = {};
    for (const [name, backend] of backends) {
      const net = new Network(
        { layers: [784, 600, 600, 10], activation: 'tanh', seed: 1, mode },
        { batch, backend },
      );
      const rng = new Random(2);
      net.setInput(Array.from(rng.fillNormal(new Float32Array(batch * 784), 0, 0.5)));
      net.setTargetClass(Array.from({ length: batch }, (_, b) => b % 10));
      const s = secondsPerTick(net);
      figures[name] = batch / s;
    }
    ticks.push(row(`B = ${batch}, ${mode}`, 'sample-ticks/s', figures));
  }
}

/**
 * Seconds per tick, best of 3 rounds of up to `maxTicks` ticks (about `seconds` each). Every round
 * starts from the same state and weights: training on a fixed random input would otherwise
 * drift towards divergence within a few thousand ticks.
 */
function secondsPerTick(net: Network, seconds = 0.4, maxTicks = 1000): number {
  const M0 = net.M.map((m) => m.slice());
  const W0 = net.W.map((w) => w.slice());
  const round = (ticks: number): number => {
    net.resetState();
    net.setWeights(M0, W0);
    const start = performance.now();
    net.step(ticks);
    return (performance.now() - start) / 1000 / ticks;
  };
  // Warm up (and estimate) with rounds of doubling length, up to a quarter of `seconds`.
  let ticks = 1;
  let perTick = round(ticks);
  while (ticks < maxTicks && perTick * ticks < seconds / 4) {
    ticks = Math.min(maxTicks, 2 * ticks);
    perTick = round(ticks);
  }
  ticks = Math.max(1, Math.min(maxTicks, Math.round(seconds / perTick)));
  return Math.min(round(ticks), round(ticks), round(ticks));
}

// 3. Small networks: where the cost of calling into WebAssembly outweighs the arithmetic.
log('\nsmall tanh networks, B = 1, classify: ticks/s');
const smallNets: Row[] = [];
for (const layers of [
  [10, 5, 3],
  [30, 20, 10],
  [100, 50, 10],
]) {
  const figures: Record<string, number> = {};
  for (const [name, backend] of backends) {
    const net = new Network({ layers, activation: 'tanh', seed: 1, mode: 'classify' }, { backend });
    net.setInput(Array.from(new Random(3).fillNormal(new Float32Array(layers[0]))));
    figures[name] = 1 / secondsPerTick(net, 0.2, 100_000);
  }
  smallNets.push(row(layers.join('-'), 'ticks/s', figures));
}

// 4. Heap growth: a kernel call must allocate nothing that outlives it.
log('\n10-5-3 tanh network, 100,000 train ticks: heap growth and ticks/s');
const heap: Row[] = [];
const growth: Record<string, number> = {};
const small: Record<string, number> = {};
for (const [name, backend] of backends) {
  const net = new Network({ layers: [10, 5, 3], activation: 'tanh', seed: 1 }, { backend });
  net.setInput(Array.from(new Random(3).fillNormal(new Float32Array(10))));
  net.setTargetClass(1);
  net.step(1000);
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const start = performance.now();
  net.step(100_000);
  const seconds = (performance.now() - start) / 1000;
  globalThis.gc?.();
  growth[name] = (process.memoryUsage().heapUsed - before) / 1024;
  small[name] = 100_000 / seconds;
}
if (!machine.gcExposed) log('(no --expose-gc: the heap figures include uncollected garbage)');
heap.push(row('heap growth', 'KiB', growth, false));
heap.push(row('ticks/s', 'ticks/s', small));

if (json) console.log(JSON.stringify({ machine, batchMatMul: gemm, ticks, smallNets, heap }));
