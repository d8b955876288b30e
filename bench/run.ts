/**
 * `npm run bench`: runs the cases of bench/cases/ (one a file) and prints their tables; single
 * thread unless a case says otherwise, our kernel backends side by side on the same shapes, with
 * their ratios to one another and to TensorFlow.js in the same run.
 *
 *   npm run bench                      every case (about 5 minutes on a 2-core machine)
 *   npm run bench -- ticks small       the cases named (or --sections=ticks,small)
 *   npm run bench -- --quick           the cases on this thread only (no workers, no Chromium)
 *   npm run bench -- --json            one JSON object instead of the tables
 *   npm run bench -- --no-tfjs         without TensorFlow.js; --no-browser: without Chromium
 *   npm run bench -- --list            the cases and what each measures
 *   npm run bench -- --against <ref> [ticks small streams] [--rounds=N]
 *                                      tick rates of this checkout against another commit's
 *                                      build, interleaved in child processes (bench/against.ts)
 *
 * Node 20 runs relaxed SIMD only behind a V8 flag, set here before anything validates a module.
 */
import { cpus, loadavg } from 'node:os';
import { bestBackend, initWasm, relaxedSimdSupported } from '../src/kernels/wasm';
import { wasmBackend, wasmRelaxedBackend, wasmSimdSupported } from '../src/kernels/wasm';
import { jsBackend } from '../src/kernels/backend';
import { enableRelaxedSimd } from '../src/kernels/wasm/relaxed-node';
import { compareAgainst, TICK_GROUPS } from './against';
import type { BenchCase, BenchContext, Machine } from './case';
import { CASES } from './cases/index';
import { formatRow, type NamedBackend, type Row } from './suite';
import { loadTf, TF_VARIANTS } from './tfjs';

interface Options {
  cases: BenchCase[];
  json: boolean;
  tfjs: boolean;
  list: boolean;
  against: string | null;
  rounds: number;
  names: string[];
}

function parseOptions(argv: readonly string[]): Options {
  const names: string[] = [];
  let against: string | null = null;
  let rounds = 5;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--against') against = argv[++i] ?? fail('--against needs a git ref');
    else if (a.startsWith('--against=')) against = a.slice('--against='.length);
    else if (a.startsWith('--rounds=')) rounds = Number(a.slice('--rounds='.length));
    else if (a.startsWith('--sections=')) names.push(...a.slice('--sections='.length).split(','));
    else if (!a.startsWith('--')) names.push(a);
    else if (!['--json', '--no-tfjs', '--no-browser', '--quick', '--list'].includes(a)) {
      fail(`unknown option ${a}`);
    }
  }
  if (!Number.isInteger(rounds) || rounds < 2) fail('--rounds must be an integer ≥ 2');
  const has = (flag: string): boolean => argv.includes(flag);
  const known = against ? TICK_GROUPS : CASES.map((c) => c.name);
  for (const n of names) {
    if (!known.includes(n))
      fail(`unknown case "${n}"; known${against ? ' with --against' : ''}: ${known}`);
  }
  const cases = names.length
    ? CASES.filter((c) => names.includes(c.name))
    : CASES.filter((c) => !(c.browser && has('--no-browser')) && !(c.slow && has('--quick')));
  return {
    cases,
    json: has('--json'),
    tfjs: !has('--no-tfjs'),
    list: has('--list'),
    against,
    rounds,
    names,
  };
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

async function main(): Promise<void> {
  enableRelaxedSimd();
  const options = parseOptions(process.argv.slice(2));
  if (options.list) {
    for (const c of CASES) console.log(`${c.name.padEnd(12)} ${c.measures}`);
    return;
  }
  if (options.against) {
    await compareAgainst(options.against, { groups: options.names, rounds: options.rounds });
    return;
  }
  const { cases, json } = options;
  const log = (line = ''): void => {
    if (!json) console.log(line);
  };
  const started = performance.now();

  await initWasm();
  const backends: NamedBackend[] = [['js', jsBackend]];
  if (wasmSimdSupported()) backends.push(['wasm-simd', wasmBackend]);
  if (relaxedSimdSupported()) backends.push(['wasm-relaxed-simd', wasmRelaxedBackend]);
  const ours = bestBackend()(1).name;
  const tfjs = options.tfjs && cases.some((c) => c.usesTf) ? await loadTf() : null;

  const machine: Machine = {
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

  const print = (r: Row): Row => {
    log(formatRow(r, 24));
    return r;
  };
  const ctx: BenchContext = { backends, ours, tfjs, machine, json, log, print };
  const result: Record<string, unknown> = { machine };
  const nodePart = (): void => {
    result.nodeSeconds = (performance.now() - started) / 1000;
    log(`Node part: ${(result.nodeSeconds as number).toFixed(0)} s`);
  };
  for (const c of cases) {
    if (c.part === 'workers' && !('nodeSeconds' in result)) nodePart();
    Object.assign(result, await c.run(ctx));
  }
  if (!('nodeSeconds' in result)) nodePart();
  if (json) console.log(JSON.stringify(result));
}

await main();
