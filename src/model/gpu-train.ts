/**
 * The training protocols of `experiments/protocol.ts` on a {@link GpuNetwork}: the same
 * batches in the same order (the same shuffles), awaiting the GPU where the CPU version steps.
 */
import {
  type AcceleratedTrainOptions,
  acceleratedLoop,
  fillBatch,
  type LabelledData,
  startEpoch,
  type TrainOptions,
} from '../experiments/protocol';
import { Random } from '../random';
import type { RelaxGuard } from './accelerated';
import { type GpuAdam, trainAcceleratedGpu } from './gpu-accelerated';
import type { GpuNetwork } from './gpu-network';

/** `trainContinuous` on the GPU: resolves to the number of ticks taken. */
export async function trainContinuousGpu(
  net: GpuNetwork,
  data: LabelledData,
  options: TrainOptions,
): Promise<number> {
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
      await net.step(ticksPerHold);
      net.commitWeights();
      ticks += ticksPerHold;
      const done = (epoch * batches + batch + 1) / (options.epochs * batches);
      if (options.onProgress?.(done) === false) return ticks;
    }
  }
  return ticks;
}

/** `trainAcceleratedOnData` on the GPU, with {@link GpuAdam} in place of `Adam`. */
export async function trainAcceleratedOnDataGpu(
  net: GpuNetwork,
  data: LabelledData,
  options: Omit<AcceleratedTrainOptions, 'adam' | 'onEpoch'> & {
    adam?: GpuAdam;
    onEpoch?: (epoch: number) => void | Promise<void>;
  },
): Promise<{ guard: RelaxGuard; completed: boolean }> {
  const loop = acceleratedLoop(net.batch, data, options);
  const { X, Y, batches, guard, step } = loop;
  for (let e = 0; e < options.epochs; e++) {
    startEpoch(loop, options, e);
    for (let b = 0; b < batches; b++) {
      fillBatch(loop, data, b);
      await trainAcceleratedGpu(net, X, Y, step);
      if (options.onProgress?.((e * batches + b + 1) / (options.epochs * batches)) === false) {
        return { guard, completed: false };
      }
    }
    await options.onEpoch?.(e);
  }
  return { guard, completed: true };
}
