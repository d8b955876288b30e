import { expect } from '@open-wc/testing';
import {
  accuracy,
  argmax,
  cosineSimilarity,
  distanceStats,
  meanStd,
  minAvgMax,
} from '../src/metrics';

const f32 = (v: number[]) => new Float32Array(v);

describe('metrics', () => {
  it('minAvgMax', () => {
    expect(minAvgMax([3, -1, 4, 2])).to.deep.equal({ min: -1, avg: 2, max: 4 });
    expect(minAvgMax(f32([5]))).to.deep.equal({ min: 5, avg: 5, max: 5 });
    expect(() => minAvgMax([])).to.throw(/no values/);
  });

  it('meanStd: population std (ddof = 0) of each node, averaged over nodes', () => {
    // node 0: {0, 2} -> std 1; node 1: {0, 4} -> std 2; mean 1.5
    expect(meanStd(f32([0, 0, 2, 4]), 2, 2)).to.be.closeTo(1.5, 1e-12);
    // node 0: {1, 2, 3, 4} -> std sqrt(1.25); node 1 constant -> 0
    expect(meanStd(f32([1, 7, 2, 7, 3, 7, 4, 7]), 4, 2)).to.be.closeTo(Math.sqrt(1.25) / 2, 1e-7);
    expect(meanStd(f32([3, 4, 5]), 1, 3)).to.equal(0);
    expect(() => meanStd(f32([1, 2]), 2, 2)).to.throw(RangeError);
  });

  it('distanceStats: Euclidean distance of each sample to its class centroid', () => {
    const centroids = f32([0, 0, 10, 10]);
    const samples = f32([3, 4, 0, 1, 10, 10, 16, 18]);
    // distances: 5, 1, 0, 10
    expect(distanceStats(samples, [0, 0, 1, 1], centroids, 4, 2)).to.deep.equal({
      min: 0,
      avg: 4,
      max: 10,
    });
    expect(() => distanceStats(samples, [0, 0, 1, 2], centroids, 4, 2)).to.throw(/no centroid/);
  });

  it('cosineSimilarity', () => {
    expect(cosineSimilarity(f32([1, 0]), f32([0, 1]))).to.equal(0);
    expect(cosineSimilarity(f32([1, 2, 3]), f32([2, 4, 6]))).to.be.closeTo(1, 1e-12);
    expect(cosineSimilarity(f32([1, 2]), f32([-1, -2]))).to.be.closeTo(-1, 1e-12);
    expect(cosineSimilarity(f32([1, 1]), f32([1, 0]))).to.be.closeTo(Math.SQRT1_2, 1e-12);
    expect(cosineSimilarity(f32([0, 0]), f32([1, 2]))).to.equal(0);
    expect(cosineSimilarity(f32([1, 2]), f32([0, 0]))).to.equal(0);
    expect(cosineSimilarity(f32([1, 0, 5]), f32([1, 0, -5]), 2)).to.be.closeTo(1, 1e-12);
    expect(() => cosineSimilarity(f32([1]), f32([1, 2]), 2)).to.throw(RangeError);
  });

  it('argmax: relative index, first on ties, NaN never wins', () => {
    expect(argmax(f32([1, 5, 3]))).to.equal(1);
    expect(argmax(f32([9, 9, 1, 2, 2, 0]), 3, 3)).to.equal(0);
    expect(argmax(f32([9, 0, 1, 7, 7]), 1)).to.equal(2);
    expect(argmax(f32([NaN, -1, NaN]))).to.equal(1);
    expect(argmax(f32([NaN, NaN]))).to.equal(-1);
    expect(argmax(f32([-Infinity, -Infinity]))).to.equal(0);
    expect(argmax(f32([]))).to.equal(-1);
  });

  it('accuracy: argmax of each row against the labels', () => {
    const outputs = f32([0.9, 0.1, 0, 0.2, 0.7, 0.1, 0.3, 0.3, 0.4, NaN, NaN, NaN]);
    expect(accuracy(outputs, [0, 1, 2, 0], 4, 3)).to.equal(0.75);
    expect(accuracy(outputs, [1, 1, 0, 0], 4, 3)).to.equal(0.25);
    expect(accuracy(outputs, [0, 1], 2, 3)).to.equal(1);
    expect(accuracy(outputs, [], 0, 3)).to.equal(0);
  });
});
