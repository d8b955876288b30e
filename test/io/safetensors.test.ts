import { expect } from '@open-wc/testing';
import { decodeNetwork, encodeNetwork, WeightsFileError } from '../../src/io/safetensors';
import { resolveSpec } from '../../src/model/spec';
import { Random } from '../../src/random';

/** Builds a file from any header object and data bytes, padding the header as the writer does. */
function buildFile(header: unknown, data: Uint8Array, headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const length = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + length + data.length).fill(0x20, 8, 8 + length);
  new DataView(out.buffer).setUint32(0, length, true);
  out.set(json, 8);
  out.set(data, 8 + length);
  return out;
}

function floatBytes(values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return out;
}

const spec21 = resolveSpec({ layers: [2, 1] });
const meta = { spec: JSON.stringify(spec21), format: 'pc-network', version: '1' };
const goodHeader = (): Record<string, unknown> => ({
  __metadata__: { ...meta },
  'M.0': { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] },
  'W.0': { dtype: 'F32', shape: [2, 1], data_offsets: [8, 16] },
});
const goodData = (): Uint8Array => floatBytes([0.5, -1, 2, 0.25]);

function expectReason(bytes: Uint8Array, reason: string, message?: RegExp): void {
  let error: unknown;
  try {
    decodeNetwork(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).to.be.instanceOf(WeightsFileError);
  expect((error as WeightsFileError).reason).to.equal(reason);
  if (message) expect((error as WeightsFileError).message).to.match(message);
}

describe('safetensors', () => {
  it('round-trips a 3-layer network bit for bit, even from an unaligned buffer', () => {
    const spec = resolveSpec({ layers: [10, 5, 3], activation: 'tanh', nu: [1, 1, 10], seed: 9 });
    const rng = new Random(3);
    const M = [rng.fillNormal(new Float32Array(50)), rng.fillNormal(new Float32Array(15))];
    const W = [rng.fillNormal(new Float32Array(50)), rng.fillNormal(new Float32Array(15))];
    M[0][3] = -0;
    W[1][0] = 1e-45; // a subnormal
    const bytes = encodeNetwork(spec, M, W);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    for (const input of [bytes, shifted.subarray(1), bytes.slice().buffer]) {
      const back = decodeNetwork(input);
      expect(back.spec).to.deep.equal(spec);
      expect(back.M.length).to.equal(2);
      expect(back.W.length).to.equal(2);
      for (let k = 0; k < 2; k++) {
        expect(Array.from(new Uint32Array(back.M[k].buffer))).to.deep.equal(
          Array.from(new Uint32Array(M[k].buffer)),
        );
        expect(Array.from(new Uint32Array(back.W[k].buffer))).to.deep.equal(
          Array.from(new Uint32Array(W[k].buffer)),
        );
      }
    }
  });

  it('writes the header byte for byte: u64 length, JSON with __metadata__, space padding', () => {
    const bytes = encodeNetwork(
      spec21,
      [new Float32Array([0.5, -1])],
      [new Float32Array([2, 0.25])],
    );
    const json =
      `{"__metadata__":{"spec":${JSON.stringify(JSON.stringify(spec21))},` +
      `"format":"pc-network","version":"1"},` +
      `"M.0":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},` +
      `"W.0":{"dtype":"F32","shape":[2,1],"data_offsets":[8,16]}}`;
    const padded = json + ' '.repeat((8 - (json.length % 8)) % 8);
    const expected = new Uint8Array(8 + padded.length + 16);
    const view = new DataView(expected.buffer);
    view.setUint32(0, padded.length, true); // high 32 bits stay 0
    expected.set(new TextEncoder().encode(padded), 8);
    expected.set(goodData(), 8 + padded.length);
    expect(padded.length % 8).to.equal(0);
    expect(Array.from(bytes)).to.deep.equal(Array.from(expected));
    expect(Array.from(bytes)).to.deep.equal(Array.from(buildFile(goodHeader(), goodData())));
  });

  it('accepts tensors stored in another order (as Python sorts them by name)', () => {
    const spec = resolveSpec({ layers: [2, 1, 1] });
    const h = {
      __metadata__: { spec: JSON.stringify(spec) },
      'M.0': { dtype: 'F32', shape: [1, 2], data_offsets: [0, 8] },
      'M.1': { dtype: 'F32', shape: [1, 1], data_offsets: [8, 12] },
      'W.0': { dtype: 'F32', shape: [2, 1], data_offsets: [12, 20] },
      'W.1': { dtype: 'F32', shape: [1, 1], data_offsets: [20, 24] },
    };
    const back = decodeNetwork(buildFile(h, floatBytes([1, 2, 3, 4, 5, 6])));
    expect(Array.from(back.M[1])).to.deep.equal([3]);
    expect(Array.from(back.W[0])).to.deep.equal([4, 5]);
  });

  it('refuses to encode weights that do not fit the spec', () => {
    expect(() => encodeNetwork(spec21, [new Float32Array(3)], [new Float32Array(2)])).to.throw(
      WeightsFileError,
      /"M.0" has 3 values, expected \[1,2\] = 2/,
    );
    expect(() => encodeNetwork(spec21, [], [])).to.throw(WeightsFileError, /expected 1 of each/);
    expect(() =>
      encodeNetwork(spec21, [new Float32Array([0, NaN])], [new Float32Array(2)]),
    ).to.throw(WeightsFileError, /"M.0" has NaN at index 1/);
  });

  describe('rejects a corrupt file with the right reason', () => {
    const withHeader = (edit: (h: Record<string, unknown>) => void): Uint8Array => {
      const h = goodHeader();
      edit(h);
      return buildFile(h, goodData());
    };

    it('truncated header length', () => {
      expectReason(new Uint8Array(5), 'truncated', /5 bytes/);
    });
    it('header longer than the file', () => {
      const bytes = buildFile(goodHeader(), goodData());
      new DataView(bytes.buffer).setUint32(0, 10_000, true);
      expectReason(bytes, 'truncated', /header length 10000/);
      new DataView(bytes.buffer).setUint32(4, 1, true);
      expectReason(bytes, 'header', /exceeds the limit/);
    });
    it('file or header above the limits', () => {
      const bytes = buildFile(goodHeader(), goodData());
      expect(() => decodeNetwork(bytes, { maxBytes: 100 }))
        .to.throw(WeightsFileError)
        .with.property('reason', 'size');
      expect(() => decodeNetwork(bytes, { maxHeaderBytes: 64 }))
        .to.throw(WeightsFileError)
        .with.property('reason', 'header');
    });
    it('bad JSON', () => {
      expectReason(buildFile(null, goodData(), '{"M.0": [1, '), 'json', /not valid JSON/);
      expectReason(buildFile([1, 2], goodData()), 'header', /not a JSON object/);
    });
    it('no metadata', () => {
      expectReason(
        withHeader((h) => delete h.__metadata__),
        'metadata',
        /__metadata__/,
      );
      expectReason(
        withHeader((h) => (h.__metadata__ = { format: 'pc-network' })),
        'metadata',
        /spec/,
      );
      expectReason(
        withHeader((h) => (h.__metadata__ = { ...meta, format: 'other' })),
        'metadata',
        /format/,
      );
    });
    it('bad spec', () => {
      expectReason(
        withHeader((h) => (h.__metadata__ = { spec: '{"layers":[2,1],"tau":-1}' })),
        'spec',
        /tau must be/,
      );
      expectReason(
        withHeader((h) => (h.__metadata__ = { spec: '{layers' })),
        'spec',
        /not valid JSON/,
      );
    });
    it('missing tensor', () => {
      expectReason(
        withHeader((h) => delete h['W.0']),
        'names',
        /missing "W.0"/,
      );
    });
    it('extra tensor', () => {
      expectReason(
        withHeader((h) => (h['M.1'] = { dtype: 'F32', shape: [1, 1], data_offsets: [16, 20] })),
        'names',
        /unexpected "M.1"/,
      );
    });
    it('wrong dtype', () => {
      expectReason(
        withHeader((h) => ((h['W.0'] as { dtype: string }).dtype = 'F64')),
        'dtype',
        /"W.0" has dtype "F64"/,
      );
    });
    it('wrong shape', () => {
      expectReason(
        withHeader((h) => ((h['M.0'] as { shape: number[] }).shape = [2, 1])),
        'shape',
        /tensor "M.0" has shape \[2,1\], expected \[1,2\] for layers 2-1/,
      );
    });
    it('overlapping, non-contiguous or malformed offsets', () => {
      const setOffsets = (name: string, o: unknown) =>
        withHeader((h) => ((h[name] as { data_offsets: unknown }).data_offsets = o));
      expectReason(setOffsets('W.0', [4, 12]), 'offsets', /contiguous/);
      expectReason(
        buildFile(
          { ...goodHeader(), 'W.0': { dtype: 'F32', shape: [2, 1], data_offsets: [12, 20] } },
          floatBytes([0, 0, 0, 0, 0]),
        ),
        'offsets',
        /begins at byte 12, expected 8/,
      );
      expectReason(setOffsets('M.0', [0, 12]), 'offsets', /spans 12 bytes/);
      expectReason(setOffsets('M.0', [8, 0]), 'offsets');
      expectReason(setOffsets('M.0', [0.5, 8.5]), 'offsets');
      expectReason(setOffsets('M.0', '0-8'), 'offsets');
    });
    it('trailing bytes or missing data', () => {
      const data = new Uint8Array(20);
      data.set(goodData());
      expectReason(buildFile(goodHeader(), data), 'size', /4 trailing bytes/);
      expectReason(buildFile(goodHeader(), goodData().subarray(0, 12)), 'truncated');
    });
    it('NaN or infinite value', () => {
      expectReason(
        buildFile(goodHeader(), floatBytes([0, 0, NaN, 0])),
        'nonfinite',
        /"W.0" has NaN at index 0/,
      );
      expectReason(buildFile(goodHeader(), floatBytes([0, Infinity, 0, 0])), 'nonfinite');
    });
  });
});
