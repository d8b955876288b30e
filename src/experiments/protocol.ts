import { type RelaxGuard, trainAccelerated } from '../model/accelerated';
import type { Network } from '../model/network';
import type { Adam } from '../model/optimizer';
import { Random } from '../random';

/** A labelled data set: `inputs` count × dim, `targets` count × classes. */
export interface LabelledData {
  inputs: Float32Array;
  targets: Float32Array;
  labels: Uint8Array;
  count: number;
  dim: number;
  classes: number;
}

/** How continuous-time training presents the data (section 4; choices documented per field). */
export interface TrainOptions {
  /** Passes over the data. */
  epochs: number;
  /** Simulated seconds each batch is held (the paper's "clamped each input/target pair for T s"). */
  holdSeconds: number;
  /**
   * The order of the samples is shuffled every epoch with this seed (the paper does not say;
   * shuffling is the usual choice).
   */
  shuffleSeed: number;
  /**
   * Reset the nodes to zero before each batch (false: the state carries over from one hold to
   * the next, as the authors' code does). Default false.
   */
  resetBetweenBatches?: boolean;
  /** Called after every batch with the fraction done; return `false` to stop early. */
  onProgress?: (fraction: number) => boolean | void;
  /**
   * Called before every batch with its number (from 0, counted over all epochs) and the number
   * of batches in all: where a study changes a live parameter (λ) during training.
   */
  beforeBatch?: (batch: number, batches: number) => void;
}

/**
 * Trains `net` in `train` mode on `data`: the batch size is the network's batch B (the
 * paper's "batch size 20": B pairs simulated at once as parallel copies sharing one set of
 * weights, the weights following the batch-mean Hebbian term at every Euler step). A last
 * partial batch is filled with samples from the start of the shuffled order so every batch is
 * full. Returns the number of ticks taken.
 */
export function trainContinuous(net: Network, data: LabelledData, options: TrainOptions): number {
  const B = net.batch;
  const { dim, classes, count } = data;
  const X = new Float32Array(B * dim);
  const Y = new Float32Array(B * classes);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const rng = new Random(options.shuffleSeed);
  const batches = Math.ceil(count / B);
  const ticksPerHold = Math.max(1, Math.round(options.holdSeconds / net.spec.dt));
  net.setMode('train');
  let ticks = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    rng.shuffle(order);
    for (let batch = 0; batch < batches; batch++) {
      for (let b = 0; b < B; b++) {
        const i = order[(batch * B + b) % count];
        X.set(data.inputs.subarray(i * dim, (i + 1) * dim), b * dim);
        Y.set(data.targets.subarray(i * classes, (i + 1) * classes), b * classes);
      }
      options.beforeBatch?.(epoch * batches + batch, options.epochs * batches);
      net.setInput(X);
      net.setTarget(Y);
      if (options.resetBetweenBatches) net.resetState();
      net.step(ticksPerHold);
      net.commitWeights();
      ticks += ticksPerHold;
      const done = (epoch * batches + batch + 1) / (options.epochs * batches);
      if (options.onProgress?.(done) === false) return ticks;
    }
  }
  return ticks;
}

/** How generation runs (section 2.4, 4). */
export interface GenerateOptions {
  /** Simulated seconds of generation. */
  seconds: number;
  /** Initial states and errors ~ N(0, initStd²); 0 starts from the zero state. */
  initStd: number;
  /** Seed of the initial state. */
  seed: number;
}

/**
 * Generates one sample per entry of `classes` (a batch of that size, the weights copied from
 * `net`) in `generate` mode and returns the final input layers x(1), classes.length × N_1.
 */
export function generateSamples(
  net: Network,
  classes: ArrayLike<number>,
  options: GenerateOptions,
): Float32Array {
  const gen = net.withBatch(classes.length);
  gen.setMode('generate');
  gen.setTargetClass(classes);
  gen.resetState({ std: options.initStd, random: new Random(options.seed) });
  gen.runFor(options.seconds);
  return gen.x(0).slice();
}

/** Classes 0..classes−1, each repeated `perClass` times: [0,0,…,1,1,…]. */
export function classSequence(classes: number, perClass: number): Uint8Array {
  const out = new Uint8Array(classes * perClass);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(i / perClass);
  return out;
}

/** How accelerated-equilibrium training presents the data (section 2.2; see E7). */
export interface AcceleratedTrainOptions {
  /** Passes over the data. */
  epochs: number;
  /** Alternating error/state iterations per batch (the paper: 80). */
  iterations: number;
  /** The state step of one iteration (see model/accelerated.ts). */
  rate: number;
  /** The plain weight step η (unused with `adam`). */
  learningRate: number;
  /** Adam on the weight step (see model/optimizer.ts); plain steps when absent. */
  adam?: Adam;
  /** The factor on the weight step after every epoch: epoch e steps by η × decay^e (default 1). */
  learningRateDecay?: number;
  /** The order of the samples is shuffled every epoch with this seed. */
  shuffleSeed: number;
  /** Called after every batch with the fraction done; return `false` to stop early. */
  onProgress?: (fraction: number) => boolean | void;
  /** Called after every epoch (from 0), e.g. to measure the test accuracy. */
  onEpoch?: (epoch: number) => void;
}

/**
 * Trains `net` by the accelerated equilibrium ({@link trainAccelerated}) on `data`, batches of
 * the network's batch B: the whole batches of each epoch's shuffled order (a last partial batch
 * is left out), with the divergence guard of {@link RelaxGuard}. Returns the guard (its final
 * rate and halvings) and whether it ran to the end (false: `onProgress` stopped it).
 */
export function trainAcceleratedOnData(
  net: Network,
  data: LabelledData,
  options: AcceleratedTrainOptions,
): { guard: RelaxGuard; completed: boolean } {
  const loop = acceleratedLoop(net.batch, data, options);
  const { X, Y, batches, guard, step } = loop;
  for (let e = 0; e < options.epochs; e++) {
    startEpoch(loop, options, e);
    for (let b = 0; b < batches; b++) {
      fillBatch(loop, data, b);
      trainAccelerated(net, X, Y, step);
      if (options.onProgress?.((e * batches + b + 1) / (options.epochs * batches)) === false) {
        return { guard, completed: false };
      }
    }
    options.onEpoch?.(e);
  }
  return { guard, completed: true };
}

/**
 * @internal The state of {@link trainAcceleratedOnData}'s loop (shared with its GPU twin,
 * `trainAcceleratedOnDataGpu`): the shuffled order, the batch arrays, the guard and the step
 * options handed to every batch.
 */
export interface AcceleratedLoop<A extends { scale: number }> {
  /** The batch size B. */
  batch: number;
  order: Int32Array;
  rng: Random;
  X: Float32Array;
  Y: Float32Array;
  batches: number;
  guard: RelaxGuard;
  step: { iterations: number; rate: number; learningRate: number; adam?: A; guard: RelaxGuard };
}

/** @internal A fresh {@link AcceleratedLoop} for batches of `B` from `data`. */
export function acceleratedLoop<A extends { scale: number }>(
  B: number,
  data: LabelledData,
  options: Pick<AcceleratedTrainOptions, 'shuffleSeed' | 'rate' | 'iterations' | 'learningRate'> & {
    adam?: A;
  },
): AcceleratedLoop<A> {
  const { dim, classes, count } = data;
  const guard: RelaxGuard = { rate: options.rate, halvings: 0 };
  return {
    batch: B,
    order: Int32Array.from({ length: count }, (_, i) => i),
    rng: new Random(options.shuffleSeed),
    X: new Float32Array(B * dim),
    Y: new Float32Array(B * classes),
    batches: Math.floor(count / B),
    guard,
    step: {
      iterations: options.iterations,
      rate: options.rate,
      learningRate: options.learningRate,
      adam: options.adam,
      guard,
    },
  };
}

/**
 * @internal Epoch `e`'s start: a new shuffle, and the schedule's factor decay^e on Adam's
 * scale (with Adam) or on the learning rate.
 */
export function startEpoch<A extends { scale: number }>(
  loop: AcceleratedLoop<A>,
  options: Pick<AcceleratedTrainOptions, 'learningRate' | 'learningRateDecay'>,
  e: number,
): void {
  loop.rng.shuffle(loop.order);
  const scale = (options.learningRateDecay ?? 1) ** e;
  if (loop.step.adam) loop.step.adam.scale = scale;
  else loop.step.learningRate = options.learningRate * scale;
}

/** @internal Copies batch `b` of the epoch's order into the loop's X and Y. */
export function fillBatch<A extends { scale: number }>(
  loop: AcceleratedLoop<A>,
  data: LabelledData,
  b: number,
): void {
  const { dim, classes } = data;
  const B = loop.batch;
  for (let j = 0; j < B; j++) {
    const i = loop.order[b * B + j];
    loop.X.set(data.inputs.subarray(i * dim, (i + 1) * dim), j * dim);
    loop.Y.set(data.targets.subarray(i * classes, (i + 1) * classes), j * classes);
  }
}
