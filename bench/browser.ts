/**
 * The page of `bench/browser.html`: the batchMatMul and whole-tick measurements of
 * `bench/suite.ts` on each of our kernel backends, in the browser's engine.
 *
 * Opened as is, it runs them all and leaves the result in `window.pcBench` as
 * `{ done: true, result }` (or `{ done: true, error }`), progress on the page and the console.
 * Opened with `?driven`, it runs nothing itself: it sets `window.pcBench = { ready: true, api }`
 * and `bench/run-browser.mjs` calls `api.gemm(rows, cols, batch)` and `api.tick(batch, mode)`
 * one row at a time, alternating with the same rows in Node.
 */
import { jsBackend } from '../src/kernels/backend';
import {
  bestBackend,
  initWasm,
  relaxedSimdSupported,
  wasmBackend,
  wasmRelaxedBackend,
  wasmSimdSupported,
} from '../src/kernels/wasm';
import type { Mode } from '../src/model/spec';
import {
  formatRow,
  GEMM_BATCHES,
  GEMM_SHAPES,
  gemmRow,
  type NamedBackend,
  type Row,
  TICK_BATCHES,
  TICK_MODES,
  tickRow,
} from './suite';
import { pause, type RaceOptions } from './timing';

export interface BrowserBenchResult {
  userAgent: string;
  cores: number;
  crossOriginIsolated: boolean;
  backends: string[];
  best: string;
  relaxedSimd: boolean;
  batchMatMul: Row[];
  ticks: Row[];
  seconds: number;
}

/** What `?driven` exposes: one row at a time, with the race options of the caller. */
export interface BrowserBenchApi {
  info(): Promise<Omit<BrowserBenchResult, 'batchMatMul' | 'ticks' | 'seconds'>>;
  gemm(rows: number, cols: number, batch: number, race?: RaceOptions): Promise<Row>;
  tick(batch: number, mode: Mode, race?: RaceOptions): Promise<Row>;
}

declare global {
  interface Window {
    pcBench?: {
      done?: boolean;
      result?: BrowserBenchResult;
      error?: string;
      ready?: boolean;
      api?: BrowserBenchApi;
    };
  }
}

const pre = document.getElementById('log') as HTMLPreElement;
const lines: string[] = [];
function log(line = ''): void {
  lines.push(line);
  pre.textContent = lines.join('\n');
  console.log(`[bench] ${line}`);
}

async function setUp(): Promise<{ backends: NamedBackend[]; best: string }> {
  await initWasm();
  const backends: NamedBackend[] = [['js', jsBackend]];
  if (wasmSimdSupported()) backends.push(['wasm-simd', wasmBackend]);
  if (relaxedSimdSupported()) backends.push(['wasm-relaxed-simd', wasmRelaxedBackend]);
  return { backends, best: bestBackend()(1).name };
}

function describe(backends: NamedBackend[], best: string) {
  return {
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    backends: backends.map(([n]) => n),
    best,
    relaxedSimd: relaxedSimdSupported(),
  };
}

async function main(): Promise<BrowserBenchResult> {
  const started = performance.now();
  window.pcBench = { done: false };
  const { backends, best } = await setUp();
  log(`${navigator.userAgent}`);
  log(`${navigator.hardwareConcurrency} logical cores; single thread`);
  log(`backends: ${backends.map(([n]) => n).join(', ')} (bestBackend: ${best})\n`);
  await pause();

  log('batchMatMul, GFLOP/s');
  const batchMatMul: Row[] = [];
  for (const [rows, cols] of GEMM_SHAPES) {
    for (const batch of GEMM_BATCHES) {
      const row = await gemmRow(backends, rows, cols, batch);
      batchMatMul.push(row);
      log(formatRow(row, 24));
    }
  }

  log('\n784-600-600-10 tanh network, Euler ticks: sample-ticks/s = ticks/s × B');
  const ticks: Row[] = [];
  for (const batch of TICK_BATCHES) {
    for (const mode of TICK_MODES) {
      const row = await tickRow(backends, batch, mode);
      ticks.push(row);
      log(formatRow(row, 24));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  log(`\ndone in ${seconds.toFixed(0)} s`);
  return { ...describe(backends, best), batchMatMul, ticks, seconds };
}

async function driven(): Promise<void> {
  const { backends, best } = await setUp();
  const api: BrowserBenchApi = {
    info: async () => describe(backends, best),
    gemm: (rows, cols, batch, race) => gemmRow(backends, rows, cols, batch, race),
    tick: (batch, mode, race) => tickRow(backends, batch, mode, { race }),
  };
  log('driven by bench/run-browser.mjs');
  window.pcBench = { ready: true, api };
}

function fail(error: unknown): void {
  const message = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
  log(`failed: ${message}`);
  window.pcBench = { done: true, error: message };
}

if (new URLSearchParams(location.search).has('driven')) {
  driven().catch(fail);
} else {
  main().then((result) => {
    window.pcBench = { done: true, result };
  }, fail);
}
