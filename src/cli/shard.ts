/**
 * `pcnet reproduce EN --shard I/N --out FILE`: part I (1-based) of N equal, deterministic parts
 * of an experiment's independent units (`src/experiments/units.ts`), written as a shard file
 * that `pcnet merge` (merge.ts) turns back into exactly the unsharded report. A job array on any
 * scheduler runs the parts; nothing of ours coordinates them.
 */
import { writeFile } from 'node:fs/promises';
import { version } from '../../package.json';
import {
  EXPERIMENT_IDS,
  type ExperimentUnits,
  experimentUnits,
  shardRange,
} from '../experiments/units';
import { STUDY_NAMES, studyUnits } from '../studies';
import type { MnistData } from '../experiments/mnist';
import { type ExperimentOptions, stageProgress } from '../experiments/types';
import { createNodePool } from '../pool/node';
import type { BackendChoice } from '../pool/protocol';
import { assertWritable, UsageError } from './args';

/** The `format` of a shard file, and the version of its layout that this pcnet writes and reads. */
export const SHARD_FORMAT = 'pcnet-shard';
export const SHARD_VERSION = 1;

/**
 * Runs `units` (some or all of `plan`'s): on `run.workers` worker threads where the plan has a
 * pool job kind and `run.workers` is not 0 (undefined: the pool's default), else one after the
 * other on this thread. Results come back in the units' order whatever the number of workers.
 */
export async function runUnits(
  plan: ExperimentUnits,
  units: readonly unknown[],
  options: ExperimentOptions,
  run: Pick<ShardRun, 'workers' | 'backend' | 'loadMnist'>,
): Promise<{ results: unknown[]; workers: number }> {
  if (plan.jobKind !== undefined && run.workers !== 0) {
    const pool = createNodePool({ size: run.workers, backend: run.backend });
    try {
      const label = `${units.length} of ${plan.units.length} networks on ${pool.size} workers`;
      const results = await pool.run(plan.jobKind, units, {
        onProgress: (f) => options.onProgress?.(f, label),
      });
      return { results, workers: pool.size };
    } finally {
      pool.terminate();
    }
  }
  const mnist = plan.mnist ? await run.loadMnist() : undefined;
  const results = units.map((unit, i) =>
    plan.run(unit, mnist, stageProgress(options, i, units.length, plan.name(unit))),
  );
  return { results, workers: 0 };
}

/** What a shard file holds: everything `pcnet merge` needs, not only a summary. */
export interface ShardFile {
  format: typeof SHARD_FORMAT;
  /** The layout's version ({@link SHARD_VERSION}). */
  version: number;
  /** The pcnet (package) version that wrote it. */
  pcnet: string;
  experiment: string;
  /** The options the units were planned from (merge plans them again). */
  options: { seed: number; quick: boolean; epochs: number | null };
  /** The experiment's settings (every part of one run has the same). */
  settings: Record<string, unknown>;
  /** `--backend` (the kernels change the last digits, so parts must agree). */
  backend: BackendChoice;
  /** This part: `index` of `count`, 1-based. */
  shard: { index: number; count: number };
  /** The experiment's number of units, and this part's: units `first` to `last`, 1-based. */
  units: { total: number; first: number; last: number };
  /** The raw result of each of this part's units, in order (see {@link encodeShard}). */
  results: { unit: number; name: string; result: unknown }[];
  /** Worker threads the units ran on (0: this thread). */
  workers: number;
  /** Wall time of this part's work. */
  seconds: number;
}

/**
 * Parses `--shard I/N` against an experiment's `total` units: whole numbers, 1 ≤ I ≤ N ≤ total
 * (an experiment of one unit takes only 1/1).
 */
export function parseShard(
  raw: string,
  units: Pick<ExperimentUnits, 'experiment' | 'units'>,
): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(
      `--shard must be I/N with whole numbers 1 ≤ I ≤ N (1-based: 1/8 to 8/8), got "${raw}"`,
    );
  }
  const total = units.units.length;
  if (count > total) {
    throw new UsageError(
      total === 1
        ? `--shard must be 1/1 (${units.experiment} has one independent unit), got ${raw}`
        : `--shard must have N at most ${total} (${units.experiment} has ${total} independent ` +
            `networks), got ${raw}`,
    );
  }
  return { index, count };
}

/** A float32 array as the base64 of its little-endian bytes (exact, and a third of the text). */
function base64Float32(v: Float32Array): string {
  const bytes = new Uint8Array(v.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i], true);
  return Buffer.from(bytes).toString('base64');
}

function float32FromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * JSON that gives back every result bit for bit: a `Float32Array` as `{"$float32": base64}`,
 * and the numbers JSON cannot hold (NaN, ±Infinity, −0) as `{"$number": "NaN"}`; the other
 * numbers are JSON's own, which round-trip exactly.
 */
export function encodeShard(file: ShardFile): string {
  return JSON.stringify(file, (_key, value: unknown) => {
    if (value instanceof Float32Array) return { $float32: base64Float32(value) };
    if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) {
      return { $number: Object.is(value, -0) ? '-0' : String(value) };
    }
    return value;
  });
}

/** The inverse of {@link encodeShard}. Throws a SyntaxError on text that is not JSON. */
export function decodeShard(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const v = value as Record<string, unknown>;
      if (keys.length === 1 && typeof v.$float32 === 'string') return float32FromBase64(v.$float32);
      if (keys.length === 1 && typeof v.$number === 'string') return Number(v.$number);
    }
    return value;
  });
}

/** How {@link reproduceShard} runs: the CLI's flags and its MNIST. */
export interface ShardRun {
  /** `--shard I/N`, or undefined for 1/1. */
  shard: string | undefined;
  /** `--out FILE`. */
  out: string;
  /** `--workers N` (0: this thread; undefined: the pool's default). */
  workers: number | undefined;
  backend: BackendChoice;
  loadMnist: () => Promise<MnistData>;
}

/** Whether `name` is an experiment (E1 … E7) or a study (`pcnet study NAME`) a shard can be of. */
export function isUnitsName(name: string): boolean {
  return (EXPERIMENT_IDS as readonly string[]).includes(name) || STUDY_NAMES.includes(name);
}

/**
 * The units of experiment or study `name` (a shard file's `experiment`): E1 … E7 from
 * `experimentUnits`, a study from src/studies (which takes only the seed and `quick`).
 */
export function unitsOf(
  name: string,
  options: Pick<ExperimentOptions, 'seed' | 'quick' | 'epochs'>,
): ExperimentUnits {
  if ((EXPERIMENT_IDS as readonly string[]).includes(name)) return experimentUnits(name, options);
  return studyUnits(name, { seed: options.seed, quick: options.quick });
}

/**
 * Runs part `--shard` of experiment or study `id` and writes its shard file to `--out` (both
 * checked before any work starts); prints one line saying what it wrote.
 */
export async function reproduceShard(
  id: string,
  options: ExperimentOptions,
  run: ShardRun,
): Promise<void> {
  const plan = unitsOf(id, options);
  const { index, count } =
    run.shard === undefined ? { index: 1, count: 1 } : parseShard(run.shard, plan);
  await assertWritable(run.out, '--out');
  const { start, end } = shardRange(index, count, plan.units.length);
  const units = plan.units.slice(start, end);
  const began = performance.now();
  const { results, workers } = await runUnits(plan, units, options, run);
  const seconds = (performance.now() - began) / 1000;
  const file: ShardFile = {
    format: SHARD_FORMAT,
    version: SHARD_VERSION,
    pcnet: version,
    experiment: plan.experiment,
    options: { seed: options.seed, quick: options.quick, epochs: options.epochs ?? null },
    settings: plan.settings,
    backend: run.backend,
    shard: { index, count },
    units: { total: plan.units.length, first: start + 1, last: end },
    results: units.map((unit, i) => ({
      unit: start + i + 1,
      name: plan.name(unit),
      result: results[i],
    })),
    workers,
    seconds,
  };
  await writeFile(run.out, encodeShard(file));
  const names = units.map((u) => plan.name(u)).join(', ');
  console.log(
    `${plan.experiment} shard ${index}/${count}: units ${start + 1} to ${end} of ` +
      `${plan.units.length} (${names}) in ${seconds.toFixed(1)} s, written to ${run.out}`,
  );
}
