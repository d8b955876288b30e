/**
 * One batch-1 784-600-600-10 network split across worker threads that tick it together
 * through shared memory (`SplitNetwork`, src/pool/split.ts), against the same network on one
 * worker and the plain single-thread `Network`, all on the best WebAssembly kernels: ticks per
 * second in `train` and `classify`, in interleaved rounds (round 1 of every contender, then
 * round 2...: a slow spell of this shared machine lands on all of them), best round counting.
 * Before timing, each mode checks that 1 and 2 workers give `Network.step`'s bits.
 *
 * Standalone: `npm run build:cli && node --import tsx bench/split.ts` (add `--json` for one
 * JSON object). Needs dist/cli/split-worker.js, which `npm run build:cli` makes.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bestBackend, initWasm } from '../src/kernels/wasm';
import type { Network } from '../src/model/network';
import type { Mode } from '../src/model/spec';
import type { SplitNetwork } from '../src/pool/split';
import { createNodeSplitNetwork } from '../src/pool/split-node';
import { enableRelaxedSimd } from '../src/kernels/wasm/relaxed-node';
import { TICK_MODES, tickNetwork, tickSpec } from './suite';
import { coresFree } from './cores';

/** Rounds per contender, and ticks per round (each round starts from the same state and weights). */
const ROUNDS = 8;
const TICKS = 500;
/** Ticks of the bit-for-bit check. */
const CHECK_TICKS = 50;

export interface SplitBenchMode {
  mode: Mode;
  /** Ticks per second, best round. */
  ticksPerSecond: { network: number; workers1: number; workers2: number };
  /** 2 workers over 1 worker, and over the plain Network. */
  ratios: {
    workers2OverWorkers1: number;
    workers2OverNetwork: number;
    workers1OverNetwork: number;
  };
  /**
   * The same ratio from the time each worker spent computing (its run minus its waits at the
   * tick barrier), best round: what 2 workers give when both have a core to themselves. Far
   * above `workers2OverWorkers1`, it says the machine was busy (the workers took turns).
   */
  computeRatio: number;
  /** Of the 2 workers' time in their best round, the share spent waiting at the barrier. */
  waitShare: number;
  /** 1 and 2 workers gave Network.step's state (and, in train, weights) bit for bit. */
  matched: boolean;
  /** The largest difference seen in the check (0 when matched). */
  maxDifference: number;
}

export interface SplitBenchResult {
  /**
   * Cores this process got while measuring: the same work on 2 threads over 1 thread, by
   * wall clock (2 when both cores are free; 1 when other work holds one of them).
   */
  coresFree: number;
  layers: string;
  batch: 1;
  backend: string;
  path: string;
  loadAverage: number[];
  modes: SplitBenchMode[];
}

/** Runs the split-network benchmark, printing a table through `log`; returns the figures. */
export async function splitBench(log: (line?: string) => void): Promise<SplitBenchResult> {
  const workerUrl = new URL('../dist/cli/split-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(workerUrl))) {
    throw new Error('bench/split.ts needs dist/cli/split-worker.js: run `npm run build:cli` first');
  }
  await initWasm();
  const backend = bestBackend();
  const modes: SplitBenchMode[] = [];
  let backendName = '';
  let path = '';
  log(`split network: 784-600-600-10 tanh, B = 1, ${ROUNDS} interleaved rounds of ${TICKS} ticks`);
  const load = (): string =>
    loadavg()
      .map((v) => v.toFixed(2))
      .join(' ');
  log(`  load average before: ${load()}`);
  const coresBefore = await coresFree();
  log(`  cores free: ${coresBefore.toFixed(2)} (2 threads of independent work against 1)`);
  for (const mode of TICK_MODES) {
    const net = tickNetwork(backend, 1, mode);
    const M0 = net.M.map((m) => m.slice());
    const W0 = net.W.map((w) => w.slice());
    const splits: SplitNetwork[] = [];
    try {
      for (const workers of [1, 2]) {
        const split = await createNodeSplitNetwork(tickSpec(mode), {
          workers,
          workerUrl,
          backend: 'wasm',
        });
        splits.push(split);
        split.setInput(net.X);
        split.setTarget(net.Y);
      }
      backendName = splits[1].backendName;
      path = splits[1].path;
      if (backendName !== net.backend.name) {
        throw new Error(`workers run ${backendName} but this thread ${net.backend.name}`);
      }

      // The check: the same ticks from the same state and weights, compared bit for bit.
      net.resetState();
      net.setWeights(M0, W0);
      net.step(CHECK_TICKS);
      let maxDifference = 0;
      for (const split of splits) {
        split.resetState();
        await split.setWeights(M0, W0);
        await split.step(CHECK_TICKS);
        maxDifference = Math.max(maxDifference, await difference(net, split, mode === 'train'));
      }

      const best = { network: Infinity, workers1: Infinity, workers2: Infinity };
      const busiest = [Infinity, Infinity];
      let waitShare = 1;
      for (let round = 0; round < ROUNDS; round++) {
        net.resetState();
        net.setWeights(M0, W0);
        let start = performance.now();
        net.step(TICKS);
        best.network = Math.min(best.network, (performance.now() - start) / 1000);
        for (const [i, split] of splits.entries()) {
          split.resetState();
          await split.setWeights(M0, W0);
          await split.state(); // sends the reset state before the clock starts
          start = performance.now();
          await split.step(TICKS);
          const key = i === 0 ? 'workers1' : 'workers2';
          const seconds = (performance.now() - start) / 1000;
          if (seconds < best[key] && i === 1) {
            const { seconds: all, waitSeconds } = split.lastRunTimes;
            waitShare = waitSeconds.reduce((a, b) => a + b) / all.reduce((a, b) => a + b);
          }
          best[key] = Math.min(best[key], seconds);
          const { seconds: all, waitSeconds } = split.lastRunTimes;
          const busy = Math.max(...all.map((s, p) => s - waitSeconds[p]));
          busiest[i] = Math.min(busiest[i], busy);
        }
      }
      const ticksPerSecond = {
        network: TICKS / best.network,
        workers1: TICKS / best.workers1,
        workers2: TICKS / best.workers2,
      };
      const row: SplitBenchMode = {
        mode,
        ticksPerSecond,
        ratios: {
          workers2OverWorkers1: ticksPerSecond.workers2 / ticksPerSecond.workers1,
          workers2OverNetwork: ticksPerSecond.workers2 / ticksPerSecond.network,
          workers1OverNetwork: ticksPerSecond.workers1 / ticksPerSecond.network,
        },
        computeRatio: busiest[0] / busiest[1],
        waitShare,
        matched: maxDifference === 0,
        maxDifference,
      };
      modes.push(row);
      const f = (v: number): string => Math.round(v).toLocaleString('en-US').padStart(7);
      log(
        `  ${mode.padEnd(8)} ticks/s: Network ${f(ticksPerSecond.network)}, 1 worker ` +
          `${f(ticksPerSecond.workers1)}, 2 workers ${f(ticksPerSecond.workers2)};  2 workers / 1 ` +
          `worker ${row.ratios.workers2OverWorkers1.toFixed(2)}x, / Network ` +
          `${row.ratios.workers2OverNetwork.toFixed(2)}x;  by compute time ` +
          `${row.computeRatio.toFixed(2)}x (waits ${(100 * waitShare).toFixed(0)}%);  results ` +
          (row.matched ? 'match bit for bit' : `DIFFER (max ${maxDifference.toExponential(2)})`),
      );
    } finally {
      splits.forEach((s) => s.terminate());
    }
  }
  const coresAfter = await coresFree();
  log(`  kernels ${backendName}, path ${path}; load average after: ${load()}`);
  log(`  cores free after: ${coresAfter.toFixed(2)}`);
  log(`  target (issue 6): 2 workers ≥ 1.7x 1 worker (wall clock, with 2 cores free)`);
  return {
    coresFree: Math.min(coresBefore, coresAfter),
    layers: '784-600-600-10',
    batch: 1,
    backend: backendName,
    path,
    loadAverage: loadavg(),
    modes,
  };
}

/** The largest |difference| between the split network's state (and weights) and `net`'s. */
async function difference(net: Network, split: SplitNetwork, weights: boolean): Promise<number> {
  let d = 0;
  const max = (a: Float32Array, b: Float32Array): void => {
    for (let j = 0; j < a.length; j++) {
      const v = Math.abs(a[j] - b[j]);
      d = v > d || v !== v ? v : d;
    }
  };
  const s = await split.state();
  for (let l = 0; l < net.depth; l++) {
    max(net.x(l), s.x[l]);
    max(net.eps(l), s.eps[l]);
  }
  if (weights) {
    const w = await split.weights();
    net.M.forEach((m, l) => max(m, w.M[l]));
    net.W.forEach((m, l) => max(m, w.W[l]));
  }
  if (split.tick !== net.tick) d = Math.max(d, Infinity);
  return d;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Node 20 runs relaxed SIMD only behind a flag; worker threads share the process's flags.
  enableRelaxedSimd();
  const json = process.argv.includes('--json');
  const result = await splitBench(json ? () => undefined : (line = '') => console.log(line));
  if (json) console.log(JSON.stringify(result));
}
