/**
 * `pcnet study taper`: the paper's suggestion of tapering λ during training. For each λ0, three
 * networks trained by E5's protocol (src/studies/common.ts): weight decay λM = λW constant at
 * λ0, or tapered to 0 over training linearly or exponentially (src/studies/schedule.ts: per
 * batch), each generating with activity decay λx = λ0 (eq. 3.11; the taper is of the training's
 * decay only: generation needs λx to pull the null space to zero). The same two measures as
 * `pareto`, so the points sit on its front: `results.points = [{schedule, lambda, accuracy,
 * cosine, …}]` (`lambda` is λ0), `results.front` the non-dominated ones, and per λ0 whether a
 * taper dominates the constant λ0 (`results.tapering`).
 */
import type { GenerativeJob, GenerativeResult } from '../experiments/e5';
import { runGenerativeJob } from '../experiments/e5';
import type { ExperimentReport } from '../experiments/types';
import { type ExperimentUnits, needMnist } from '../experiments/units';
import {
  generatedImages,
  paretoFront,
  printedSettings,
  type StudyOptions,
  tradeOffJob,
  tradeOffPoint,
  type TradeOffPoint,
  tradeOffSettings,
} from './common';
import { EXPONENTIAL_RATE, SCHEDULES, type ScheduleName } from './schedule';

/** λ0 of the full study and of `--quick`. */
export const TAPER_LAMBDAS = { full: [0.02, 0.05, 0.1], quick: [0.05] } as const;

export interface TaperPoint extends TradeOffPoint {
  schedule: ScheduleName;
  /** λ0, the λ the schedule starts from (and λx of generation). */
  lambda: number;
}

/** Per λ0: each taper's gain over the constant λ0, and whether it dominates it. */
export interface TaperComparison {
  lambda: number;
  schedule: Exclude<ScheduleName, 'constant'>;
  accuracyGain: number;
  cosineGain: number;
  /** Better or equal in both measures, better in one. */
  dominatesConstant: boolean;
}

export interface TaperResults {
  points: TaperPoint[];
  front: TaperPoint[];
  tapering: TaperComparison[];
}

/** The taper study's units: for each λ0, constant then linear then exponential. */
export function taperUnits(
  options: StudyOptions,
): ExperimentUnits<GenerativeJob, GenerativeResult> {
  const settings = tradeOffSettings(options);
  const lambdas = options.quick ? TAPER_LAMBDAS.quick : TAPER_LAMBDAS.full;
  const jobs = lambdas.flatMap((lambda0) =>
    SCHEDULES.map((name) => tradeOffJob(settings, { name, lambda0, rate: EXPONENTIAL_RATE })),
  );
  const shown = {
    ...printedSettings(settings),
    lambdas: [...lambdas],
    schedules: [...SCHEDULES],
    exponentialRate: EXPONENTIAL_RATE,
    scheduleStep: 'batch',
  };
  return {
    experiment: 'taper',
    settings: shown,
    units: jobs,
    name: (j) => `${j.variant!.schedule.name} from λ = ${j.variant!.schedule.lambda0}`,
    jobKind: 'E5',
    mnist: true,
    run: (j, m, p) => runGenerativeJob(needMnist(m, 'the taper study'), j, p),
    reduce: (results, seconds): ExperimentReport<TaperResults> => {
      const points: TaperPoint[] = results.map((r, i) => ({
        schedule: jobs[i].variant!.schedule.name,
        lambda: jobs[i].variant!.schedule.lambda0,
        ...tradeOffPoint(r),
      }));
      const tapering: TaperComparison[] = [];
      for (const lambda of lambdas) {
        const at = points.filter((p) => p.lambda === lambda);
        const constant = at.find((p) => p.schedule === 'constant')!;
        for (const p of at) {
          if (p.schedule === 'constant') continue;
          const accuracyGain = p.accuracy - constant.accuracy;
          const cosineGain = p.cosine - constant.cosine;
          tapering.push({
            lambda,
            schedule: p.schedule,
            accuracyGain,
            cosineGain,
            dominatesConstant:
              accuracyGain >= 0 && cosineGain >= 0 && (accuracyGain > 0 || cosineGain > 0),
          });
        }
      }
      return {
        experiment: 'taper',
        settings: shown,
        results: { points, front: paretoFront(points), tapering },
        paper: null,
        seconds,
        extra: {
          cosines: results.map((r) => r.cosines),
          generatedImages: results.map((r) => generatedImages(r)),
        },
      };
    },
  };
}
