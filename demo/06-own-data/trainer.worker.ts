/**
 * The training worker of page 06: one network, trained by the paper's continuous-time
 * procedure (src/experiments/protocol.ts), then run backwards to generate. The page starts one
 * such worker per network (see `trainer.ts`), so the two train at once and the page never
 * waits on them.
 */
import { expose, transfer } from 'comlink';
import { oneHot } from '../../src/data/mnist';
import { classSequence, trainContinuous } from '../../src/experiments/protocol';
import { DivergenceError } from '../../src/model/errors';
import { Network } from '../../src/model/network';
import { Random } from '../../src/random';
import type { Generated, Settings, TrainerApi, TrainJob, TrainResult } from './trainer';

/** The most rows whose classification is checked for the accuracy shown. */
const MAX_CHECKED = 2000;

let trained: { net: Network; classes: number; settings: Settings } | null = null;

/**
 * `settings.samplesShown` rows to present, in a seeded order: the data repeated (a shuffled
 * pass at a time) when it is smaller, a random part of it when larger.
 */
function presentation(count: number, shown: number, random: Random): Int32Array {
  const order = new Int32Array(shown);
  const pass = Int32Array.from({ length: count }, (_, i) => i);
  for (let k = 0; k < shown; k++) {
    if (k % count === 0) random.shuffle(pass);
    order[k] = pass[k % count];
  }
  return order;
}

const api: TrainerApi = {
  train(job: TrainJob, onProgress: (fraction: number) => void): TrainResult {
    const { settings: s, classes, inputs, labels } = job;
    const count = labels.length;
    const lambda = job.decay ? s.weightDecay : 0;
    const net = new Network(
      {
        layers: [2, s.hidden, classes],
        activation: 'identity',
        tau: s.tau,
        gamma: s.gamma,
        dt: s.dt,
        lambdaM: lambda,
        lambdaW: lambda,
        lambdaX: job.decay ? s.activityDecay : 0,
        seed: job.seed,
        tiedInit: s.tiedInit,
      },
      { batch: s.batch },
    );
    const order = presentation(count, s.samplesShown, new Random(job.seed));
    const shown = new Float32Array(order.length * 2);
    const shownLabels = new Uint8Array(order.length);
    order.forEach((i, k) => {
      shown[2 * k] = inputs[2 * i];
      shown[2 * k + 1] = inputs[2 * i + 1];
      shownLabels[k] = labels[i];
    });
    const data = {
      inputs: shown,
      targets: oneHot(shownLabels, classes),
      labels: shownLabels,
      count: order.length,
      dim: 2,
      classes,
    };
    const ticks = trainContinuous(net, data, {
      epochs: 1,
      holdSeconds: s.holdSeconds,
      shuffleSeed: job.seed,
      onProgress: (fraction) => void onProgress(fraction),
    });
    trained = { net, classes, settings: s };
    return { accuracy: accuracy(net, inputs, labels, classes, s), seconds: ticks * s.dt };
  },

  generate(seed: number, onFrame: (x: Float32Array, time: number) => void): Generated {
    if (!trained) throw new Error('no trained network: train first');
    const { net, classes, settings: s } = trained;
    const gen = net.withBatch(classes * s.perClass);
    gen.setMode('generate');
    gen.setTargetClass(classSequence(classes, s.perClass));
    gen.resetState({ std: s.initStd, random: new Random(seed) });
    const total = Math.round(s.generateSeconds / s.dt);
    const perFrame = Math.max(1, Math.ceil(total / s.frames));
    let diverged: string | undefined;
    while (gen.tick < total && !diverged) {
      try {
        gen.step(Math.min(perFrame, total - gen.tick));
      } catch (e) {
        if (!(e instanceof DivergenceError)) throw e;
        diverged = e.message;
      }
      const x = gen.x(0).slice();
      // The copy goes to the page (transferred: the worker keeps no reference).
      if (gen.tick < total && !diverged) void onFrame(transfer(x, [x.buffer]), gen.time);
    }
    const x = gen.x(0).slice();
    return transfer({ x, time: gen.time, diverged }, [x.buffer]);
  },
};

/** The fraction of the rows (the first MAX_CHECKED) that classify mode puts in their class. */
function accuracy(
  net: Network,
  inputs: Float32Array,
  labels: Uint8Array,
  classes: number,
  s: Settings,
): number {
  const n = Math.min(labels.length, MAX_CHECKED);
  const check = net.withBatch(n);
  check.setMode('classify');
  check.setInput(inputs.subarray(0, 2 * n));
  check.resetState();
  try {
    check.runFor(s.classifySeconds);
  } catch (e) {
    if (e instanceof DivergenceError) return NaN;
    throw e;
  }
  const y = check.x(check.depth - 1);
  let right = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (y[i * classes + c] > y[i * classes + best]) best = c;
    if (best === labels[i]) right++;
  }
  return right / n;
}

expose(api);
