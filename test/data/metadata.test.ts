import { expect } from '@open-wc/testing';
import { parseCsv } from '../../src/data/csv';
import { activationRange, applyScaling, fitScaling, splitDataset } from '../../src/data/dataset';
import { decodeNetwork, encodeNetwork } from '../../src/io/safetensors';
import { resolveSpec } from '../../src/model/spec';

const spec = resolveSpec({ layers: [2, 3], activation: 'tanh' });
const M = [Float32Array.from([1, 2, 3, 4, 5, 6])];
const W = [Float32Array.from([6, 5, 4, 3, 2, 1])];

describe("a data set's facts in the weights file", () => {
  it('travel in __metadata__ beside the spec and read back as metadata', () => {
    const data = parseCsv('u,v,label\n0,10,a\n1,20,b\n2,30,c\n3,40,a\n');
    const scaling = fitScaling(splitDataset(data, 0, 1).train, activationRange('tanh'));
    const dataset = JSON.stringify({ classNames: data.classNames, scaling });
    const bytes = encodeNetwork(spec, M, W, { dataset });
    const back = decodeNetwork(bytes);
    expect(back.metadata).to.deep.equal({ dataset });
    const read = JSON.parse(back.metadata.dataset) as { scaling: typeof scaling };
    expect(Array.from(applyScaling([3, 40], read.scaling))).to.deep.equal([1, 1]);
  });

  it('cannot replace the spec, format or version; files without them read as before', () => {
    const bytes = encodeNetwork(spec, M, W, { spec: '{}', format: 'x', version: '9', note: 'n' });
    const back = decodeNetwork(bytes);
    expect(back.spec).to.deep.equal(spec);
    expect(back.metadata).to.deep.equal({ note: 'n' });
    expect(decodeNetwork(encodeNetwork(spec, M, W)).metadata).to.deep.equal({});
  });
});
