// `pcnet` on images (issue 15): train on test/fixtures/images/shapes (3 classes × 8 PNGs of
// 12 × 12, made by scripts/make-image-fixtures.mjs), above chance on the held-back images;
// evaluate on the same images zipped; bad folders and zips (those Node reads differently from
// the page: PNG decoding, folders on disk, zip sizes; every layout error is in
// test/data/images.test.ts): exit status 1 and one line naming it, the image inside and what
// was expected; bad flags: exit status 2.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { zipSync } from 'fflate';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;
const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const shapes = join(fixtures, 'images', 'shapes');
const shapesZip = join(fixtures, 'images', 'shapes.zip');
const dir = mkdtempSync(join(tmpdir(), 'pcnet-images-'));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const weights = join(dir, 'shapes.safetensors');
const png = readFileSync(join(shapes, 'vertical', '0.png'));

/** A 6 × 6 grid (area averages of 2 × 2 blocks), inverted (dark bars on light become bright). */
const TRAIN = [
  ...['train', '--data', shapes, '--grid', '6x6', '--invert', '--test-fraction', '0.25'],
  ...['--method', 'accelerated', '--nu', '1,1,10', '--epochs', '100', '--batch', '4'],
  ...['--learning-rate', '0.01', '--lr-decay', '1', '--seed', '1'],
];

test('a folder of PNGs: trains above chance on held-back images, evaluates on the zip', () => {
  const t = run(...TRAIN, '--out', weights, '--json');
  assert.equal(t.status, 0, t.stderr);
  const summary = JSON.parse(t.stdout);
  assert.equal(summary.layers, '36-72-3');
  assert.deepEqual(summary.classNames, ['diagonal', 'horizontal', 'vertical']);
  assert.deepEqual(summary.rows, { train: 18, test: 6 });
  // Chance is 1/3; 4 of the 6 held-back images or more.
  assert.ok(summary.testAccuracy >= 4 / 6, `test accuracy ${summary.testAccuracy}`);

  const meta = JSON.parse(readHeader(weights).__metadata__.dataset);
  assert.deepEqual(meta.shape, { width: 6, height: 6 });
  assert.deepEqual(meta.images, { grid: { width: 6, height: 6 }, invert: true });
  assert.equal(meta.featureNames[7], 'r1c1');
  // Images are scaled by one range for all pixels.
  assert.equal(new Set(meta.scaling.min).size, 1);

  // The zip holds the same images (under a folder shapes/): the same rows, so the same split.
  const e = run('evaluate', '--weights', weights, '--data', shapesZip, '--json');
  assert.equal(e.status, 0, e.stderr);
  const report = JSON.parse(e.stdout);
  assert.equal(report.split, 'test');
  assert.equal(report.rows, 6);
  assert.equal(report.results.accuracy, summary.testAccuracy);

  const g = run('generate', '--weights', weights, '--class', 'horizontal', '--json');
  assert.equal(g.status, 0, g.stderr);
});

test('bad image folders and zips: exit status 1, one line naming the file and the image', () => {
  const bad = (name, build) => {
    const root = join(dir, name);
    mkdirSync(root, { recursive: true });
    for (const c of ['a', 'b']) {
      mkdirSync(join(root, c), { recursive: true });
      writeFileSync(join(root, c, '0.png'), png);
    }
    build(root);
    return root;
  };
  const zip = (name, files) => {
    const path = join(dir, name);
    writeFileSync(path, zipSync(files, { level: 1 }));
    return path;
  };
  const huge = Buffer.from(png);
  huge.writeUInt32BE(5000, 16); // the header says 5000 × 5000; the pixels are never decoded
  huge.writeUInt32BE(5000, 20);
  const cases = [
    [
      bad('text', (r) => writeFileSync(join(r, 'b', '1.png'), 'hello, not an image\n')),
      'b/1.png: not a PNG (expected the PNG signature 89 50 4e 47 0d 0a 1a 0a, got 68 65 6c 6c 6f 2c 20 6e; Node reads PNG images only)',
    ],
    [
      bad('truncated', (r) => writeFileSync(join(r, 'a', '1.png'), png.subarray(0, 60))),
      /^a\/1\.png: a truncated PNG \(no IEND chunk at its end\); pngjs: .+$/,
    ],
    [
      bad('empty-class', (r) => mkdirSync(join(r, 'c'))),
      'c/: an empty class folder (expected at least one image in it)',
    ],
    [
      bad('too-big', (r) => writeFileSync(join(r, 'b', 'big.png'), huge)),
      'b/big.png: 5000 × 5000 = 25000000 pixels, over the limit of 16777216 pixels an image',
    ],
    [
      zip('one-class.zip', { 'a/0.png': png, 'a/1.png': png }),
      'one class folder ("a"): expected at least two',
    ],
    [
      zip('escape.zip', { 'a/0.png': png, '../b/0.png': png }),
      '../b/0.png: a path that leaves the archive (expected CLASS/IMAGE inside it)',
    ],
    [
      // A zip whose central directory says b/0.png inflates to 65 MiB: refused from the
      // directory's sizes, before anything is inflated.
      bomb(zip('bomb.zip', { 'a/0.png': png, 'b/0.png': png })),
      'b/0.png: 68157954 bytes of images up to here, over the budget of 67108864 bytes',
    ],
    [join(dir, 'not-a.zip'), /^not a readable zip archive \(.+\)$/],
  ];
  writeFileSync(join(dir, 'not-a.zip'), 'plain text\n');
  for (const [path, message] of cases) {
    const r = run('train', '--data', path, '--out', join(dir, 'bad.safetensors'));
    assert.equal(r.status, 1, `${path}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    const prefix = `pcnet: ${path}: `;
    assert.ok(lines[0].startsWith(prefix), lines[0]);
    const rest = lines[0].slice(prefix.length);
    if (typeof message === 'string') assert.equal(rest, message);
    else assert.match(rest, message);
  }
});

test('image flags: exit status 2 with the usage', () => {
  const iris = join(fixtures, 'iris-species-first.csv');
  const copy = join(dir, 'copy');
  cpSync(shapes, copy, { recursive: true });
  for (const [args, first] of [
    [
      ['train', '--data', copy, '--grid', '0x5', '--out', join(dir, 'x')],
      /^pcnet: --grid must be WxH with sides from 1 to 256 \(e\.g\. 28x28\), got "0x5"$/,
    ],
    [
      ['train', '--data', iris, '--grid', '8x8', '--out', join(dir, 'x')],
      /^pcnet: --grid and --invert are for images \(a folder or a \.zip\), not .*iris-species-first\.csv$/,
    ],
    [
      ['train', '--data', copy, '--label', 'species', '--out', join(dir, 'x')],
      /^pcnet: --label is for CSV files, not .*copy$/,
    ],
    [
      ['evaluate', '--weights', weights, '--data', iris],
      /^pcnet: .*shapes\.safetensors was trained on images; .*iris-species-first\.csv is not$/,
    ],
  ]) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.split('\n')[0], first);
    assert.match(r.stderr, /usage:/);
  }
});

/** Rewrites the last central directory entry's inflated size of the zip at `path` to 65 MiB. */
function bomb(path) {
  const bytes = readFileSync(path);
  const at = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  bytes.writeUInt32LE(65 * 2 ** 20, at + 24);
  writeFileSync(path, bytes);
  return path;
}

function readHeader(path) {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
}
