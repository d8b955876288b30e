/**
 * `pcnet merge FILE…`: the shard files of one run (shard.ts) back into exactly the report that
 * the unsharded `pcnet reproduce` prints, every field equal but `seconds`, which is the sum of
 * the parts' (the work's wall time on one machine, part after part). A file that cannot be read
 * or is no shard file this pcnet reads is a failed run (exit status 1); parts that do not make
 * one whole (missing, twice, of another run) are a bad command line (exit status 2).
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { classImages } from '../data/mnist';
import { loadMnistFromDisk } from '../data/mnist-node';
import { shardRange } from '../experiments/units';
import { subsetClassMeans } from '../experiments/mnist';
import type { ExperimentReport } from '../experiments/types';
import { assertWritable, UsageError } from './args';
import { formatReport } from './format';
import { writeDigitSheet } from './png';
import { formatStudy, isStudyReport, studyJson, writeStudyImages } from './study';
import {
  decodeShard,
  isUnitsName,
  SHARD_FORMAT,
  SHARD_VERSION,
  type ShardFile,
  unitsOf,
} from './shard';

/** A report as `--json` prints it: the generated images (E5, E6, the studies) left out. */
export function reportJson(report: ExperimentReport): string {
  const { extra, ...rest } = report;
  const slim =
    extra && ('generatedImagesFirstNetwork' in extra || 'generatedImages' in extra)
      ? { ...extra, generatedImagesFirstNetwork: undefined, generatedImages: undefined }
      : extra;
  return JSON.stringify({ ...rest, extra: slim });
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

/** Reads one shard file, or throws naming the file and what is wrong with it (exit status 1). */
async function readShard(path: string): Promise<ShardFile> {
  const text = await readFile(path, 'utf8').catch((e: Error) => {
    throw new Error(`merge: cannot read ${path}: ${e.message}`);
  });
  let data: unknown;
  try {
    data = decodeShard(text);
  } catch (e) {
    throw new Error(`merge: ${path} is not a shard file (not JSON: ${(e as Error).message})`);
  }
  if (!isRecord(data) || data.format !== SHARD_FORMAT) {
    throw new Error(`merge: ${path} is not a shard file (no "format": "${SHARD_FORMAT}")`);
  }
  if (data.version !== SHARD_VERSION) {
    throw new Error(
      `merge: ${path} is a shard file of version ${String(data.version)}; this pcnet ` +
        `(${version}) reads version ${SHARD_VERSION}`,
    );
  }
  const f = data as Partial<ShardFile>;
  const ok =
    typeof f.experiment === 'string' &&
    isUnitsName(f.experiment) &&
    typeof f.pcnet === 'string' &&
    isRecord(f.options) &&
    isRecord(f.settings) &&
    typeof f.backend === 'string' &&
    isRecord(f.shard) &&
    isCount(f.shard.index) &&
    isCount(f.shard.count) &&
    f.shard.index <= f.shard.count &&
    Array.isArray(f.results) &&
    Number.isInteger(f.workers) &&
    typeof f.seconds === 'number';
  if (!ok) throw new Error(`merge: ${path} is not a whole shard file (a field is missing or bad)`);
  return f as ShardFile;
}

/** What must be equal in every part of one run, by name. */
function runKey(f: ShardFile): [string, string][] {
  return [
    ['experiment', f.experiment],
    ['pcnet version', f.pcnet],
    ['options', JSON.stringify(f.options)],
    ['settings', JSON.stringify(f.settings)],
    ['--backend', f.backend],
    ['shard count', String(f.shard.count)],
  ];
}

/**
 * The report of the run whose parts `files` hold (their paths in `paths`), as the unsharded
 * run would give it; `seconds` is the sum of the parts', `settings.workers` (where the parts ran
 * on worker threads) the largest part's.
 */
export function mergeShards(
  paths: readonly string[],
  files: readonly ShardFile[],
): ExperimentReport {
  const first = files[0];
  const key = runKey(first);
  files.forEach((f, i) => {
    for (const [[name, want], [, got]] of key.map((k, j) => [k, runKey(f)[j]])) {
      if (got !== want) {
        throw new UsageError(
          `merge: ${paths[i]} is not of ${paths[0]}'s run: ${name} ${got} against ${want}`,
        );
      }
    }
  });
  const count = first.shard.count;
  const byIndex = new Map<number, number>();
  files.forEach((f, i) => {
    const seen = byIndex.get(f.shard.index);
    if (seen !== undefined) {
      throw new UsageError(
        `merge: ${paths[i]} is shard ${f.shard.index}/${count} again (as ${paths[seen]})`,
      );
    }
    byIndex.set(f.shard.index, i);
  });
  for (let index = 1; index <= count; index++) {
    if (!byIndex.has(index)) {
      throw new UsageError(
        `merge: shard ${index}/${count} is missing (given: ${[...byIndex.keys()]
          .sort((a, b) => a - b)
          .map((k) => `${k}/${count} ${paths[byIndex.get(k)!]}`)
          .join(', ')})`,
      );
    }
  }
  const { seed, quick, epochs } = first.options;
  const plan = unitsOf(first.experiment, { seed, quick, epochs: epochs ?? undefined });
  if (JSON.stringify(plan.settings) !== JSON.stringify(first.settings)) {
    throw new Error(
      `merge: ${paths[0]}'s settings are not this pcnet's for ${first.experiment} with ` +
        `${JSON.stringify(first.options)} (written by pcnet ${first.pcnet}, this is ${version})`,
    );
  }
  const results: unknown[] = [];
  for (let index = 1; index <= count; index++) {
    const i = byIndex.get(index)!;
    const f = files[i];
    const { start, end } = shardRange(index, count, plan.units.length);
    const right =
      f.results.length === end - start &&
      f.results.every(
        (r, j) =>
          isRecord(r) &&
          r.unit === start + j + 1 &&
          r.name === plan.name(plan.units[start + j]) &&
          'result' in r,
      );
    if (!right) {
      throw new Error(
        `merge: ${paths[i]} does not hold the units of shard ${index}/${count} ` +
          `(units ${start + 1} to ${end} of ${plan.units.length})`,
      );
    }
    results.push(...f.results.map((r) => r.result));
  }
  const seconds = files.reduce((sum, f) => sum + f.seconds, 0);
  const report = plan.reduce(results, seconds);
  const workers = Math.max(...files.map((f) => f.workers));
  return workers > 0 ? { ...report, settings: { ...report.settings, workers } } : report;
}

/** `pcnet merge FILE… [--json] [--images FILE.png]` (a study's parts print as `pcnet study` does). */
export async function mergeCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      images: { type: 'string' },
    },
  });
  if (positionals.length === 0) {
    throw new UsageError('merge needs the shard files (pcnet reproduce … --shard I/N --out FILE)');
  }
  if (values.images !== undefined) await assertWritable(values.images, '--images');
  const files = await Promise.all(positionals.map(readShard));
  const report = mergeShards(positionals, files);
  if (isStudyReport(report)) {
    if (values.images !== undefined) {
      await writeStudyImages(values.images, report, { train: await loadMnistFromDisk('train') });
    }
    console.log(values.json ? studyJson(report) : formatStudy(report));
    return;
  }
  if (values.images !== undefined) {
    if (report.experiment !== 'E5' && report.experiment !== 'E6') {
      throw new UsageError(`--images is for E5 and E6, not ${report.experiment}`);
    }
    const generated = report.extra?.generatedImagesFirstNetwork as Record<string, number[][]>;
    const digits = report.settings.digits as number;
    const means = classImages(
      subsetClassMeans({ train: await loadMnistFromDisk('train') }, digits),
    );
    await writeDigitSheet(values.images, [means, generated.decay, generated.noDecay]);
  }
  console.log(values.json ? reportJson(report) : formatReport(report));
}
