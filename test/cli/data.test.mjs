// `pcnet` on a data file the user brings (issue 15): train on the Iris CSV whose label column
// is not the last, evaluate on the held-back split, generate by class name; the bad-file corpus
// of test/fixtures/bad/ through the CLI.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;
const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pcnet-data-'));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

const irisFirst = join(fixtures, 'iris-species-first.csv');
const weights = join(dir, 'iris.safetensors');
/** The README's Iris protocol: the accelerated method, 4-8-3 tanh, ν(3) = 10, 200 epochs. */
const IRIS = [
  ...['train', '--data', irisFirst, '--label', 'species', '--test-fraction', '0.2'],
  ...['--method', 'accelerated', '--layers', '4-8-3', '--nu', '1,1,10', '--epochs', '200'],
  ...['--learning-rate', '0.01', '--lr-decay', '1', '--batch', '10', '--seed', '1'],
];

test('Iris, label column first: trains, then evaluates at 90% or more on the held-back rows', () => {
  const t = run(...IRIS, '--out', weights, '--json');
  assert.equal(t.status, 0, t.stderr);
  const summary = JSON.parse(t.stdout);
  assert.equal(summary.layers, '4-8-3');
  assert.deepEqual(summary.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(summary.rows, { train: 120, test: 30 });
  assert.ok(summary.testAccuracy >= 0.9, `train's test accuracy ${summary.testAccuracy}`);

  const header = readHeader(weights);
  const meta = JSON.parse(header.__metadata__.dataset);
  assert.equal(meta.label, 'species');
  assert.deepEqual(meta.featureNames, [
    'sepal_length',
    'sepal_width',
    'petal_length',
    'petal_width',
  ]);
  assert.deepEqual([meta.scaling.lo, meta.scaling.hi], [-1, 1]);

  const e = run('evaluate', '--weights', weights, '--data', irisFirst, '--json');
  assert.equal(e.status, 0, e.stderr);
  const report = JSON.parse(e.stdout);
  assert.equal(report.split, 'test');
  assert.equal(report.rows, 30);
  assert.ok(report.results.accuracy >= 0.9, `test accuracy ${report.results.accuracy}`);
  assert.equal(report.results.accuracy, summary.testAccuracy);
  const confusion = report.results.confusion;
  assert.deepEqual(
    confusion.map((row) => row.reduce((a, b) => a + b)),
    [10, 10, 10],
  );
  const right = confusion.reduce((sum, row, k) => sum + row[k], 0);
  assert.equal(right / 30, report.results.accuracy);
  assert.equal(report.results.cosine.length, 3);

  // The same rows with the label last are the same file to the network: the same split.
  const last = run(
    'evaluate',
    '--weights',
    weights,
    '--data',
    join(fixtures, 'iris.csv'),
    '--json',
  );
  assert.equal(last.status, 0, last.stderr);
  assert.equal(JSON.parse(last.stdout).results.accuracy, report.results.accuracy);
  const all = run('evaluate', '--weights', weights, '--data', irisFirst, '--split', 'all');
  assert.equal(all.status, 0, all.stderr);
  assert.match(all.stdout, /\(all, 150 rows\): accuracy \d+\.\d\d%\nconfusion/);

  const g = run('generate', '--weights', weights, '--class', 'virginica', '--json');
  assert.equal(g.status, 0, g.stderr);
  const generated = JSON.parse(g.stdout);
  assert.equal(generated.class, 2);
  assert.equal(generated.className, 'virginica');
  assert.deepEqual(Object.keys(generated.features), meta.featureNames);
  assert.equal(run('generate', '--weights', weights, '--class', '1', '--json').status, 0);

  // classify scales raw measurements as the train split was scaled.
  const input = join(dir, 'flowers.json');
  writeFileSync(
    input,
    JSON.stringify([
      [5.1, 3.5, 1.4, 0.2],
      [6.3, 3.3, 6.0, 2.5],
    ]),
  );
  const c = run('classify', '--weights', weights, '--input', input, '--json');
  assert.equal(c.status, 0, c.stderr);
  assert.deepEqual(
    JSON.parse(c.stdout).map((r) => r.className),
    ['setosa', 'virginica'],
  );
});

test('a JSON data file trains too, with the default layers inputs-2×inputs-classes', () => {
  const rows = readFileSync(join(fixtures, 'iris.csv'), 'utf8').trim().split('\n').slice(1);
  const items = rows.map((line) => {
    const cells = line.split(',');
    return { x: cells.slice(0, 4).map(Number), label: cells[4] };
  });
  const file = join(dir, 'iris.json');
  writeFileSync(file, JSON.stringify(items));
  const out = join(dir, 'iris-json.safetensors');
  const t = run('train', '--data', file, '--epochs', '1', '--out', out, '--json');
  assert.equal(t.status, 0, t.stderr);
  assert.equal(JSON.parse(t.stdout).layers, '4-8-3');
});

test('bad values of the data flags are usage errors naming the flag and the value', () => {
  const out = join(dir, 'x.safetensors');
  const iris = join(fixtures, 'iris.csv');
  for (const [args, first] of [
    [
      ['train', '--data', irisFirst, '--label', 'kind', '--out', out],
      /^pcnet: --label must name a column of .*iris-species-first\.csv, got "kind" \(.*no column named "kind" for the label \(columns: species, sepal_length, sepal_width, petal_length, petal_width\)\)$/,
    ],
    [
      ['train', '--data', iris, '--test-fraction', '1', '--out', out],
      /^pcnet: --test-fraction must be .*, got 1$/,
    ],
    [
      ['train', '--data', iris, '--test-fraction', 'half', '--out', out],
      /^pcnet: --test-fraction must be a number, got "half"$/,
    ],
    [
      ['train', '--data', iris, '--layers', '4-8-2', '--out', out],
      /^pcnet: .*iris\.csv has 4 inputs and 3 classes; layers are 4-8-2$/,
    ],
    [
      ['train', '--data', iris, '--preset', 'deep-10-5-3', '--out', out],
      /^pcnet: --data FILE trains a network of its own: give --layers, not --preset$/,
    ],
    [
      ['train', '--data', 'iris.txt', '--layers', '4-3', '--out', out],
      /^pcnet: --data must be synthetic, mnist or a \.csv or \.json file, got "iris\.txt"$/,
    ],
    [
      ['train', '--layers', '10-5-3', '--label', 'x', '--out', out],
      /^pcnet: --label and --test-fraction are for --data FILE\.csv\|FILE\.json$/,
    ],
    [
      ['generate', '--weights', weights, '--class', 'rose'],
      /^pcnet: --class must be one of "setosa", "versicolor", "virginica" or an integer from 0 to 2, got "rose"$/,
    ],
    [
      ['generate', '--weights', weights, '--class', '3'],
      /^pcnet: --class must be an integer from 0 to 2, got 3$/,
    ],
    [
      ['evaluate', '--weights', weights, '--data', iris, '--split', 'half'],
      /^pcnet: --split must be test, train or all, got "half"$/,
    ],
  ]) {
    const r = run(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    const [line] = r.stderr.split('\n');
    assert.match(line, first);
    assert.match(r.stderr, /usage:/);
  }
});

test('every bad file of the corpus: exit status 1, one line naming the file, row, column', () => {
  const expected = JSON.parse(readFileSync(join(fixtures, 'bad', 'expected.json'), 'utf8'));
  assert.ok(expected.length > 20);
  for (const { file, message, prefix } of expected) {
    const path = join(fixtures, 'bad', file);
    const r = run('train', '--data', path, '--out', join(dir, 'bad.safetensors'));
    assert.equal(r.status, 1, `${file}: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    const want = `pcnet: ${path}: ${message}`;
    if (prefix) assert.ok(lines[0].startsWith(want), lines[0]);
    else assert.equal(lines[0], want);
    assert.equal(lines.length, 1, r.stderr);
  }
  const missing = run('train', '--data', join(dir, 'none.csv'), '--out', join(dir, 'x'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^pcnet: cannot read data file .*none\.csv: ENOENT/);
});

function readHeader(path) {
  const bytes = readFileSync(path);
  const length = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
}
