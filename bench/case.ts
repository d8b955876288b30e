/**
 * What a benchmark case of `npm run bench` is (one a file, in bench/cases/), and what the runner
 * (bench/run.ts) hands it: the backends to compare, TensorFlow.js if loaded, and how to print.
 */
import type { Row, NamedBackend } from './suite';
import type { LoadedTf } from './tfjs';

/** The machine and the contenders of one run, printed at the top and kept in `--json`. */
export interface Machine {
  cpus: number;
  model: string;
  mhz: number;
  loadAverage: number[];
  node: string;
  backends: string[];
  best: string;
  tfjs: { version: string; wasmBinary: string; threads: boolean; variants: string[] } | null;
  gcExposed: boolean;
}

export interface BenchContext {
  /** Our kernel backends this machine runs: js, then wasm-simd and wasm-relaxed-simd if any. */
  backends: readonly NamedBackend[];
  /** The backend `bestBackend()` picks: what the targets are about. */
  ours: string;
  /** TensorFlow.js, loaded when a selected case uses it and `--no-tfjs` is not given. */
  tfjs: LoadedTf | null;
  machine: Machine;
  /** `--json`: the cases print nothing (log is silent); the runner prints one object. */
  json: boolean;
  /** A line of the text report (nothing with `--json`). */
  log: (line?: string) => void;
  /** Prints a row as one line of a table (figures, then ratios) and returns it. */
  print: (row: Row) => Row;
}

export interface BenchCase {
  /** The name that picks it: `npm run bench -- <name>...` or `--sections=<name>,...`. */
  name: string;
  /** What it measures, in a line (`npm run bench -- --list`). */
  measures: string;
  /**
   * `node`: measured on this thread (or the pool's), timed in the "Node part" line; `workers`:
   * the two-worker and browser cases that follow it.
   */
  part: 'node' | 'workers';
  /** Needs headless Chromium (left out by `--no-browser`). */
  browser?: boolean;
  /** Slow or on several threads: left out by `--quick`. */
  slow?: boolean;
  /** Uses TensorFlow.js (loaded once for all such cases unless `--no-tfjs`). */
  usesTf?: boolean;
  /** Measures and prints; returns its entries of the `--json` object. */
  run(ctx: BenchContext): Promise<Record<string, unknown>>;
}
