/**
 * Every experiment as a list of independent units (its networks) and a reduction of their
 * results into its report: what `pcnet reproduce --shard I/N` splits into equal parts and
 * `pcnet merge` puts back together. A study plugs in the same way: its grid points as units,
 * its summary as `reduce`.
 */
import { E1_UNITS, e1Settings, reduceE1, runE1Unit, type E1Row } from './e1';
import { E2_UNITS, e2Settings, reduceE2, runE2Unit, type E2UnitResult } from './e2';
import { E3_UNITS, e3Settings, reduceE3, runE3Unit, type E3UnitResult } from './e3';
import { e4Settings, planE4, reduceE4, runE4Job } from './e4';
import {
  e5Settings,
  type GenerativeResult,
  planGenerative,
  reduceGenerative,
  runGenerativeJob,
} from './e5';
import { e6Settings } from './e6';
import { e7Settings, type E7JobResult, planE7, reduceE7, runE7Job } from './e7';
import type { MnistData } from './mnist';
import type { ExperimentOptions, ExperimentReport } from './types';

/** An experiment's independent units and how their results make its report. */
export interface ExperimentUnits<U = unknown, R = unknown> {
  /** E1 … E7 (a study: its name). */
  experiment: string;
  /** What the results depend on: the parts of a sharded run must all have the same. */
  settings: Record<string, unknown>;
  /** The units, in the order {@link reduce} takes their results. */
  units: readonly U[];
  /** A unit's short name ("decay network 3"), for progress and shard files. */
  name(unit: U): string;
  /**
   * The pool's job kind that runs a unit in a worker (`src/pool/jobs.ts`; the unit is the
   * job), or undefined where units run on this thread only.
   */
  jobKind?: string;
  /** Whether a unit needs MNIST (then {@link run} takes it). */
  mnist: boolean;
  /** Runs one unit on this thread; the result depends on the unit only. */
  run(unit: U, mnist: MnistData | undefined, onProgress?: (fraction: number) => void): R;
  /** The report from every unit's result, in {@link units}' order. */
  reduce(results: readonly R[], seconds: number): ExperimentReport;
}

/** One experiment's typed units as the untyped list the CLI handles. */
const erase = <U, R>(units: ExperimentUnits<U, R>) => units as unknown as ExperimentUnits;

/** The ids {@link experimentUnits} knows. */
export const EXPERIMENT_IDS = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7'] as const;

/** `mnist`, or an error that says `who` needs it (a unit's `run` where `mnist: true`). */
export const needMnist = (mnist: MnistData | undefined, who = 'this experiment'): MnistData => {
  if (!mnist) throw new Error(`${who} needs MNIST`);
  return mnist;
};

/** Experiment `id`'s units (`id` one of {@link EXPERIMENT_IDS}). */
export function experimentUnits(
  id: string,
  options: Pick<ExperimentOptions, 'seed' | 'quick' | 'epochs'>,
): ExperimentUnits {
  switch (id) {
    case 'E1': {
      const settings = e1Settings(options);
      return erase<(typeof E1_UNITS)[number], E1Row>({
        experiment: id,
        settings,
        units: E1_UNITS,
        name: (u) => (u.decay ? 'decay network' : 'nondecay network'),
        mnist: false,
        run: (u, _m, p) => runE1Unit(settings, u, p),
        reduce: (r: readonly E1Row[], s) => reduceE1(settings, r, s),
      });
    }
    case 'E2': {
      const settings = e2Settings(options);
      return erase<(typeof E2_UNITS)[number], E2UnitResult>({
        experiment: id,
        settings,
        units: E2_UNITS,
        name: (u) =>
          `${u.decay ? 'decay' : 'nondecay'} ${u.activation === 'identity' ? 'linear' : 'tanh'} network`,
        mnist: false,
        run: (u, _m, p) => runE2Unit(settings, u, p),
        reduce: (r: readonly E2UnitResult[], s) => reduceE2(settings, r, s),
      });
    }
    case 'E3': {
      const settings = e3Settings(options);
      return erase<(typeof E3_UNITS)[number], E3UnitResult>({
        experiment: id,
        settings,
        units: E3_UNITS,
        name: (u) => `${u} network`,
        mnist: false,
        run: (u, _m, p) => runE3Unit(settings, u, p),
        reduce: (r: readonly E3UnitResult[], s) => reduceE3(settings, r, s),
      });
    }
    case 'E4': {
      const jobs = planE4(options);
      return erase<(typeof jobs)[number], Float32Array>({
        experiment: id,
        settings: e4Settings(options.seed, options.quick),
        units: jobs,
        name: (j) => `${j.decay ? 'decay' : 'nondecay'} network ${j.k + 1}`,
        jobKind: 'E4',
        mnist: false,
        run: (j, _m, p) => runE4Job(j, p),
        reduce: (r: readonly Float32Array[], s) => reduceE4(options, jobs, r, s),
      });
    }
    case 'E5':
    case 'E6': {
      const settings = id === 'E5' ? e5Settings(options) : e6Settings(options);
      const jobs = planGenerative(id, settings);
      return erase<(typeof jobs)[number], GenerativeResult>({
        experiment: id,
        settings: { ...settings },
        units: jobs,
        name: (j) => `${j.decay ? 'decay' : 'nondecay'} network ${j.k + 1}`,
        jobKind: id,
        mnist: true,
        run: (j, m, p) => runGenerativeJob(needMnist(m), j, p),
        reduce: (r: readonly GenerativeResult[], s) => reduceGenerative(jobs, r, s),
      });
    }
    case 'E7': {
      const settings = e7Settings(options);
      const jobs = planE7(settings);
      return erase<(typeof jobs)[number], E7JobResult>({
        experiment: id,
        settings: { ...settings },
        units: jobs,
        name: (j) => (j.decay ? 'decay network' : 'nondecay network'),
        jobKind: 'E7',
        mnist: true,
        run: (j, m, p) => runE7Job(needMnist(m), j, p),
        reduce: (r: readonly E7JobResult[], s) => reduceE7(jobs, r, s),
      });
    }
    default:
      throw new Error(`unknown experiment "${id}"; known: ${EXPERIMENT_IDS.join(', ')}`);
  }
}

/**
 * The units of part `index` (1-based) of `count` equal parts of `total` units: a contiguous
 * block, [⌊(index − 1) total / count⌋, ⌊index total / count⌋), so the sizes differ by at most
 * one and the parts in order are the units in order.
 */
export function shardRange(
  index: number,
  count: number,
  total: number,
): { start: number; end: number } {
  return {
    start: Math.floor(((index - 1) * total) / count),
    end: Math.floor((index * total) / count),
  };
}
