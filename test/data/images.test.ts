import { expect } from '@open-wc/testing';
import { zipSync } from 'fflate';
import { decodeImage } from '../../components/data/decode-images';
import { dataKind, readDataFile } from '../../components/data/read-data-file';
import { DataError, fitScaling } from '../../src/data/dataset';
import {
  type DecodedImage,
  imageLayout,
  imagesToDataset,
  parseGrid,
  pngSize,
  resizeArea,
  toGrey,
} from '../../src/data/images';

/** The DataError that `f` throws (or rejects with). */
async function caught(f: () => unknown): Promise<DataError> {
  try {
    await f();
  } catch (e) {
    expect(e).to.be.instanceOf(DataError);
    return e as DataError;
  }
  throw new Error('expected a DataError');
}

const grey = (
  className: string,
  width: number,
  height: number,
  values: number[],
  file = `${className}/x.png`,
): DecodedImage => ({ file, className, width, height, channels: 1, pixels: values });

/**
 * A PNG made by the browser: a w × h canvas of `fill` with a `rect` [x, y, w, h] of `ink`.
 */
async function pngBlob(
  w: number,
  h: number,
  fill: string,
  ink: string,
  rect: [number, number, number, number],
): Promise<Blob> {
  const canvas = new OffscreenCanvas(w, h);
  const context = canvas.getContext('2d')!;
  context.fillStyle = fill;
  context.fillRect(0, 0, w, h);
  context.fillStyle = ink;
  context.fillRect(...rect);
  return canvas.convertToBlob({ type: 'image/png' });
}

const file = (parts: BlobPart[], name: string, type = '') => new File(parts, name, { type });

describe('images: grey, resize, invert (src/data/images.ts)', () => {
  it('grey is Rec. 601 luma over 255; alpha composites over the background', () => {
    const rgba: DecodedImage = {
      file: 'a/x.png',
      className: 'a',
      width: 2,
      height: 1,
      channels: 4,
      pixels: [100, 150, 200, 255, 255, 0, 0, 51],
    };
    const g = toGrey(rgba, 1);
    expect(g[0]).to.be.closeTo((0.299 * 100 + 0.587 * 150 + 0.114 * 200) / 255, 1e-6);
    // Red at alpha 0.2 over white: 0.2 · 0.299 + 0.8 · 1.
    expect(g[1]).to.be.closeTo(0.2 * 0.299 + 0.8, 1e-6);
    expect(toGrey(rgba, 0)[1]).to.be.closeTo(0.2 * 0.299, 1e-6);
    const ga: DecodedImage = { ...rgba, channels: 2, pixels: [51, 255, 255, 0] };
    expect(Array.from(toGrey(ga, 0.5))).to.deep.equal([0.2, 0.5].map(Math.fround));
  });

  it('an integer downscale averages whole blocks (4 × 4 to 2 × 2, by hand)', () => {
    // prettier-ignore
    const src = [
      0, 1, 2, 3,
      4, 5, 6, 7,
      8, 9, 10, 11,
      12, 13, 14, 15,
    ];
    const out = resizeArea(src, 4, 4, { width: 2, height: 2 });
    // (0+1+4+5)/4, (2+3+6+7)/4, (8+9+12+13)/4, (10+11+14+15)/4
    expect(Array.from(out)).to.deep.equal([2.5, 4.5, 10.5, 12.5]);
    expect(Array.from(resizeArea(src, 4, 4, { width: 1, height: 1 }))).to.deep.equal([7.5]);
  });

  it('a non-integer downscale weights the pixels a cell partly covers (3 to 2, by hand)', () => {
    // Cell 0 covers [0, 1.5): (0 · 1 + 3 · 0.5) / 1.5 = 1; cell 1 covers [1.5, 3): (3 · 0.5 + 6) / 1.5 = 5.
    const out = resizeArea([0, 3, 6], 3, 1, { width: 2, height: 1 });
    expect(out[0]).to.be.closeTo(1, 1e-6);
    expect(out[1]).to.be.closeTo(5, 1e-6);
    // An upscale repeats pixels: 2 to 4.
    expect(Array.from(resizeArea([1, 9], 2, 1, { width: 4, height: 1 }))).to.deep.equal([
      1, 1, 9, 9,
    ]);
  });

  it('builds a data set: rows resized and inverted, classes sorted, the grid as its shape', () => {
    const images = [
      grey('10', 2, 2, [0, 0, 255, 255]),
      grey('2', 2, 2, [255, 0, 255, 0]),
      grey('10', 2, 2, [255, 255, 255, 255]),
    ];
    const data = imagesToDataset(images, { grid: { width: 1, height: 2 }, invert: true });
    // Integer folder names sort as numbers: 2 before 10.
    expect(data.classNames).to.deep.equal(['2', '10']);
    expect(Array.from(data.labels)).to.deep.equal([1, 0, 1]);
    expect(data.shape).to.deep.equal({ width: 1, height: 2 });
    expect(data.featureNames).to.deep.equal(['r0c0', 'r1c0']);
    // Inverted: 1 − mean of each row of the image.
    expect(Array.from(data.inputs)).to.deep.equal([1, 0, 0.5, 0.5, 0, 0]);
    const plain = imagesToDataset(images, { grid: { width: 2, height: 1 } });
    expect(Array.from(plain.inputs.subarray(0, 2))).to.deep.equal([0.5, 0.5]);
    expect(imagesToDataset(images).dim).to.equal(28 * 28);
  });

  it('images are scaled by one range for all pixels', () => {
    const data = imagesToDataset([grey('a', 2, 1, [0, 51]), grey('b', 2, 1, [0, 255])], {
      grid: { width: 2, height: 1 },
    });
    const s = fitScaling(data, [0, 1], 'all');
    expect(s.min).to.deep.equal([0, 0]);
    expect(s.max).to.deep.equal([1, 1]);
    expect(fitScaling(data, [0, 1]).max[0]).to.equal(0); // per feature: pixel 0 is constant
  });

  it('refuses one class, a bad grid, pixels that do not fit the size', async () => {
    const one = await caught(() => imagesToDataset([grey('a', 1, 1, [0])], {}, 'digits'));
    expect(one.message).to.equal('digits: one class ("a"): expected at least two class folders');
    expect(() => imagesToDataset([], { grid: { width: 0, height: 3 } })).to.throw(
      RangeError,
      'grid width must be an integer from 1 to 256, got 0',
    );
    expect(parseGrid('16x12')).to.deep.equal({ width: 16, height: 12 });
    expect(() => parseGrid('16')).to.throw(RangeError, 'got "16"');
    const bad = await caught(() => toGrey(grey('a', 2, 2, [0, 0, 0])));
    expect(bad.message).to.equal('a/x.png: expected 2 × 2 × 1 = 4 pixel values, got 3');
  });
});

describe('images: the layout of class folders', () => {
  const limits = { maxFiles: 100, maxBytes: 1000 };
  it('strips a folder around the class folders, skips dot files', () => {
    const images = imageLayout(
      [
        { path: 'digits/', folder: true },
        { path: 'digits/0/a.png' },
        { path: 'digits/1/b.png' },
        { path: 'digits/.DS_Store' },
        { path: '__MACOSX/digits/0/._a.png' },
      ],
      'digits.zip',
      limits,
    );
    expect(images).to.deep.equal([
      { path: 'digits/0/a.png', className: '0', size: undefined },
      { path: 'digits/1/b.png', className: '1', size: undefined },
    ]);
  });

  it('names the entry that breaks it', async () => {
    const cases: [string[], string][] = [
      [['a/x.png', '../b/y.png'], 'z: ../b/y.png: a path that leaves the archive'],
      [['a/x.png', '/b/y.png'], 'z: /b/y.png: a path that leaves the archive'],
      [['a/x.png', 'b/y.png', 'top.png'], 'z: top.png: a file beside the class folders'],
      [['a/x.png', 'b/y.png', 'c/'], 'z: c/: an empty class folder'],
      [['a/x.png', 'a/y.png'], 'z: one class folder ("a"): expected at least two'],
      [['a/x.png', 'b/c/y.png', 'b/z.png'], 'z: b/c/y.png: nested too deep'],
    ];
    for (const [paths, message] of cases) {
      const entries = paths.map((path) => ({ path, folder: path.endsWith('/') }));
      const e = await caught(() => imageLayout(entries, 'z', limits));
      expect(e.message.startsWith(message), e.message).to.equal(true);
    }
    const many = await caught(() =>
      imageLayout([{ path: 'a/x.png' }, { path: 'b/y.png' }, { path: 'b/z.png' }], 'z', {
        maxFiles: 2,
        maxBytes: 1000,
      }),
    );
    expect(many.reason).to.equal('too-many-files');
    const big = await caught(() =>
      imageLayout(
        [
          { path: 'a/x.png', size: 600 },
          { path: 'b/y.png', size: 600 },
        ],
        'z',
        limits,
      ),
    );
    expect(big.message).to.equal(
      'z: b/y.png: 1200 bytes of images up to here, over the budget of 1000 bytes',
    );
  });
});

describe('images: the browser decoder and readDataFile (components/data)', () => {
  it('decodes a PNG made by the canvas: its pixels, RGBA', async () => {
    const blob = await pngBlob(4, 3, '#ffffff', '#ff0000', [1, 1, 2, 1]);
    const head = new Uint8Array(await blob.arrayBuffer());
    expect(pngSize(head)).to.deep.equal({ width: 4, height: 3 });
    const { width, height, pixels } = await decodeImage(blob, 'drop', 'a/x.png', 100);
    expect([width, height]).to.deep.equal([4, 3]);
    expect(Array.from(pixels.subarray(0, 4))).to.deep.equal([255, 255, 255, 255]);
    const red = (1 * 4 + 1) * 4;
    expect(Array.from(pixels.subarray(red, red + 4))).to.deep.equal([255, 0, 0, 255]);
    const big = await caught(() => decodeImage(blob, 'drop', 'a/x.png', 11));
    expect(big.message).to.equal(
      'drop: a/x.png: 4 × 3 = 12 pixels, over the limit of 11 pixels an image',
    );
    const text = await caught(() => decodeImage(new Blob(['hello']), 'drop', 'a/t.png', 100));
    expect(text.message.startsWith('drop: a/t.png: not an image this browser can decode')).to.equal(
      true,
    );
  });

  it('reads a zip of class folders, and the same files dropped as a folder', async () => {
    const bar = async (horizontal: boolean) =>
      new Uint8Array(
        await (
          await pngBlob(8, 8, '#ffffff', '#000000', horizontal ? [0, 3, 8, 2] : [3, 0, 2, 8])
        ).arrayBuffer(),
      );
    const entries = {
      'bars/horizontal/0.png': await bar(true),
      'bars/horizontal/1.png': await bar(true),
      'bars/vertical/0.png': await bar(false),
    };
    const zip = file([zipSync(entries) as Uint8Array<ArrayBuffer>], 'bars.zip');
    const options = { grid: { width: 4, height: 4 }, invert: true };
    const fromZip = await readDataFile(zip, options);
    expect(fromZip.classNames).to.deep.equal(['horizontal', 'vertical']);
    expect(fromZip.shape).to.deep.equal({ width: 4, height: 4 });
    expect(Array.from(fromZip.labels)).to.deep.equal([0, 0, 1]);
    // Inverted: the horizontal bar (rows 3 and 4) is bright in grid rows 1 and 2, half each.
    expect(Array.from(fromZip.inputs.subarray(0, 16))).to.deep.equal([
      0, 0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0, 0, 0,
    ]);
    const dropped = Object.entries(entries).map(([path, bytes]) => ({
      path,
      file: file([bytes as Uint8Array<ArrayBuffer>], path.split('/').pop()!, 'image/png'),
    }));
    const fromDrop = await readDataFile(dropped, options);
    expect(Array.from(fromDrop.inputs)).to.deep.equal(Array.from(fromZip.inputs));

    const badDrop = [...dropped, { path: 'bars/vertical/1.png', file: file(['no'], '1.png') }];
    const e = await caught(() => readDataFile(badDrop, options));
    expect(
      e.message.startsWith('bars: bars/vertical/1.png: not an image this browser can decode'),
    ).to.equal(true);
    const over = await caught(() => readDataFile(zip, { maxBytes: 100 }));
    expect(over.reason).to.equal('too-large');
    expect(over.message.startsWith('bars.zip: ')).to.equal(true);
  });

  it('reads the committed fixtures: shapes.zip and the shapes folder dropped give the same rows', async () => {
    const root = '/test/fixtures/images/';
    const zip = file([await (await fetch(`${root}shapes.zip`)).arrayBuffer()], 'shapes.zip');
    const options = { grid: { width: 6, height: 6 }, invert: true };
    const fromZip = await readDataFile(zip, options);
    expect(fromZip.count).to.equal(24);
    expect(fromZip.classNames).to.deep.equal(['diagonal', 'horizontal', 'vertical']);
    const dropped = [];
    for (const c of fromZip.classNames) {
      for (let k = 0; k < 8; k++) {
        const path = `shapes/${c}/${k}.png`;
        const blob = await (await fetch(`${root}${path}`)).blob();
        dropped.push({ path, file: file([blob], `${k}.png`, 'image/png') });
      }
    }
    const fromDrop = await readDataFile(dropped, options);
    expect(Array.from(fromDrop.inputs)).to.deep.equal(Array.from(fromZip.inputs));
    expect(Array.from(fromDrop.labels)).to.deep.equal(Array.from(fromZip.labels));
    // A horizontal bar (rows 2 to 4 of 12: grid rows 1 and 2): bright rows, even columns.
    const h = fromZip.inputs.subarray(8 * 36, 9 * 36);
    const sum = (f: (k: number) => number) => Array.from({ length: 6 }, (_, k) => f(k));
    const rows = sum((r) => h.subarray(r * 6, r * 6 + 6).reduce((a, b) => a + b, 0));
    const columns = sum((c) => sum((r) => h[r * 6 + c]).reduce((a, b) => a + b, 0));
    expect(rows[1]).to.be.greaterThan(2.5);
    expect(rows[2]).to.be.greaterThan(2.5);
    for (const r of [0, 3, 4, 5]) expect(rows[r]).to.be.lessThan(1);
    for (const c of columns) expect(c).to.be.within(1.2, 1.6);
    // The values pngjs gives in Node (src/data/images-node.ts on the same zip): the browser's
    // decoder reads the same pixels.
    expect(h[0]).to.be.closeTo(0.14862746, 1e-6);
    expect(rows[1]).to.be.closeTo(2.875098, 1e-5);
  });

  it('dispatches CSV and JSON by extension or type; refuses one image or an unknown file', async () => {
    const csv = file(['a,b,label\n1,2,x\n3,4,y\n'], 'points.csv');
    const fromCsv = await readDataFile(csv);
    expect(fromCsv.classNames).to.deep.equal(['x', 'y']);
    expect(fromCsv.shape).to.equal(undefined);
    const labelFirst = await readDataFile(file(['k,a\np,1\nq,2\n'], 'p.csv'), { label: 'k' });
    expect(labelFirst.featureNames).to.deep.equal(['a']);
    const json = file(['[{"x":[1],"label":0},{"x":[2],"label":1}]'], 'data', 'application/json');
    expect(dataKind(json)).to.equal('json');
    expect((await readDataFile(json)).count).to.equal(2);
    const bad = await caught(() => readDataFile(file(['a,b\n1,x\n2'], 'p.csv')));
    expect(bad.file).to.equal('p.csv');
    const big = await caught(() => readDataFile(csv, { maxBytes: 10 }));
    expect(big.message).to.equal('points.csv: 22 bytes, over the budget of 10 bytes');
    const one = await caught(() => readDataFile(file([new Uint8Array(4)], 'x.png', 'image/png')));
    expect(one.reason).to.equal('classes');
    const unknown = await caught(() => readDataFile(file(['?'], 'notes.txt')));
    expect(unknown.message).to.equal(
      'notes.txt: not a data file (expected .csv, .json, .zip, or a folder of class folders of images)',
    );
  });
});
