/**
 * `pcnet study NAME [--quick] [--json] [--workers N] [--images FILE.png] [--seed N]
 * [--shard I/N --out FILE]`: a study of the paper's open questions (src/studies), printed as
 * `{study, settings, results, seconds}` (`--json`) or as tables. A study is a list of
 * independent units like an experiment's, so `--shard I/N --out FILE` writes part I of N as a
 * shard file and `pcnet merge` puts the parts back together into exactly this report.
 */
import { parseArgs } from 'node:util';
import { classImages } from '../data/mnist';
import { loadMnistFromDisk } from '../data/mnist-node';
import { subsetClassMeans, type MnistData } from '../experiments/mnist';
import type { ExperimentOptions, ExperimentReport } from '../experiments/types';
import type { BackendChoice } from '../pool/protocol';
import { STUDY_NAMES, studyUnits } from '../studies';
import { assertWritable, checkSpec, option, OPTIONS, specFlags, UsageError } from './args';
import { progressPrinter } from './format';
import { writeDigitSheet } from './png';
import { reproduceShard, runUnits } from './shard';

/** Whether `report` is a study's (its `experiment` a study name). */
export const isStudyReport = (report: ExperimentReport): boolean =>
  STUDY_NAMES.includes(report.experiment);

/** A study's report as `--json` prints it: `{study, settings, results, seconds, extra}`, images left out. */
export function studyJson(report: ExperimentReport): string {
  const { experiment, settings, results, seconds, extra } = report;
  const slim = extra && { ...extra, generatedImages: undefined };
  return JSON.stringify({ study: experiment, settings, results, seconds, extra: slim });
}

const cell = (v: unknown): string =>
  typeof v === 'number'
    ? Number.isInteger(v) || Math.abs(v) >= 1e-3 || v === 0
      ? Number.isInteger(v)
        ? String(v)
        : v.toFixed(4)
      : v.toExponential(2)
    : typeof v === 'boolean' || typeof v === 'string'
      ? String(v)
      : JSON.stringify(v);

const isFlatRow = (v: unknown): v is Record<string, unknown> =>
  v !== null &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => x === null || typeof x !== 'object');

/** Rows of flat objects as an aligned table. */
function table(
  rows: readonly Record<string, unknown>[],
  marked?: (row: object) => boolean,
): string[] {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => keys.map((k) => cell(r[k])));
  const width = keys.map((k, j) => Math.max(k.length, ...cells.map((c) => c[j].length)));
  const line = (c: string[], mark: string) =>
    `${mark} ${c.map((x, j) => x.padStart(width[j])).join('  ')}`;
  return [line(keys, ' '), ...cells.map((c, i) => line(c, marked?.(rows[i]) ? '*' : ' '))];
}

/** A value as JSON, numbers to 4 significant digits, cut at 400 characters (`--json` has it all). */
function brief(value: unknown): string {
  const text = JSON.stringify(value, (_k, v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(4)) : v,
  );
  return text.length <= 400 ? text : `${text.slice(0, 400)}… (--json for all of it)`;
}

/**
 * A study's report as text: every list of flat rows in `results` as a table (the points, with
 * `*` on the Pareto front where there is one), the other results as `key: value`, then the
 * settings and the wall time.
 */
export function formatStudy(report: ExperimentReport): string {
  const results = (report.results ?? {}) as Record<string, unknown>;
  const front = Array.isArray(results.front) ? results.front.map((p) => JSON.stringify(p)) : [];
  const lines = [`study ${report.experiment}`];
  for (const [key, value] of Object.entries(results)) {
    if (key === 'front' && Array.isArray(results.points)) continue;
    if (Array.isArray(value) && value.length > 0 && value.every(isFlatRow)) {
      const onFront =
        key === 'points' ? (r: object) => front.includes(JSON.stringify(r)) : undefined;
      lines.push(
        '',
        `${key}${onFront ? ' (* on the Pareto front)' : ''}:`,
        ...table(value, onFront),
      );
    } else lines.push('', `${key}: ${brief(value)}`);
  }
  lines.push(
    '',
    `settings: ${JSON.stringify(report.settings)}`,
    `wall time: ${report.seconds.toFixed(1)} s`,
  );
  return lines.join('\n');
}

/**
 * `--images FILE.png`: the class means of the study's training digits, then a row of 10
 * generated digits per unit that generated any (`extra.generatedImages`), in the units' order.
 */
export async function writeStudyImages(
  path: string,
  report: ExperimentReport,
  mnist: Pick<MnistData, 'train'>,
): Promise<void> {
  const generated = report.extra?.generatedImages as number[][][] | undefined;
  if (!generated) throw new UsageError(`--images: study ${report.experiment} generates no digits`);
  const digits = report.settings.digits as number;
  const means = classImages(subsetClassMeans(mnist, digits));
  await writeDigitSheet(path, [means, ...generated]);
}

/** What the study command needs from main.ts. */
export interface StudyContext {
  backend: BackendChoice;
  loadMnist: () => Promise<MnistData>;
}

/** `pcnet study NAME …` (see the file's comment). */
export async function studyCommand(args: string[], context: StudyContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      workers: { type: 'string' },
      images: { type: 'string' },
      shard: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const name = positionals[0] ?? '';
  if (positionals.length !== 1 || !STUDY_NAMES.includes(name)) {
    throw new UsageError(
      `study needs one of ${STUDY_NAMES.join(', ')}, got "${positionals.join(' ')}"`,
    );
  }
  const { seed } = checkSpec({ layers: [1, 1], ...specFlags(values, ['seed']) });
  const workers = option(values, OPTIONS.workers);
  if (values.images !== undefined) await assertWritable(values.images, '--images');
  const options: ExperimentOptions = {
    seed,
    quick: values.quick,
    onProgress: progressPrinter(name),
  };
  if (values.shard !== undefined || values.out !== undefined) {
    if (values.out === undefined) throw new UsageError('--shard needs --out FILE');
    if (values.json) throw new UsageError('--json is for a whole report: pcnet merge prints it');
    if (values.images !== undefined) throw new UsageError('--images with --out: give it to merge');
    const run = { shard: values.shard, out: values.out, workers, ...context };
    await reproduceShard(name, options, run);
    progressPrinter.done();
    return;
  }
  const plan = studyUnits(name, { seed, quick: values.quick });
  const start = performance.now();
  const ran = await runUnits(plan, plan.units, options, { workers, ...context });
  let report = plan.reduce(ran.results, (performance.now() - start) / 1000);
  if (ran.workers > 0)
    report = { ...report, settings: { ...report.settings, workers: ran.workers } };
  progressPrinter.done();
  if (values.images !== undefined) {
    await writeStudyImages(values.images, report, { train: await loadMnistFromDisk('train') });
  }
  console.log(values.json ? studyJson(report) : formatStudy(report));
}
