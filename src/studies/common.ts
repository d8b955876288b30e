/**
 * What the `pareto` and `taper` studies share: the network and protocol they train (E5's, see
 * src/experiments/e5.ts), the two measures of each network (E7's test accuracy, E5's cosine of
 * generated digits to the class means) and the Pareto front of the points.
 */
import { classImage } from '../data/mnist';
import { minAvgMax } from '../metrics';
import type { GenerativeJob, GenerativeResult, GenerativeSettings } from '../experiments/e5';
import { e5Settings } from '../experiments/e5';
import type { LambdaSchedule } from './schedule';

/** Options every study takes (`pcnet study NAME [--seed N] [--quick]`). */
export interface StudyOptions {
  seed: number;
  quick: boolean;
}

/** The network and protocol of a pareto or taper network, and its test set. */
export interface TradeOffSettings extends GenerativeSettings {
  /** Test digits the accuracy is measured on (the first of MNIST's 10,000). */
  testDigits: number;
}

/**
 * The protocol of every network of the two studies. Full: E5's (784-600-10, tanh, the first
 * 1000 training digits, 8 epochs of 1 s holds at dt = 0.01, batch 20, τ = 0.2, γ = 0.8;
 * generation 60 s at dt = 0.002 from the zero state), tested on all 10,000 test digits. Quick:
 * 784-100-10, 200 digits, 1 epoch, generation 10 s at dt = 0.01, 1000 test digits (a few
 * seconds a network). `decay` and `networks` are E5's and unused (each study unit is one
 * network with its own λ).
 */
export function tradeOffSettings(options: StudyOptions): TradeOffSettings {
  const full = e5Settings({ seed: options.seed, quick: false });
  if (!options.quick) return { ...full, networks: 1, decay: 0, testDigits: 10000 };
  return {
    ...full,
    layers: [784, 100, 10],
    digits: 200,
    networks: 1,
    epochs: 1,
    decay: 0,
    generateSeconds: 10,
    generateDt: 0.01,
    testDigits: 1000,
  };
}

/** One network of a study: E5's job (pool kind 'E5') with a schedule of λ and a test set. */
export function tradeOffJob(settings: TradeOffSettings, schedule: LambdaSchedule): GenerativeJob {
  const { testDigits, ...s } = settings;
  return {
    name: 'E5',
    k: 0,
    decay: schedule.lambda0 > 0,
    settings: s,
    variant: { schedule, testDigits },
  };
}

/** A network's two measures. */
export interface TradeOffPoint {
  /** E7's measure: classify-mode test accuracy. */
  accuracy: number;
  /** E5's measure: the average over the 10 classes of the cosine of the generated digit to the class mean. */
  cosine: number;
  /** The smallest and largest of the 10 classes' cosines. */
  cosineMin: number;
  cosineMax: number;
}

/** A unit's result as its point. */
export function tradeOffPoint(result: GenerativeResult): TradeOffPoint {
  if (result.accuracy === undefined) throw new Error('a study network gave no accuracy');
  const m = minAvgMax(result.cosines);
  return { accuracy: result.accuracy, cosine: m.avg, cosineMin: m.min, cosineMax: m.max };
}

/**
 * The points no other point dominates, both measures larger being better: q dominates p when
 * q.accuracy ≥ p.accuracy and q.cosine ≥ p.cosine, one of them strictly. In order of accuracy,
 * highest first (so cosine rises along the front). A NaN measure (a diverged network) is never
 * on the front.
 */
export function paretoFront<P extends { accuracy: number; cosine: number }>(
  points: readonly P[],
): P[] {
  const finite = points.filter((p) => Number.isFinite(p.accuracy) && Number.isFinite(p.cosine));
  const dominated = (p: P) =>
    finite.some(
      (q) =>
        q.accuracy >= p.accuracy &&
        q.cosine >= p.cosine &&
        (q.accuracy > p.accuracy || q.cosine > p.cosine),
    );
  return finite.filter((p) => !dominated(p)).sort((a, b) => b.accuracy - a.accuracy);
}

/** The settings as a report prints them. */
export function printedSettings(s: TradeOffSettings): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...s };
  delete shown.decay;
  delete shown.networks;
  return { ...shown, layers: s.layers.join('-'), activation: 'tanh', generateInitState: 'zero' };
}

/**
 * A network's 10 generated digits, rounded to 3 decimals (`extra.generatedImages` of a report:
 * `--images` draws them, `--json` leaves them out).
 */
export function generatedImages(result: GenerativeResult): number[][] {
  return Array.from({ length: 10 }, (_, c) =>
    Array.from(classImage(result.images, c), (v) => Math.round(v * 1000) / 1000),
  );
}
