import { expect } from '@open-wc/testing';
import {
  activationRange,
  applyScaling,
  type Dataset,
  fingerprint,
  fitScaling,
  indexLabels,
  labelledData,
  splitDataset,
  unscale,
  utf8Length,
} from '../../src/data/dataset';

/** Two features, three classes of sizes 4, 4, 2. */
const data: Dataset = {
  inputs: Float32Array.from([
    0, 10, 1, 20, 2, 30, 3, 40, 4, 50, 5, 60, 6, 70, 7, 80, 8, 90, 9, 100,
  ]),
  labels: Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1, 2, 2]),
  classNames: ['a', 'b', 'c'],
  featureNames: ['u', 'v'],
  count: 10,
  dim: 2,
};

describe('Dataset preprocessing', () => {
  it('scales each feature by the range of its activation: [0, 1], or [−1, 1] for tanh', () => {
    expect(activationRange('identity')).to.deep.equal([0, 1]);
    expect(activationRange('logistic')).to.deep.equal([0, 1]);
    expect(activationRange('relu')).to.deep.equal([0, 1]);
    expect(activationRange('tanh')).to.deep.equal([-1, 1]);
    const s = fitScaling(data, [-1, 1]);
    expect(s).to.deep.equal({ method: 'min-max', lo: -1, hi: 1, min: [0, 10], max: [9, 100] });
    const x = applyScaling(data.inputs, s);
    expect(x[0]).to.equal(-1);
    expect(x[1]).to.equal(-1);
    expect(x[18]).to.equal(1);
    expect(x[19]).to.equal(1);
    expect(x[8]).to.be.closeTo(-1 + 8 / 9, 1e-6);
    // Later inputs use the same parameters, outside the range included (no clipping).
    expect(Array.from(applyScaling([18, 190], s))).to.deep.equal([3, 3]);
    const back = unscale(x, s);
    back.forEach((v, i) => expect(v).to.be.closeTo(data.inputs[i], 1e-5));
  });

  it('maps a feature constant on the train split to the middle of the range', () => {
    const flat = { ...data, inputs: data.inputs.map((v, i) => (i % 2 ? 5 : v)) };
    const s = fitScaling(flat, [0, 1]);
    expect(Array.from(applyScaling([3, 5, 3, 99], s))).to.deep.equal(
      [1 / 3, 0.5, 1 / 3, 0.5].map(Math.fround),
    );
  });

  it('gives one-hot targets beside the scaled inputs', () => {
    const l = labelledData(data, fitScaling(data, [0, 1]));
    expect([l.count, l.dim, l.classes]).to.deep.equal([10, 2, 3]);
    expect(Array.from(l.targets.subarray(0, 3))).to.deep.equal([1, 0, 0]);
    expect(Array.from(l.targets.subarray(27, 30))).to.deep.equal([0, 0, 1]);
  });

  it('splits each class alone, by the seed, in the file order', () => {
    const { train, test } = splitDataset(data, 0.5, 7);
    expect(train.count + test.count).to.equal(10);
    // round(4 · 0.5) + round(4 · 0.5) + round(2 · 0.5) rows held back.
    expect(Array.from(test.labels)).to.deep.equal([0, 0, 1, 1, 2]);
    const firsts = (d: Dataset) => Array.from({ length: d.count }, (_, i) => d.inputs[2 * i]);
    const rows = [...firsts(train), ...firsts(test)].sort((a, b) => a - b);
    expect(rows).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(firsts(test)).to.deep.equal([...firsts(test)].sort((a, b) => a - b));
    expect(splitDataset(data, 0.5, 7)).to.deep.equal({ train, test });
    const other = [1, 2, 3, 4, 5].map((seed) => firsts(splitDataset(data, 0.5, seed).test).join());
    expect(new Set(other).size).to.be.greaterThan(1);
    expect(splitDataset(data, 0, 1).test.count).to.equal(0);
    expect(() => splitDataset(data, 1, 1)).to.throw(
      /testFraction must be from 0 to below 1, got 1/,
    );
  });

  it('orders classes numerically for integer labels, else by code units', () => {
    expect(indexLabels(['10', '2', '2', '-1'], 'f')).to.deep.equal({
      labels: Uint8Array.from([2, 1, 1, 0]),
      classNames: ['-1', '2', '10'],
    });
    expect(indexLabels(['b', 'B', 'a', '10', '9'], 'f').classNames).to.deep.equal([
      '10',
      '9',
      'B',
      'a',
      'b',
    ]);
    const many = Array.from({ length: 257 }, (_, i) => `c${i}`);
    expect(() => indexLabels(many, 'f.csv')).to.throw('f.csv: 257 classes, more than 256');
  });

  it('fingerprints the rows, so a file can be recognised', () => {
    expect(fingerprint(data)).to.match(/^[0-9a-f]{8}$/);
    expect(fingerprint({ ...data })).to.equal(fingerprint(data));
    const moved = { ...data, inputs: data.inputs.map((v, i) => (i === 3 ? v + 1 : v)) };
    expect(fingerprint(moved)).not.to.equal(fingerprint(data));
  });

  it('counts UTF-8 bytes', () => {
    expect(utf8Length('a,é,€,😀')).to.equal(1 + 1 + 2 + 1 + 3 + 1 + 4);
  });
});
