/**
 * `pcnet study pareto`: the trade-off between discriminating and generating (the paper's
 * closing section). One network per λ, each trained by E5's protocol (src/studies/common.ts)
 * with weight decay λM = λW = λ (eqs. 3.12, 2.10) and generating with activity decay λx = λ
 * (eq. 3.11) — E5 and E6 set all three to 0.05 for their decay networks and to 0 for the others;
 * E7 sets λM = λW = 0.05 and has no λx (it does not generate). Each network is measured both
 * ways: E7's classify-mode test accuracy and E5's cosine of its generated digits to the class
 * means. `results.points = [{lambda, accuracy, cosine, …}]`, `results.front` the non-dominated
 * ones.
 */
import type { GenerativeJob, GenerativeResult } from '../experiments/e5';
import type { ExperimentReport } from '../experiments/types';
import { runGenerativeJob } from '../experiments/e5';
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
import { EXPONENTIAL_RATE } from './schedule';

/** The λ grid of the study (issue 16). */
export const PARETO_LAMBDAS = [0, 0.005, 0.01, 0.02, 0.05, 0.1] as const;

export interface ParetoPoint extends TradeOffPoint {
  lambda: number;
}

export interface ParetoResults {
  points: ParetoPoint[];
  front: ParetoPoint[];
}

/** The pareto study's units: one network per λ of {@link PARETO_LAMBDAS}. */
export function paretoUnits(
  options: StudyOptions,
): ExperimentUnits<GenerativeJob, GenerativeResult> {
  const settings = tradeOffSettings(options);
  const jobs = PARETO_LAMBDAS.map((lambda) =>
    tradeOffJob(settings, { name: 'constant', lambda0: lambda, rate: EXPONENTIAL_RATE }),
  );
  const shown = { ...printedSettings(settings), lambdas: [...PARETO_LAMBDAS] };
  return {
    experiment: 'pareto',
    settings: shown,
    units: jobs,
    name: (j) => `λ = ${j.variant!.schedule.lambda0}`,
    jobKind: 'E5',
    mnist: true,
    run: (j, m, p) => runGenerativeJob(needMnist(m, 'the pareto study'), j, p),
    reduce: (results, seconds): ExperimentReport<ParetoResults> => {
      const points = results.map((r, i) => ({
        lambda: jobs[i].variant!.schedule.lambda0,
        ...tradeOffPoint(r),
      }));
      return {
        experiment: 'pareto',
        settings: shown,
        results: { points, front: paretoFront(points) },
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
