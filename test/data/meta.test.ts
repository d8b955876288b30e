import { expect } from '@open-wc/testing';
import { parseCsv } from '../../src/data/csv';
import { activationRange, fitScaling, splitDataset } from '../../src/data/dataset';
import { dataMetadata, type DataMeta, describeData, readDataMeta } from '../../src/data/meta';

const data = parseCsv('u,v,label\n0,10,a\n1,20,b\n2,30,c\n3,40,a\n');
const scaling = fitScaling(splitDataset(data, 0, 1).train, activationRange('tanh'));
const described = describeData(data, { file: 'f.csv', label: null, testFraction: 0, seed: 1 });

describe('the dataset entry of a weights file (src/data/meta.ts)', () => {
  it('describes the data and its split, and reads back what it wrote', () => {
    expect(described.classNames).to.deep.equal(['a', 'b', 'c']);
    expect(described.featureNames).to.deep.equal(['u', 'v']);
    expect(described.split).to.include({ testFraction: 0, seed: 1, rows: 4 });
    expect(described.shape).to.equal(undefined);
    const meta: DataMeta = { ...described, scaling };
    expect(readDataMeta(dataMetadata(meta), [2, 5, 3])).to.deep.equal(meta);
    expect(readDataMeta({}, [2, 3])).to.equal(undefined);
  });

  it('refuses an entry that does not fit the layers or is not JSON, naming them', () => {
    const entry = dataMetadata({ ...described, scaling });
    expect(() => readDataMeta(entry, [2, 4])).to.throw(/does not fit layers 2-4/);
    expect(() => readDataMeta(entry, [3, 3])).to.throw(/does not fit layers 3-3/);
    expect(() => readDataMeta({ dataset: '{' }, [2, 3])).to.throw(/not valid JSON/);
  });

  it('keeps an image grid only when it matches the shape', () => {
    const images = { ...data, shape: { width: 2, height: 1 } };
    const grid = { width: 2, height: 1 };
    const m = describeData(images, { file: 'd', label: null, testFraction: 0, seed: 1 });
    expect(m.shape).to.deep.equal(grid);
    const ok = { ...m, scaling, images: { grid, invert: false } };
    expect(readDataMeta(dataMetadata(ok), [2, 3])?.images).to.deep.equal(ok.images);
    const bad = { ...ok, images: { grid: { width: 1, height: 2 }, invert: false } };
    expect(() => readDataMeta(dataMetadata(bad), [2, 3])).to.throw(/does not fit/);
  });
});
