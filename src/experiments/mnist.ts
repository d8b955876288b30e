/**
 * MNIST as the experiments E5, E6 and E7 read it (e5.ts, e6.ts, e7.ts): the training and test
 * digits, a labelled prefix of either, and the class-mean images of a training subset.
 */
import type { MnistSet } from '../data/mnist';
import { classMeanImages, oneHot } from '../data/mnist';
import type { LabelledData } from './protocol';

/** MNIST as the experiments read it: the training digits and the test digits. */
export interface MnistData {
  train: MnistSet;
  test: MnistSet;
}

/** The first `count` digits of a set (all of them if it has fewer), with one-hot targets. */
export function labelled(set: MnistSet, count: number): LabelledData {
  const n = Math.min(count, set.count);
  return {
    inputs: set.images.subarray(0, n * 784),
    labels: set.labels.subarray(0, n),
    targets: oneHot(set.labels.subarray(0, n), 10),
    count: n,
    dim: 784,
    classes: 10,
  };
}

/** The class-mean images of the first `digits` training digits (E5 and E6 compare with these). */
export function subsetClassMeans(mnist: Pick<MnistData, 'train'>, digits: number): Float32Array {
  const data = labelled(mnist.train, digits);
  return classMeanImages(
    { ...mnist.train, count: data.count, images: data.inputs, labels: data.labels },
    10,
  );
}
