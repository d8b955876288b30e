// The `pcnet` CLI, run as a user runs it: plain `node` on the built bundle (npm run build:cli).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Buffer } from 'node:buffer';
import { inflateSync } from 'node:zlib';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pcnet-'));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('bad arguments print a one-line error and the usage, exit status 2', () => {
  for (const args of [
    ['reproduce', 'E9'],
    ['frobnicate'],
    ['train', '--layers', '3-0', '--out', 'x'],
    ['reproduce', 'E1', '--seed', 'abc'],
    ['reproduce', 'E1', '--epochs', '2'],
    ['reproduce', 'E7', '--epochs', '0'],
    ['reproduce', 'E4', '--images', join(dir, 'e4.png')],
    ['reproduce', 'E5', '--images', join(dir, 'no-such-folder', 'e5.png')],
    ['evaluate', '--weights', 'x', '--images', join(dir, 'no-such-folder', 'x.png')],
    ['train', '--preset', 'deep-10-5-3', '--method', 'fast', '--out', 'x'],
    ['train', '--preset', 'deep-10-5-3', '--nu', '1,x,1', '--out', 'x'],
    ['train', '--preset', 'deep-10-5-3', '--input-clamp', 'glue', '--out', 'x'],
    [
      'train',
      '--preset',
      'deep-10-5-3',
      '--method',
      'accelerated',
      '--optimizer',
      'rms',
      '--out',
      'x',
    ],
    [
      'train',
      '--preset',
      'deep-10-5-3',
      '--method',
      'accelerated',
      '--iterations',
      '0',
      '--out',
      'x',
    ],
  ]) {
    const r = run(...args);
    assert.equal(r.status, 2, args.join(' '));
    const [first] = r.stderr.split('\n');
    assert.match(first, /^pcnet: /);
    assert.match(r.stderr, /usage:/);
  }
});

test('train, classify and generate make the engine usable without code', () => {
  const weights = join(dir, 'deep.safetensors');
  const t = run('train', '--preset', 'deep-10-5-3', '--epochs', '2', '--out', weights, '--json');
  assert.equal(t.status, 0, t.stderr);
  const summary = JSON.parse(t.stdout);
  assert.equal(summary.layers, '10-5-3');
  assert.ok(summary.trainAccuracy > 0.9, `training accuracy ${summary.trainAccuracy}`);
  const bytes = readFileSync(weights);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
  assert.deepEqual(header['M.0'].shape, [5, 10]);
  assert.deepEqual(header['W.1'].shape, [5, 3]);

  const input = join(dir, 'input.json');
  writeFileSync(input, JSON.stringify([[1, 0, 0, 0, 0, 0, 0, 0, 0, 0], Array(10).fill(0.5)]));
  const c = run('classify', '--weights', weights, '--input', input, '--json');
  assert.equal(c.status, 0, c.stderr);
  const results = JSON.parse(c.stdout);
  assert.equal(results.length, 2);
  assert.equal(results[0].output.length, 3);

  const g = run('generate', '--weights', weights, '--class', '2', '--seconds', '2', '--json');
  assert.equal(g.status, 0, g.stderr);
  const gen = JSON.parse(g.stdout);
  assert.equal(gen.input.length, 10);
  assert.ok(gen.input.every(Number.isFinite));

  const bad = run('generate', '--weights', input, '--class', '1');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^pcnet: weights file: /);
});

test('reproduce E3 --quick --json: activity decay collapses the spread by orders of magnitude', () => {
  const r = run('reproduce', 'E3', '--quick', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(report.results), Object.keys(report.paper));
  for (const [name, row] of Object.entries(report.results)) {
    assert.ok(row.noDecay > 0.6 && row.noDecay < 1.0, `${name} no decay ${row.noDecay}`);
    assert.ok(row.decay < row.noDecay / 1000, `${name} decay ${row.decay}`);
  }
});

test('reproduce E4 --quick: two worker threads give the same numbers as one', () => {
  const results = ['1', '2'].map((w) => {
    const r = run('reproduce', 'E4', '--quick', '--json', '--workers', w);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout);
  });
  assert.deepEqual(results[0].results, results[1].results);
  assert.equal(results[1].settings.workers, 2);
  assert.ok(results[0].results.decay.avg < results[0].results.noDecay.avg / 5);
});

test('train --method accelerated: section 2.2 with Adam, as E7, learns MNIST digits', () => {
  const weights = join(dir, 'classifier.safetensors');
  const args = ['train', '--layers', '784-40-10', '--activation', 'tanh', '--data', 'mnist'];
  const more = ['--samples', '600', '--method', 'accelerated', '--nu', '1,1,10', '--tied'];
  const r = run(
    ...args,
    ...more,
    '--epochs',
    '3',
    '--iterations',
    '20',
    '--out',
    weights,
    '--json',
  );
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.method, 'accelerated');
  assert.equal(summary.layers, '784-40-10');
  assert.deepEqual(summary.relaxGuard, { rate: 0.1, halvings: 0 });
  assert.ok(summary.trainAccuracy > 0.6, `training accuracy ${summary.trainAccuracy}`); // chance 0.1
  const header = JSON.parse(
    readFileSync(weights).subarray(8, 8 + Number(readFileSync(weights).readBigUInt64LE(0))),
  );
  assert.deepEqual(header['M.0'].shape, [40, 784]);
  // x(1) held at the input, as the accelerated method held it while training.
  assert.equal(JSON.parse(header.__metadata__.spec).inputClamp, 'hold');
});

test('reproduce E7 --quick: both networks learn, one test accuracy per epoch, the settings said', () => {
  const r = run('reproduce', 'E7', '--quick', '--epochs', '2', '--workers', '2', '--json');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.settings.epochs, 2);
  assert.equal(report.settings.optimizer, 'adam');
  for (const key of ['noDecay', 'decay']) {
    const curve = report.extra.accuracyByEpoch[key];
    assert.equal(curve.length, 2);
    assert.ok(curve[1] > 0.7, `${key} accuracy ${curve}`); // chance is 0.1
  }
  assert.equal(report.results.accuracy, report.extra.accuracyByEpoch.noDecay[1]);
  // The CLI turns on relaxed SIMD (a flag in Node 20), and the pool's workers see it.
  assert.deepEqual(report.extra.kernels, {
    noDecay: 'wasm-relaxed-simd',
    decay: 'wasm-relaxed-simd',
  });
  assert.equal(report.settings.learningRateDecay, 0.85);
});

/** An 8-bit greyscale PNG's size and pixels (what `--images` writes: filter 0 on every row). */
function readPng(path) {
  const bytes = readFileSync(path);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let width = 0;
  let height = 0;
  const idat = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.deepEqual([...data.subarray(8)], [8, 0, 0, 0, 0]); // 8-bit grey
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, height * (width + 1));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width + 1)], 0);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, pixels };
}

/** The 28 × 28 cell of row r, column c of a digit sheet (2-pixel gaps). */
function cell({ width, pixels }, r, c) {
  const out = [];
  for (let y = 0; y < 28; y++) {
    const at = (2 + r * 30 + y) * width + 2 + c * 30;
    out.push(...pixels.subarray(at, at + 28));
  }
  return out;
}

test('reproduce E5 --images and evaluate --images: class means above the generated digits', () => {
  const sheet = join(dir, 'e5.png');
  const r = run('reproduce', 'E5', '--quick', '--epochs', '1', '--workers', '0', '--images', sheet);
  assert.equal(r.status, 0, r.stderr);
  const png = readPng(sheet);
  assert.deepEqual([png.width, png.height], [302, 92]); // 10 digits × 3 rows, 2-pixel gaps
  assert.equal(png.pixels[0], 0x40);
  for (let row = 0; row < 3; row++) {
    for (let k = 0; k < 10; k++) {
      const c = cell(png, row, k);
      // Each digit scaled to its own range: its smallest value black, its largest white.
      assert.equal(Math.min(...c), 0, `row ${row} digit ${k}`);
      assert.equal(Math.max(...c), 255, `row ${row} digit ${k}`);
    }
  }
  const ink = (c) => c.filter((v) => v > 128).length;
  // The mean 1 is a thin stroke, the mean 0 a wide ring.
  assert.ok(ink(cell(png, 0, 1)) < ink(cell(png, 0, 0)) / 2);

  const weights = new URL(
    '../../components/pc-network/weights/mnist-decay.safetensors',
    import.meta.url,
  );
  const digits = join(dir, 'evaluate.png');
  const e = run(
    'evaluate',
    '--weights',
    weights.pathname,
    '--seconds',
    '2',
    '--dt',
    '0.01',
    '--images',
    digits,
  );
  assert.equal(e.status, 0, e.stderr);
  const two = readPng(digits);
  assert.deepEqual([two.width, two.height], [302, 62]);
  assert.deepEqual(cell(two, 0, 3).length, 784);
  assert.notDeepEqual(cell(two, 1, 3), cell(two, 1, 4));
});
