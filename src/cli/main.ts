/**
 * `pcnet`: the engine from the command line (Node only). Bad arguments print a one-line error
 * and the usage, with exit status 2; a failed run prints its error with exit status 1.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runE1 } from '../experiments/e1';
import { runE2 } from '../experiments/e2';
import { runE3 } from '../experiments/e3';
import { planE4, reduceE4, runE4 } from '../experiments/e4';
import { createNodePool } from '../pool/node';
import type { BackendChoice } from '../pool/protocol';
import {
  e5Settings,
  type GenerativeResult,
  planGenerative,
  reduceGenerative,
  runE5,
} from '../experiments/e5';
import { e6Settings, runE6 } from '../experiments/e6';
import { e7Settings, type E7JobResult, planE7, reduceE7, runE7 } from '../experiments/e7';
import { type MnistData, subsetClassMeans } from '../experiments/mnist';
import type { ExperimentOptions, ExperimentReport } from '../experiments/types';
import { decodeNetwork, encodeNetwork } from '../io/safetensors';
import { argmax } from '../metrics';
import { Network } from '../model/network';
import { PRESETS } from '../presets';
import { Random } from '../random';
import { formatReport, progressPrinter } from './format';
import { writeDigitSheet } from './png';
import { classImages } from '../data/mnist';
import { trainCommand } from './train';
import { evaluateCommand } from './evaluate';
import { classFlag, type DataMeta, featuresOf, readDataMeta } from './data';
import { applyScaling } from '../data/dataset';
import { mergeCommand, reportJson } from './merge';
import { reproduceShard } from './shard';
import { studyCommand } from './study';
import { STUDY_NAMES } from '../studies';
import {
  assertWritable,
  checkSpec,
  option,
  optionUsage,
  OPTIONS,
  specFlags,
  specOptions,
  specUsage,
  UsageError,
} from './args';
import {
  DEFAULT_MEMORY_BUDGET_MIB,
  isMemoryBudget,
  MemoryBudgetError,
  setDefaultMemoryBudget,
} from '../model/budget';
import { loadMnistFromDisk } from '../data/mnist-node';
import { jsBackend, setDefaultBackend } from '../kernels/backend';
import { autoBackend, bestBackend, initWasm } from '../kernels/wasm';
import { enableRelaxedSimd } from '../kernels/wasm/relaxed-node';
import { selectNodeWebGpu, selectedWebGpu, webgpuSettings } from '../kernels/webgpu/cli';
import { runE7Gpu } from '../experiments/e7';

const EXPERIMENTS = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7'];

export const USAGE = `usage:
  pcnet reproduce <E1|E2|E3|E4|E5|E6|E7> [--seed N] [--quick] [--json] [--workers N (E4 to E7)]
              [--epochs N (E5 to E7: fewer or more passes than the protocol's)]
              [--images FILE.png (E5, E6: class means, then the first decay and
                nondecay networks' generated digits, a row each)]
              [--shard I/N --out FILE (part I of N, 1-based, of its networks, written for
                pcnet merge; --out alone: the whole run as one part)]
  pcnet study <${STUDY_NAMES.join('|')}>
              [--seed N] [--quick] [--json] [--workers N]
              [--images FILE.png (class means, then each network's generated digits)]
              [--shard I/N --out FILE (part I of N of its networks, for pcnet merge)]
              (the paper's open questions: see README "Open questions")
  pcnet merge FILE… [--json] [--images FILE.png (E5, E6, studies)]   (the parts as one report)
  pcnet train (--preset NAME | --layers 10-5-3 [--activation A] [--data synthetic|mnist])
              [--epochs E] [--hold S] [--batch B] [--samples N] [--tau V] [--gamma V] [--dt V]
              [--lambda-m V] [--lambda-w V] [--lambda-x V] [--seed N] [--nu 1,1,10] [--tied]
              [--input-clamp hold|pull (default pull; hold with --method accelerated)]
              [--method continuous|accelerated [--iterations N] [--rate V]
                [--optimizer adam|sgd] [--learning-rate V] [--lr-decay V]] --out FILE [--json]
  pcnet train --data FILE.csv|FILE.json [--label NAME (CSV; default the last column)]
              [--test-fraction F (0 to below 1, default 0.2)] [--layers L (default
              inputs-2×inputs-classes, hidden at most 256)] [--activation A (default tanh)]
              (every other flag as above; class names and scaling go in the weights file)
  pcnet train --data DIR|FILE.zip [--grid WxH (default 28x28)] [--invert (dark on light)]
              (images: one folder of PNGs per class; every flag of --data FILE.csv above)
  pcnet classify --weights FILE --input FILE [--json]
  pcnet generate --weights FILE --class K|NAME [--lambda-x V] [--tau V] [--dt V] [--seconds T]
              [--init-std S] [--seed N] [--json]
  pcnet evaluate --weights FILE [--seconds T] [--dt V] [--images FILE.png] [--json]
              (MNIST networks)
  pcnet evaluate --weights FILE --data FILE.csv|FILE.json [--label NAME]
              [--split test|train|all (default test on the file trained on, else all)]
              [--seconds T] [--dt V] [--json] (networks trained on a file)
  pcnet evaluate --weights FILE --data DIR|FILE.zip [--split …] [--json]
              (networks trained on images: read with the grid and inversion they were)
  pcnet help
  any command: --backend js|wasm|auto (default auto: WebAssembly SIMD for all but tiny networks;
              relaxed SIMD, turned on in Node 20 by the CLI)
              --backend webgpu (the GPU through the webgpu package: pcnet train, reproduce
              E7; wasm for the rest; SwiftShader: VK_ICD_FILENAMES, see README)
              --memory-budget MIB (a network that needs more is refused before it is built,
              exit status 2; default 1024)

network flags (the parameter table; symbol; range; unit; default; live or structural):
${specUsage()}
bounds of the other options (checked before any work starts):
${optionUsage()}
Every output file (--out, --images) is checked for a writable folder before work starts.

presets: ${Object.keys(PRESETS).join(', ')} (mnist-classifier: --method accelerated).
Weights files are safetensors (see README).`;

async function loadMnist(): Promise<MnistData> {
  const [train, test] = await Promise.all([loadMnistFromDisk('train'), loadMnistFromDisk('t10k')]);
  return { train, test };
}

async function reproduce(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      workers: { type: 'string' },
      epochs: { type: 'string' },
      images: { type: 'string' },
      shard: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const id = (positionals[0] ?? '').toUpperCase();
  if (positionals.length !== 1 || !EXPERIMENTS.includes(id)) {
    throw new UsageError(
      `reproduce needs one of ${EXPERIMENTS.join(', ')}, got "${positionals.join(' ')}"`,
    );
  }
  const { seed } = checkSpec({ layers: [1, 1], ...specFlags(values, ['seed']) });
  const epochs = option(values, OPTIONS.reproduceEpochs);
  if (epochs !== undefined && !['E5', 'E6', 'E7'].includes(id)) {
    throw new UsageError(`--epochs is for E5 to E7, not ${id}`);
  }
  if (selectedWebGpu() && id !== 'E7') {
    throw new UsageError(`--backend webgpu runs E7 (and pcnet train); ${id} has no GPU path yet`);
  }
  const workers = option(values, OPTIONS.workers);
  if (values.images !== undefined) {
    if (id !== 'E5' && id !== 'E6') throw new UsageError(`--images is for E5 and E6, not ${id}`);
    await assertWritable(values.images, '--images');
  }
  const options: ExperimentOptions = {
    seed,
    quick: values.quick,
    epochs,
    onProgress: progressPrinter(id),
  };
  if (values.shard !== undefined || values.out !== undefined) {
    if (values.out === undefined) throw new UsageError('--shard needs --out FILE');
    if (values.json) throw new UsageError('--json is for a whole report: pcnet merge prints it');
    if (values.images !== undefined) throw new UsageError('--images with --out: give it to merge');
    const run = {
      shard: values.shard,
      out: values.out,
      workers,
      backend: backendChoice,
      loadMnist,
    };
    await reproduceShard(id, options, run);
    progressPrinter.done();
    return;
  }
  let report: ExperimentReport;
  if (id === 'E1') report = runE1(options);
  else if (id === 'E2') report = runE2(options);
  else if (id === 'E3') report = runE3(options);
  else if (id === 'E4') report = await runE4Pooled(options, workers);
  else {
    const mnist = await loadMnist();
    const gpu = selectedWebGpu();
    if (id === 'E7' && gpu) {
      report = await runE7Gpu(mnist, options, gpu.kernels);
      report = { ...report, settings: { ...report.settings, ...webgpuSettings(gpu.gpu.info) } };
    } else if (id === 'E7') {
      report =
        workers === 0
          ? runE7(mnist, options)
          : await runPooled(planE7(e7Settings(options)), options, workers, (jobs, r, t) =>
              reduceE7(jobs, r as E7JobResult[], t),
            );
    } else {
      const settings = id === 'E5' ? e5Settings(options) : e6Settings(options);
      report =
        workers === 0
          ? id === 'E5'
            ? runE5(mnist, options)
            : runE6(mnist, options)
          : await runPooled(
              planGenerative(id as 'E5' | 'E6', settings),
              options,
              workers,
              (jobs, r, t) => reduceGenerative(jobs, r as GenerativeResult[], t),
            );
      if (values.images !== undefined) {
        const generated = report.extra?.generatedImagesFirstNetwork as Record<string, number[][]>;
        const means = classImages(subsetClassMeans(mnist, settings.digits));
        await writeDigitSheet(values.images, [means, generated.decay, generated.noDecay]);
      }
    }
  }
  progressPrinter.done();
  console.log(values.json ? reportJson(report) : formatReport(report));
}

/**
 * E4's 20 networks as independent jobs on `workers` worker threads (default: the cores less
 * one, at least 1; 0 runs them on this thread). Results come back in job order, so the numbers
 * do not depend on the number of workers.
 */
async function runE4Pooled(
  options: ExperimentOptions,
  workers: number | undefined,
): Promise<ExperimentReport> {
  if (workers === 0) return runE4(options);
  const start = performance.now();
  const pool = createNodePool({ size: workers, backend: backendChoice });
  try {
    const jobs = planE4(options);
    const samples = await pool.run<Float32Array>('E4', jobs, {
      onProgress: (f) => options.onProgress?.(f, `${jobs.length} networks on ${pool.size} workers`),
    });
    const report = reduceE4(options, jobs, samples, (performance.now() - start) / 1000);
    return { ...report, settings: { ...report.settings, workers: pool.size } };
  } finally {
    pool.terminate();
  }
}

/** Independent network jobs of E5 or E6 on worker threads, results in job order. */
async function runPooled<J extends { name: string }>(
  jobs: J[],
  options: ExperimentOptions,
  workers: number | undefined,
  reduce: (jobs: J[], results: unknown[], seconds: number) => ExperimentReport,
): Promise<ExperimentReport> {
  const start = performance.now();
  const pool = createNodePool({ size: workers, backend: backendChoice });
  try {
    const results = await pool.run(jobs[0].name, jobs, {
      onProgress: (f) => options.onProgress?.(f, `${jobs.length} networks on ${pool.size} workers`),
    });
    const report = reduce(jobs, results, (performance.now() - start) / 1000);
    return { ...report, settings: { ...report.settings, workers: pool.size } };
  } finally {
    pool.terminate();
  }
}

/** A weights file's network, with its data set's class names and scaling where it has them. */
async function loadNetwork(path: string | undefined): Promise<Network & { data?: DataMeta }> {
  if (!path) throw new UsageError('--weights FILE is required');
  const bytes = await readFile(path).catch((e: Error) => {
    throw new Error(`cannot read weights file ${path}: ${e.message}`);
  });
  const { spec, M, W, metadata } = decodeNetwork(bytes);
  const net = new Network(spec);
  net.setWeights(M, W);
  return Object.assign(net, { data: readDataMeta(metadata, spec.layers) });
}

/** Numbers from JSON (a vector or a list of vectors) or from text (one vector per line). */
export function parseVectors(text: string, width: number): number[][] {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    rows = text
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '')
      .map((l) =>
        l
          .trim()
          .split(/[\s,]+/)
          .map(Number),
      );
  }
  const list = Array.isArray(rows) && rows.every((r) => typeof r === 'number') ? [rows] : rows;
  if (!Array.isArray(list) || list.length === 0) throw new Error('input: no vectors found');
  return list.map((row, i) => {
    if (!Array.isArray(row) || row.length !== width || !row.every((v) => Number.isFinite(v))) {
      throw new Error(`input: vector ${i + 1} must hold ${width} finite numbers`);
    }
    return row as number[];
  });
}

async function classify(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      weights: { type: 'string' },
      input: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.input) throw new UsageError('--input FILE is required');
  const net = await loadNetwork(values.weights);
  const text = await readFile(values.input, 'utf8');
  const inputs = parseVectors(text, net.sizes[0]);
  const c = net.withBatch(inputs.length);
  c.setMode('classify');
  c.setInput(net.data ? applyScaling(inputs.flat(), net.data.scaling) : inputs.flat());
  c.feedForward();
  const n = net.sizes[net.depth - 1];
  const out = c.x(net.depth - 1);
  const results = inputs.map((_, b) => {
    const output = Array.from(out.subarray(b * n, (b + 1) * n));
    const k = argmax(output);
    return { class: k, ...(net.data && { className: net.data.classNames[k] }), output };
  });
  if (values.json) console.log(JSON.stringify(results));
  else
    for (const r of results)
      console.log(`${r.class}\t${r.output.map((v) => v.toFixed(4)).join(' ')}`);
}

/** The live spec fields `pcnet generate` takes as flags. */
const GENERATE_FLAGS = ['lambdaX', 'tau', 'dt'] as const;

async function generate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      weights: { type: 'string' },
      class: { type: 'string' },
      ...specOptions(GENERATE_FLAGS),
      seconds: { type: 'string' },
      'init-std': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.class === undefined) throw new UsageError('--class K is required');
  const seconds = option(values, OPTIONS.seconds, 10) as number;
  const initStd = option(values, OPTIONS.initStd, 0) as number;
  // The seed of the initial state: checked as the spec's seed is.
  const { seed } = checkSpec({ layers: [1, 1], ...specFlags(values, ['seed']) });
  const net = await loadNetwork(values.weights);
  const k = classFlag(values.class, net.data, net.sizes[net.depth - 1]);
  const live = specFlags(values, GENERATE_FLAGS);
  checkSpec({ ...net.spec, ...live });
  net.setParams(live);
  net.setMode('generate');
  net.setTargetClass(k);
  net.resetState({ std: initStd, random: new Random(seed) });
  const report = net.runFor(seconds);
  const x = Array.from(net.x(0));
  if (values.json) {
    console.log(
      JSON.stringify({
        class: k,
        ...(net.data && { className: net.data.classNames[k], features: featuresOf(net.data, x) }),
        seconds,
        ticks: report.ticks,
        equilibrium: report.equilibrium,
        input: x,
      }),
    );
  } else if (net.data) {
    const features = Object.entries(featuresOf(net.data, x));
    console.log(features.map(([name, v]) => `${name} ${v.toFixed(4)}`).join('\n'));
  } else if (x.length === 784) {
    console.log(asciiImage(x, 28, 28));
  } else {
    console.log(x.map((v) => v.toFixed(4)).join(' '));
  }
}

/** A 28 × 28 image as text, darkest to brightest. */
function asciiImage(v: number[], rows: number, cols: number): string {
  const ramp = ' .:-=+*#%@';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const t = hi > lo ? (v[r * cols + c] - lo) / (hi - lo) : 0;
      line += ramp[Math.min(ramp.length - 1, Math.floor(t * ramp.length))].repeat(2);
    }
    lines.push(line);
  }
  return lines.join('\n');
}

let backendChoice: BackendChoice = 'auto';

/** `--memory-budget MIB` (any command): every network this process builds is checked first. */
function chooseMemoryBudget(argv: string[]): string[] {
  const i = argv.indexOf('--memory-budget');
  if (i < 0) {
    setDefaultMemoryBudget(DEFAULT_MEMORY_BUDGET_MIB, 'the default of --memory-budget');
    return argv;
  }
  const raw = argv[i + 1] ?? '';
  const mib = Number(raw);
  if (raw.trim() === '' || !isMemoryBudget(mib)) {
    throw new UsageError(`--memory-budget must be a number of MiB above 0, got "${raw}"`);
  }
  setDefaultMemoryBudget(mib, '--memory-budget');
  return [...argv.slice(0, i), ...argv.slice(i + 2)];
}

/** `--backend js|wasm|auto` (any command): which kernels run; default `auto`. */
async function chooseBackend(argv: string[]): Promise<string[]> {
  const i = argv.indexOf('--backend');
  const choice = i >= 0 ? argv[i + 1] : 'auto';
  if (choice === 'js' || choice === 'wasm' || choice === 'auto') backendChoice = choice;
  const rest = i >= 0 ? [...argv.slice(0, i), ...argv.slice(i + 2)] : argv;
  if (choice === 'webgpu') {
    // The GPU through Dawn (src/kernels/webgpu/cli.ts) for what has a GPU path; wasm elsewhere.
    enableRelaxedSimd();
    await initWasm();
    setDefaultBackend(bestBackend());
    await selectNodeWebGpu();
    return rest;
  }
  if (choice === 'js') {
    setDefaultBackend(jsBackend);
    return rest;
  }
  if (choice !== 'wasm' && choice !== 'auto') {
    throw new UsageError(`--backend must be js, wasm, auto or webgpu, got "${choice ?? ''}"`);
  }
  // Relaxed SIMD (fused multiply-add) where this Node has it behind a flag; the pool's worker
  // threads share the flag.
  enableRelaxedSimd();
  await initWasm();
  setDefaultBackend(choice === 'wasm' ? bestBackend() : autoBackend());
  return rest;
}

/**
 * `--epochs -3` as `--epochs=-3`: parseArgs reads a value that starts with a dash as a flag
 * (an "ambiguous" error over three lines); joined, the flag's own check names it and the value.
 */
function joinNegatives(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (/^--[a-z][a-z-]*$/.test(a) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const [command, ...rest] = joinNegatives(await chooseBackend(chooseMemoryBudget(argv)));
    if (command === 'reproduce') await reproduce(rest);
    else if (command === 'train') await trainCommand(rest, { writeFile, encodeNetwork, loadMnist });
    else if (command === 'classify') await classify(rest);
    else if (command === 'evaluate') await evaluateCommand(rest);
    else if (command === 'generate') await generate(rest);
    else if (command === 'merge') await mergeCommand(rest);
    else if (command === 'study') await studyCommand(rest, { backend: backendChoice, loadMnist });
    else if (command === 'help' || command === '--help' || command === '-h') console.log(USAGE);
    else throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
    return 0;
  } catch (e) {
    progressPrinter.done();
    const err = e as Error & { code?: string };
    const usage = e instanceof UsageError || e instanceof MemoryBudgetError;
    if (usage || err.code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`pcnet: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    console.error(`pcnet: ${err.message}`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
