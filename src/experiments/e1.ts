import { classCentroids, makePrototypeData } from '../data/synthetic';
import { Network } from '../model/network';
import { classSequence, generateSamples, trainContinuous } from './protocol';
import { type ExperimentOptions, type ExperimentReport, stageProgress } from './types';

export interface E1Row {
  /** Standard deviation of the samples' component along null(M(1)), averaged over classes. */
  spreadAlongNullSpace: number;
  /** Mean Euclidean distance of the samples to their class centroid. */
  meanDistanceToCentroid: number;
}
export interface E1Results {
  decay: E1Row;
  noDecay: E1Row;
}

/**
 * E1 (Figs. 4, 5): the shallow linear 3-2 network. Two gaussian classes in 3-D; a PC-nondecay
 * network (every λ = 0) and a PC-decay network (λM = λW = 0.05 in training, λx = 0.05 in
 * generation) each generate 150 samples per class from N(0, 1) states. Without decay the
 * samples spread along the class's solution line (null(M)); with decay they collapse.
 *
 * The paper gives no training protocol or cluster parameters for this figure; we use section
 * 4.2's (prototypes uniform in [−1.5, 1.5]³, noise std 0.2, τ = 0.05, γ = 0.1) with batches of
 * 20 held 2 s, 10 epochs, and generate for 10 s.
 */
export function runE1(options: ExperimentOptions): ExperimentReport<E1Results> {
  const start = performance.now();
  const settings = e1Settings(options);
  const rows = E1_UNITS.map((unit, stage) =>
    runE1Unit(settings, unit, stageProgress(options, stage, 2, unit.decay ? 'decay' : 'no decay')),
  );
  return reduceE1(settings, rows, (performance.now() - start) / 1000);
}

/** E1's settings (see {@link runE1}). */
export function e1Settings(options: Pick<ExperimentOptions, 'seed' | 'quick'>) {
  const q = options.quick;
  return {
    layers: '3-2',
    activation: 'identity',
    samplesPerClass: q ? 50 : 100,
    noiseStd: 0.2,
    prototypeRange: 1.5,
    tau: 0.05,
    gamma: 0.1,
    dt: 0.001,
    batch: 20,
    holdSeconds: 2,
    epochs: q ? 4 : 10,
    weightDecay: 0.05,
    activityDecay: 0.05,
    generatedPerClass: q ? 50 : 150,
    generateSeconds: 10,
    generateInitStd: 1,
    seed: options.seed,
  };
}

export type E1Settings = ReturnType<typeof e1Settings>;

/** One network of E1: with or without decay. */
export interface E1Unit {
  decay: boolean;
}

/** E1's two independent networks, in the order {@link reduceE1} takes them: no decay first. */
export const E1_UNITS: readonly E1Unit[] = [{ decay: false }, { decay: true }];

/** Trains one network of E1 and measures its generated samples (a row of the results). */
export function runE1Unit(
  settings: E1Settings,
  unit: E1Unit,
  onProgress?: (fraction: number) => boolean | void,
): E1Row {
  const { seed } = settings;
  const data = makePrototypeData({
    classes: 2,
    dim: 3,
    samples: 2 * settings.samplesPerClass,
    noiseStd: settings.noiseStd,
    range: settings.prototypeRange,
    seed,
  });
  const centroids = classCentroids(data.inputs, data.labels, 2, 3);
  const classes = classSequence(2, settings.generatedPerClass);
  const lambda = unit.decay ? settings.weightDecay : 0;
  const net = new Network(
    {
      layers: [3, 2],
      tau: settings.tau,
      gamma: settings.gamma,
      dt: settings.dt,
      lambdaM: lambda,
      lambdaW: lambda,
      lambdaX: unit.decay ? settings.activityDecay : 0,
      seed,
    },
    { batch: settings.batch },
  );
  trainContinuous(net, data, {
    epochs: settings.epochs,
    holdSeconds: settings.holdSeconds,
    shuffleSeed: seed,
    onProgress,
  });
  const samples = generateSamples(net, classes, {
    seconds: settings.generateSeconds,
    initStd: settings.generateInitStd,
    seed: seed + 1,
  });
  return measure(net.M[0], samples, classes, centroids);
}

/** E1's report from its rows (in {@link E1_UNITS}' order). */
export function reduceE1(
  settings: E1Settings,
  rows: readonly E1Row[],
  seconds: number,
): ExperimentReport<E1Results> {
  const [noDecay, decay] = rows;
  return {
    experiment: 'E1',
    settings,
    results: { decay, noDecay },
    paper: {
      decay: 'Fig. 5: all 150 samples of a class on the cluster centre',
      noDecay: 'Fig. 4: samples spread along the class solution line (null space of M)',
    },
    seconds,
    extra: { spreadRatio: noDecay.spreadAlongNullSpace / decay.spreadAlongNullSpace },
  };
}

/** The null direction of a 2 × 3 matrix is the cross product of its rows. */
function measure(
  M: Float32Array,
  samples: Float32Array,
  classes: Uint8Array,
  centroids: Float32Array,
): E1Row {
  const n = [M[1] * M[5] - M[2] * M[4], M[2] * M[3] - M[0] * M[5], M[0] * M[4] - M[1] * M[3]];
  const norm = Math.hypot(n[0], n[1], n[2]);
  let spread = 0;
  let distance = 0;
  for (let c = 0; c < 2; c++) {
    const proj: number[] = [];
    for (let i = 0; i < classes.length; i++) {
      if (classes[i] !== c) continue;
      const s = samples.subarray(i * 3, i * 3 + 3);
      proj.push((s[0] * n[0] + s[1] * n[1] + s[2] * n[2]) / norm);
      distance += Math.hypot(
        s[0] - centroids[c * 3],
        s[1] - centroids[c * 3 + 1],
        s[2] - centroids[c * 3 + 2],
      );
    }
    const mean = proj.reduce((a, b) => a + b, 0) / proj.length;
    spread += Math.sqrt(proj.reduce((a, b) => a + (b - mean) ** 2, 0) / proj.length) / 2;
  }
  return { spreadAlongNullSpace: spread, meanDistanceToCentroid: distance / classes.length };
}
