/**
 * Benchmarks of the kernel backends (`npm run bench`, or `npm run bench -- --json` for one JSON
 * object), single thread, side by side on the same shapes:
 *
 *  1. batchMatMul GFLOP/s at the MNIST shapes;
 *  2. a check that the TensorFlow.js version of the Euler tick (bench/tfjs-network.ts) computes
 *     what `Network` does: 10 ticks from the same weights and state;
 *  3. whole Euler ticks of a 784-600-600-10 tanh network, train and classify, B = 1 and 128, on
 *     plain JavaScript, WebAssembly SIMD, relaxed SIMD, and TensorFlow.js (WebAssembly/XNNPACK
 *     as written, the same with the weights stored transposed, and its CPU backend), with the
 *     issue's targets;
 *  4. accelerated-equilibrium training (trainAccelerated, 80 iterations, batch 20) samples/s;
 *  5. small networks, where calling into WebAssembly costs more than it saves;
 *  6. heap growth over 100,000 ticks of a 10-5-3 network;
 *  7. the layer streams against the direct loop, the worker pool's speed-up on E4,
 *     data-parallel training on two workers (bench/trainer.ts), and one B = 1 network split
 *     across two workers through shared memory (bench/split.ts);
 *  8. main-thread time per second while a 784-600-600-10 <pc-network> plays flat out in its
 *     worker, in headless Chromium (bench/run-main-thread.mjs);
 *  9. the batchMatMul and tick rows of bench/suite.ts in headless Chromium beside Node, measured
 *     alternately (bench/run-browser.mjs, also `npm run bench:browser`).
 *
 * Options: `--json`; `--sections=gemm,check,ticks,accelerated,small,heap,streams,pool,
 * trainer,split,mainthread,browser` (all by default); `--no-tfjs`; `--no-browser` (skips mainthread and
 * browser). About 5 minutes on a 2-core machine.
 *
 * Node 20 runs relaxed SIMD only behind a V8 flag, set here before anything validates a module.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadMnistFromDisk } from '../src/data/mnist-node';
import { jsBackend } from '../src/kernels/backend';
import {
  autoBackend,
  bestBackend,
  initWasm,
  relaxedSimdSupported,
  wasmBackend,
  wasmRelaxedBackend,
  wasmSimdSupported,
} from '../src/kernels/wasm';
import { e7Settings } from '../src/experiments/e7';
import { trainAccelerated } from '../src/model/accelerated';
import { networkWithAdam } from '../src/model/optimizer';
import { Network } from '../src/model/network';
import type { Mode } from '../src/model/spec';
import { Random } from '../src/random';
import { enableRelaxedSimd } from '../src/kernels/wasm/relaxed-node';
import {
  format,
  formatRow,
  GEMM_BATCHES,
  GEMM_SHAPES,
  gemmRow,
  makeRow,
  mapValues,
  type NamedBackend,
  networkCandidate,
  type Row,
  TICK_BATCHES,
  TICK_MODES,
  tickNetwork,
  tickRow,
} from './suite';
import { type LoadedTf, loadTf, tfCandidate, tfNetwork, TF_VARIANTS } from './tfjs';
import { type Candidate, race } from './timing';
import { poolSpeedUp, streamsVersusDirect } from './dataflow';
import { splitBench } from './split';
import { trainerBench } from './trainer';

enableRelaxedSimd();

const SECTIONS = [
  'gemm',
  'check',
  'ticks',
  'accelerated',
  'small',
  'heap',
  'streams',
  'pool',
  'trainer',
  'split',
  'mainthread',
  'browser',
] as const;
type Section = (typeof SECTIONS)[number];

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const sectionArg = argv.find((a) => a.startsWith('--sections='));
const sections = new Set<Section>(
  sectionArg
    ? (sectionArg.slice('--sections='.length).split(',') as Section[])
    : SECTIONS.filter(
        (s) => !((s === 'browser' || s === 'mainthread') && argv.includes('--no-browser')),
      ),
);
for (const s of sections) {
  if (!SECTIONS.includes(s)) throw new Error(`unknown section "${s}"; known: ${SECTIONS}`);
}
const withTf = !argv.includes('--no-tfjs') && (sections.has('check') || sections.has('ticks'));

const log = (line = ''): void => {
  if (!json) console.log(line);
};
const started = performance.now();

await initWasm();
const backends: NamedBackend[] = [['js', jsBackend]];
if (wasmSimdSupported()) backends.push(['wasm-simd', wasmBackend]);
if (relaxedSimdSupported()) backends.push(['wasm-relaxed-simd', wasmRelaxedBackend]);
/** Our backend that an application gets (`bestBackend()`), and what the targets are about. */
const ours = bestBackend()(1).name;

const tfjs: LoadedTf | null = withTf ? await loadTf() : null;

const machine = {
  cpus: cpus().length,
  model: cpus()[0]?.model.trim() ?? 'unknown',
  mhz: cpus()[0]?.speed ?? 0,
  loadAverage: loadavg().map((v) => Math.round(v * 100) / 100),
  node: process.version,
  backends: backends.map(([name]) => name),
  best: ours,
  tfjs: tfjs && {
    version: tfjs.version,
    wasmBinary: tfjs.wasmBinary,
    threads: tfjs.threads,
    variants: TF_VARIANTS.map((v) => v.name),
  },
  gcExposed: typeof globalThis.gc === 'function',
};
log(`${machine.cpus} cores × ${machine.model}, Node ${machine.node}; single thread`);
log(`load average ${machine.loadAverage.join(' ')} (a loaded machine lowers every figure)`);
log(`our backends: ${machine.backends.join(', ')} (bestBackend: ${ours})`);
if (tfjs) {
  log(
    `TensorFlow.js ${tfjs.version}: wasm (${tfjs.wasmBinary}, threads ${tfjs.threads ? 'on' : 'off'}), cpu`,
  );
}
log();

const result: Record<string, unknown> = { machine };
const print = (r: Row): Row => {
  log(formatRow(r, 24));
  return r;
};

// 1. batchMatMul: out (B × rows) = A (B × cols) · Mᵀ.
if (sections.has('gemm')) {
  log('batchMatMul, GFLOP/s');
  const rows: Row[] = [];
  for (const [r, c] of [...GEMM_SHAPES, [10, 600] as const]) {
    for (const batch of GEMM_BATCHES) rows.push(print(await gemmRow(backends, r, c, batch)));
  }
  result.batchMatMul = rows;
  log();
}

// 2. The TensorFlow.js tick computes what ours does.
if (tfjs && sections.has('check')) {
  log('check: 10 ticks from the same weights and state (x, ε ~ N(0, 0.5²)), TF.js against ours');
  log('       max |Δ| / max |ours| of every x, ε and (train) weight change ΔM, ΔW; worst over');
  log(`       our backends (${machine.backends.join(', ')}); must be < 1e-3`);
  const checks: unknown[] = [];
  let pass = true;
  for (const mode of TICK_MODES) {
    for (const batch of [1, 8]) {
      const worst = await checkTfTicks(tfjs, mode, batch);
      const ok = Object.values(worst).every((v) => v < 1e-3);
      pass &&= ok;
      checks.push({ mode, batch, relativeError: worst, ok });
      const cells = Object.entries(worst).map(([n, v]) => `${n} ${v.toExponential(1)}`);
      log(`B = ${batch}, ${mode}`.padEnd(24) + ` ${cells.join('  ')}   ${ok ? 'ok' : 'FAILED'}`);
    }
  }
  result.tfjsCheck = { pass, checks };
  if (!pass) process.exitCode = 1;
  log();
}

// 3. Whole ticks of the MNIST network, ours and TensorFlow.js.
if (sections.has('ticks')) {
  log('784-600-600-10 tanh network (λM = λW = 0.05), Euler ticks: sample-ticks/s = ticks/s × B');
  const pairs: [string, string][] = [
    [ours, 'js'],
    [ours, 'tfjs-wasm'],
    [ours, 'tfjs-wasm-T'],
    [ours, 'tfjs-cpu'],
    ['tfjs-wasm', 'js'],
  ];
  if (ours !== 'wasm-simd') pairs.splice(1, 0, ['wasm-simd', 'js']);
  const rows: Row[] = [];
  for (const batch of [...TICK_BATCHES]) {
    for (const mode of TICK_MODES) {
      const disposers: (() => void)[] = [];
      const row = await tickRow(backends, batch, mode, {
        pairs,
        extra: async (net) => {
          if (!tfjs) return [];
          const cands = [];
          for (const v of TF_VARIANTS) cands.push(await tfCandidate(tfjs.tf, v, net));
          disposers.push(...cands.map((c) => () => c.dispose()));
          return cands;
        },
      });
      disposers.forEach((d) => d());
      rows.push(print(row));
    }
  }
  result.ticks = rows;
  log();
  if (tfjs) result.targets = targets(rows);
}

// 4. Accelerated-equilibrium training on real digits, E7's settings.
if (sections.has('accelerated')) {
  const e7 = e7Settings({ seed: 1, quick: false });
  log(
    `accelerated training (trainAccelerated: ${e7.iterations} iterations, batch ${e7.batch}, ` +
      `${e7.layers.join('-')} tanh, ν = ${e7.nu.join(',')},`,
  );
  log(
    `${e7.optimizer} step ${e7.learningRate}, λ = ${e7.weightDecay}: E7's settings) on MNIST test digits`,
  );
  const mnist = await loadMnistFromDisk('t10k', { limit: 200 });
  const batches = 10;
  const B = e7.batch;
  const nets: Network[] = [];
  const candidates: Candidate[] = backends.map(([name, backend]) => {
    const { net, adam } = networkWithAdam(
      {
        layers: e7.layers,
        activation: e7.activation,
        nu: e7.nu,
        lambdaM: e7.weightDecay,
        lambdaW: e7.weightDecay,
        tiedInit: e7.tiedInit,
        seed: 1,
        mode: 'train',
      },
      { batch: B, backend },
      e7.optimizer === 'adam'
        ? { learningRate: e7.learningRate, decayStep: e7.decayStep }
        : undefined,
    );
    nets.push(net);
    const Y = new Float32Array(mnist.count * 10);
    mnist.labels.forEach((k, i) => (Y[i * 10 + k] = 1));
    let next = 0;
    return {
      name,
      run: (calls) => {
        const start = performance.now();
        for (let c = 0; c < calls; c++) {
          const b = next++ % batches;
          trainAccelerated(
            net,
            mnist.images.subarray(b * B * 784, (b + 1) * B * 784),
            Y.subarray(b * B * 10, (b + 1) * B * 10),
            { iterations: e7.iterations, rate: e7.rate, learningRate: e7.learningRate, adam },
          );
        }
        return (performance.now() - start) / 1000;
      },
    };
  });
  const seconds = await race(candidates, { seconds: 1.5, trials: 3, maxUnits: 50 });
  const row = makeRow(
    'samples/s',
    'samples/s',
    mapValues(seconds, (s) => B / s),
  );
  print(row);
  if (nets.some((net) => net.M.some((m) => !m.every(Number.isFinite)))) {
    log('(the weights diverged during the race: these figures may not be typical)');
  }
  const hours = mapValues(row.figures, (v) => (e7.trainDigits * e7.epochs) / v / 3600);
  log(
    `one E7 network (${e7.trainDigits} digits × ${e7.epochs} epochs) would take: ${Object.entries(
      hours,
    )
      .map(([n, h]) => `${n} ${h.toFixed(1)} h`)
      .join(', ')} (one thread)`,
  );
  result.accelerated = { ...row, e7Hours: hours };
  log();
}

// 5. Small networks: where the cost of calling into WebAssembly outweighs the arithmetic.
if (sections.has('small')) {
  log('small tanh networks, B = 1, classify: ticks/s');
  const rows: Row[] = [];
  for (const layers of [
    [10, 5, 3],
    [30, 20, 10],
    [100, 50, 10],
  ]) {
    const candidates = backends.map(([name, backend]) => {
      const net = new Network(
        { layers, activation: 'tanh', seed: 1, mode: 'classify' },
        { backend },
      );
      net.setInput(Array.from(new Random(3).fillNormal(new Float32Array(layers[0]))));
      return networkCandidate(name, net);
    });
    const seconds = await race(candidates, { seconds: 0.2, trials: 3, maxUnits: 100_000 });
    rows.push(
      print(
        makeRow(
          layers.join('-'),
          'ticks/s',
          mapValues(seconds, (s) => 1 / s),
        ),
      ),
    );
  }
  result.smallNets = rows;
  log();
}

// 6. Heap growth: a kernel call must allocate nothing that outlives it.
if (sections.has('heap')) {
  log('10-5-3 tanh network, 100,000 train ticks: heap growth and ticks/s');
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
  result.heap = [
    print(makeRow('heap growth', 'KiB', growth, false)),
    print(makeRow('ticks/s', 'ticks/s', small)),
  ];
  log();
}

// 7. Dataflow: the layer streams against the direct loop, and the worker pool's speed-up.
if (sections.has('streams')) {
  log('B = 1 tanh, classify, ticks/s: Network.step against the layer streams (autoBackend)');
  const rows = streamsVersusDirect(autoBackend());
  for (const r of rows) {
    log(
      `${r.layers.padEnd(16)} direct ${format(r.direct)}  streams ${format(r.streams)}  ` +
        `[streams/direct ${r.ratio.toFixed(2)}]`,
    );
  }
  result.streams = rows;
  log();
}
if (sections.has('pool')) {
  log("E4's networks (quick protocol) on Node worker threads");
  const rows = await poolSpeedUp(new URL('../dist/cli/job-worker.js', import.meta.url));
  for (const r of rows) {
    log(
      `${r.workers} worker(s): ${r.seconds.toFixed(2)} s, speed-up ${r.speedUp.toFixed(2)}x, ` +
        `same results as 1 worker: ${r.sameResults}`,
    );
  }
  result.pool = rows;
  log();
}

result.nodeSeconds = (performance.now() - started) / 1000;
log(`Node part: ${(result.nodeSeconds as number).toFixed(0)} s`);

if (sections.has('trainer')) {
  log('data-parallel accelerated training on worker threads (bench/trainer.ts)');
  result.trainer = await trainerBench(log); // needs dist/cli/job-worker.js (npm run bench builds it)
  log();
}

if (sections.has('split')) {
  result.split = await splitBench(log); // needs dist/cli/split-worker.js (npm run bench builds it)
  log();
}

// 8. What a playing 784-600-600-10 <pc-network> costs the page's thread (bench/main-thread.ts).
if (sections.has('mainthread')) {
  log(
    '\nmain-thread time per second of a playing 784-600-600-10 element (bench/run-main-thread.mjs)',
  );
  result.mainThread = await runScript('run-main-thread.mjs', []);
}

// 9. The same kernels and ticks in headless Chromium (bench/run-browser.mjs), beside these.
if (sections.has('browser')) {
  log('\nheadless Chromium (bench/run-browser.mjs)');
  result.browser = await runScript('run-browser.mjs', ['--import', 'tsx']);
}

if (json) console.log(JSON.stringify(result));

/**
 * Runs `Network` on every backend and TfNetwork on every TF.js variant for 10 ticks from the
 * same random state; returns, per TF.js variant, the worst relative difference over our backends
 * and over x, ε (every layer) and, in train mode, the weight changes ΔM, ΔW.
 */
async function checkTfTicks(
  loaded: LoadedTf,
  mode: Mode,
  batch: number,
): Promise<Record<string, number>> {
  const nets = backends.map(([, factory]) => {
    const net = tickNetwork(factory, batch, mode);
    net.resetState({ std: 0.5 });
    return net;
  });
  const M0 = nets[0].M.map((m) => m.slice());
  const W0 = nets[0].W.map((w) => w.slice());
  const tfNets = [];
  for (const variant of TF_VARIANTS) tfNets.push(await tfNetwork(loaded.tf, variant, nets[0]));
  for (const net of nets) net.step(10);
  const worst: Record<string, number> = {};
  for (const [i, variant] of TF_VARIANTS.entries()) {
    const tfNet = tfNets[i];
    await loaded.tf.setBackend(variant.backend);
    tfNet.step(10);
    let w = 0;
    for (const net of nets) {
      for (let l = 0; l < net.depth; l++) {
        w = Math.max(w, relDiff(tfNet.xOf(l), net.x(l)), relDiff(tfNet.epsOf(l), net.eps(l)));
      }
      if (mode === 'train') {
        for (let l = 0; l + 1 < net.depth; l++) {
          w = Math.max(w, relDiff(minus(tfNet.MOf(l), M0[l]), minus(net.M[l], M0[l])));
          w = Math.max(w, relDiff(minus(tfNet.WOf(l), W0[l]), minus(net.W[l], W0[l])));
        }
      }
    }
    tfNet.dispose();
    worst[variant.name] = w;
  }
  // Our backends against each other, for scale.
  let ourWorst = 0;
  for (const net of nets.slice(1)) {
    for (let l = 0; l < net.depth; l++) {
      ourWorst = Math.max(
        ourWorst,
        relDiff(net.x(l), nets[0].x(l)),
        relDiff(net.eps(l), nets[0].eps(l)),
      );
    }
  }
  worst['ours vs js'] = ourWorst;
  return worst;
}

function relDiff(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Infinity;
  let d = 0;
  let m = 0;
  for (let j = 0; j < a.length; j++) {
    d = Math.max(d, Math.abs(a[j] - ref[j]));
    m = Math.max(m, Math.abs(ref[j]));
  }
  return d === 0 ? 0 : m === 0 ? Infinity : d / m;
}

function minus(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, j) => v - b[j]);
}

/** The issue's targets, from the tick rows: reported, not asserted. */
function targets(rows: Row[]): unknown[] {
  const list: {
    what: string;
    ratio: number;
    target: number;
    met: boolean;
  }[] = [];
  const fig = (batch: number, mode: Mode, name: string): number =>
    rows.find((r) => r.what === `B = ${batch}, ${mode}`)?.figures[name] ?? NaN;
  for (const mode of TICK_MODES) {
    for (const [batch, against, target] of [
      [128, 'tfjs-wasm', 1.5],
      [1, 'tfjs-wasm', 5],
      [1, 'js', 6],
    ] as const) {
      const ratio = fig(batch, mode, ours) / fig(batch, mode, against);
      list.push({
        what: `${ours} / ${against}, B = ${batch}, ${mode}`,
        ratio,
        target,
        met: ratio >= target,
      });
    }
  }
  log(`targets (${ours} is what bestBackend() picks; reported, not asserted)`);
  for (const t of list) {
    log(
      `${t.what.padEnd(46)} ${t.ratio.toFixed(2)}x   target ≥ ${t.target}x   ${t.met ? 'met' : 'MISSED'}`,
    );
  }
  log();
  return list;
}

/**
 * Runs a browser script of bench/ (run-browser.mjs: the same rows in headless Chromium and in
 * Node, alternately, side by side; run-main-thread.mjs) and lets it print; with --json,
 * returns its JSON.
 */
function runScript(name: string, nodeArgs: string[]): Promise<unknown> {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const args = [...nodeArgs, script, ...(json ? ['--json'] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) {
        process.exitCode = 1;
        log(`${name} failed (exit code ${code})`);
      }
      if (!json) return resolve(code === 0 ? 'printed above' : { error: `exit code ${code}` });
      try {
        resolve(JSON.parse(out));
      } catch {
        resolve({ error: `exit code ${code}`, output: out });
      }
    });
  });
}
