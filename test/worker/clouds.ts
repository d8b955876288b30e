/** A tiny data set for the training tests (not a test file itself). */
import type { Dataset } from '../../src/data/dataset';

/** 20 points of two classes in the plane: a round cloud at (1, 1) and one at (3, 2). */
export function twoClouds(): Dataset {
  const inputs: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 20; i++) {
    const c = i % 2;
    const a = (i * 2.399) % (2 * Math.PI);
    const r = 0.2 + 0.03 * i;
    inputs.push((c ? 3 : 1) + r * Math.cos(a), (c ? 2 : 1) + r * Math.sin(a));
    labels.push(c);
  }
  return {
    inputs: Float32Array.from(inputs),
    labels: Uint8Array.from(labels),
    classNames: ['left', 'right'],
    featureNames: ['x', 'y'],
    count: 20,
    dim: 2,
  };
}
