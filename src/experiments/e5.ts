/**
 * E5 (Table 3): generation by 784-600-10 networks trained with and without decay,
 * and the generative protocol E6 shares (one job per network, then the table of cosines).
 */
import { classCosines, classImage } from '../data/mnist';
import { minAvgMax } from '../metrics';
import { Network } from '../model/network';
import type { NetworkSpecInput } from '../model/spec';
import { labelled, type MnistData, subsetClassMeans } from './mnist';
import { generateSamples, trainContinuous } from './protocol';
import { accuracyOn } from './e7';
import { batchFraction, lambdaAt, type LambdaSchedule } from '../studies/schedule';
import { type ExperimentOptions, type ExperimentReport, stageProgress } from './types';

export interface CosineRow {
  avg: number;
  max: number;
}
export interface CosineResults {
  decay: CosineRow;
  noDecay: CosineRow;
}

export interface GenerativeSettings {
  layers: number[];
  digits: number;
  networks: number;
  epochs: number;
  batch: number;
  holdSeconds: number;
  dt: number;
  tau: number;
  gamma: number;
  decay: number;
  generateSeconds: number;
  generateDt: number;
  seed: number;
}

/** One network of E5 or E6: pair k, with or without decay. */
export interface GenerativeJob {
  name: 'E5' | 'E6';
  k: number;
  decay: boolean;
  settings: GenerativeSettings;
  /** A study's network (src/studies): its λ, λ's schedule in training, and its test digits. */
  variant?: GenerativeVariant;
}

/**
 * How a study's network differs from E5's: λM = λW follow `schedule` over training (instead of
 * `decay`'s all-or-nothing), generation runs with λx = `schedule.lambda0`, and the network's
 * E7-style test accuracy ({@link accuracyOn}) is measured on the first `testDigits` test digits.
 */
export interface GenerativeVariant {
  schedule: LambdaSchedule;
  testDigits: number;
}

/** What one network gives: the cosine of its digit of each class, and the digits. */
export interface GenerativeResult {
  cosines: number[];
  images: Float32Array;
  /** A study's network ({@link GenerativeVariant}): its test accuracy. */
  accuracy?: number;
}

/**
 * Trains network k (decay: every λ = 0.05; no decay: every λ = 0) from seed + k and generates
 * one image per class from the zero state; cosine similarity to the class-mean digit of the
 * training subset. Runs anywhere the MNIST data is at hand.
 */
export function runGenerativeJob(
  mnist: MnistData,
  job: GenerativeJob,
  onProgress?: (fraction: number) => void,
): GenerativeResult {
  const s = job.settings;
  const data = labelled(mnist.train, s.digits);
  const means = subsetClassMeans(mnist, s.digits);
  const schedule = job.variant?.schedule;
  const lambda = schedule ? schedule.lambda0 : job.decay ? s.decay : 0;
  const spec: NetworkSpecInput = {
    layers: s.layers,
    activation: 'tanh',
    tau: s.tau,
    gamma: s.gamma,
    dt: s.dt,
    lambdaM: lambda,
    lambdaW: lambda,
    lambdaX: lambda,
    seed: s.seed + job.k,
    divergenceLimit: 1e30,
  };
  const net = new Network(spec, { batch: s.batch });
  trainContinuous(net, data, {
    epochs: s.epochs,
    holdSeconds: s.holdSeconds,
    shuffleSeed: s.seed + job.k,
    onProgress: onProgress && ((f) => void onProgress(0.9 * f)),
    beforeBatch:
      schedule &&
      ((batch, batches) => {
        const l = lambdaAt(schedule, batchFraction(batch, batches));
        net.setParams({ lambdaM: l, lambdaW: l });
      }),
  });
  const accuracy = job.variant && accuracyOn(net, labelled(mnist.test, job.variant.testDigits))();
  net.setParams({ dt: s.generateDt });
  const classes = Uint8Array.from({ length: 10 }, (_, i) => i);
  const images = generateSamples(net, classes, { seconds: s.generateSeconds, initStd: 0, seed: 0 });
  onProgress?.(1);
  const cosines = classCosines(images, means);
  return accuracy === undefined ? { cosines, images } : { cosines, images, accuracy };
}

/** The jobs of E5 or E6: for each pair k, the decay network then the nondecay one. */
export function planGenerative(name: 'E5' | 'E6', settings: GenerativeSettings): GenerativeJob[] {
  const jobs: GenerativeJob[] = [];
  for (let k = 0; k < settings.networks; k++) {
    for (const decay of [true, false]) jobs.push({ name, k, decay, settings });
  }
  return jobs;
}

/** Tables 3 and 4 from the jobs' results (in {@link planGenerative}'s order). */
export function reduceGenerative(
  jobs: readonly GenerativeJob[],
  results: readonly GenerativeResult[],
  seconds: number,
): ExperimentReport<CosineResults> {
  const { name, settings: s } = jobs[0];
  const cosines = { decay: [] as number[], noDecay: [] as number[] };
  const images = { decay: [] as number[][], noDecay: [] as number[][] };
  jobs.forEach((job, i) => {
    const key = job.decay ? 'decay' : 'noDecay';
    cosines[key].push(...results[i].cosines);
    if (job.k === 0) {
      for (let c = 0; c < 10; c++) {
        const img = classImage(results[i].images, c);
        images[key].push(Array.from(img, (v) => Math.round(v * 1000) / 1000));
      }
    }
  });
  const row = (v: number[]): CosineRow => {
    const m = minAvgMax(v);
    return { avg: m.avg, max: m.max };
  };
  return {
    experiment: name,
    settings: { ...s, layers: s.layers.join('-'), activation: 'tanh', generateInitState: 'zero' },
    results: { decay: row(cosines.decay), noDecay: row(cosines.noDecay) },
    paper:
      name === 'E5'
        ? { decay: { avg: 0.4274, max: 0.6081 }, noDecay: { avg: 0.0098, max: 0.117 } }
        : { decay: { avg: 0.6682, max: 0.7244 }, noDecay: { avg: 0.019, max: 0.091 } },
    seconds,
    extra: { cosines, generatedImagesFirstNetwork: images },
  };
}

/** E5 or E6 on this thread: its jobs one after the other, then its table. */
export function runGenerative(
  name: 'E5' | 'E6',
  mnist: MnistData,
  s: GenerativeSettings,
  options: ExperimentOptions,
): ExperimentReport<CosineResults> {
  const start = performance.now();
  const jobs = planGenerative(name, s);
  const results = jobs.map((job, i) =>
    runGenerativeJob(
      mnist,
      job,
      stageProgress(options, i, jobs.length, `network ${i + 1} of ${jobs.length}`),
    ),
  );
  return reduceGenerative(jobs, results, (performance.now() - start) / 1000);
}

/**
 * E5: 784-600-10, 1000 digits, 10 decay + 10 nondecay networks, τ = 0.2, γ = 0.8, generate
 * 60 s at dt = 0.002. The paper gives neither the hold time nor the epochs; we hold each batch
 * of 20 for 1 s, 8 epochs, at dt = 0.01 in training (k = dt/τ = 0.05).
 */
export function runE5(
  mnist: MnistData,
  options: ExperimentOptions,
): ExperimentReport<CosineResults> {
  return runGenerative('E5', mnist, e5Settings(options), options);
}

/** E5's settings (see {@link runE5}). */
export function e5Settings(
  options: Pick<ExperimentOptions, 'seed' | 'quick' | 'epochs'>,
): GenerativeSettings {
  const q = options.quick;
  return {
    layers: [784, 600, 10],
    digits: q ? 200 : 1000,
    networks: q ? 1 : 10,
    epochs: options.epochs ?? (q ? 2 : 8),
    batch: 20,
    holdSeconds: 1,
    dt: 0.01,
    tau: 0.2,
    gamma: 0.8,
    decay: 0.05,
    generateSeconds: q ? 20 : 60,
    generateDt: q ? 0.01 : 0.002,
    seed: options.seed,
  };
}
