// `pcnet reproduce --shard I/N --out FILE` and `pcnet merge`: the parts of a run, merged, are the
// unsharded run to the last digit (`seconds` aside: the sum of the parts'), and every way a set
// of parts can be wrong is refused with one line naming the file.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pcnet-shard-'));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

/** Runs `args`, expecting success, and returns its stdout. */
function ok(...args) {
  const r = run(...args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const made = new Map();

/** The parts 1/n … n/n of `experiment --quick`, as file paths (each made once). */
function shards(experiment, n) {
  const key = `${experiment}-${n}`;
  if (!made.has(key)) {
    const parts = Array.from({ length: n }, (_, i) => {
      const out = join(dir, `${experiment}-${i + 1}-of-${n}.json`);
      ok('reproduce', experiment, '--quick', '--shard', `${i + 1}/${n}`, '--out', out);
      return out;
    });
    made.set(key, parts);
  }
  return [...made.get(key)];
}

const wholes = new Map();

/** `reproduce experiment --quick --json`, parsed (each run once). */
function whole(experiment) {
  if (!wholes.has(experiment)) {
    wholes.set(experiment, ok('reproduce', experiment, '--quick', '--json'));
  }
  return JSON.parse(wholes.get(experiment));
}

const withoutSeconds = ({ seconds, ...rest }) => {
  assert.equal(typeof seconds, 'number');
  return rest;
};

/** The merge of `parts` equals `whole` in every field but `seconds`, the sum of the parts'. */
function assertMergeEquals(whole, parts) {
  const merged = JSON.parse(ok('merge', ...parts, '--json'));
  assert.deepEqual(withoutSeconds(merged), withoutSeconds(whole));
  const sum = parts.reduce((s, p) => s + JSON.parse(readFileSync(p, 'utf8')).seconds, 0);
  assert.equal(merged.seconds, sum);
}

test('E4 --quick in 2 and in 3 shards, merged, is the unsharded run bit for bit', () => {
  assertMergeEquals(whole('E4'), shards('E4', 2));
  // In any order on the command line.
  assertMergeEquals(whole('E4'), shards('E4', 3).reverse());
});

test('E1 --quick in 2 shards (its two networks), merged, is the unsharded run', () => {
  assertMergeEquals(whole('E1'), shards('E1', 2));
});

test('a shard file carries the raw results, the settings, its index and a version', () => {
  const [first] = shards('E1', 2);
  const file = JSON.parse(readFileSync(first, 'utf8'));
  assert.equal(file.format, 'pcnet-shard');
  assert.equal(file.version, 1);
  assert.equal(file.experiment, 'E1');
  assert.deepEqual(file.shard, { index: 1, count: 2 });
  assert.deepEqual(file.units, { total: 2, first: 1, last: 1 });
  assert.equal(file.settings.seed, 1);
  assert.equal(file.results.length, 1);
  assert.equal(file.results[0].name, 'nondecay network');
  assert.equal(typeof file.results[0].result.spreadAlongNullSpace, 'number');
});

/** Exit status `status`, the first line of stderr naming `what` (a flag or a file). */
function assertRefused(args, status, what, problem) {
  const r = run(...args);
  assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
  const [line] = r.stderr.split('\n');
  assert.match(line, /^pcnet: /, args.join(' '));
  assert.ok(line.includes(what), `${line} names ${what}`);
  assert.match(line, problem, line);
}

test('bad --shard and --out are usage errors naming the flag and the value', () => {
  const out = join(dir, 'bad.json');
  for (const value of ['0/2', '3/2', '1/x', '-1/2']) {
    assertRefused(
      ['reproduce', 'E4', '--quick', '--shard', value, '--out', out],
      2,
      value,
      /--shard/,
    );
  }
  // E1 has two networks.
  assertRefused(['reproduce', 'E1', '--shard', '1/3', '--out', out], 2, '1/3', /at most 2/);
  assertRefused(['reproduce', 'E4', '--shard', '1/2'], 2, '--shard', /--out/);
  const nowhere = join(dir, 'no-such-folder', 'part.json');
  assertRefused(['reproduce', 'E4', '--shard', '1/2', '--out', nowhere], 2, nowhere, /--out/);
  assertRefused(['reproduce', 'E4', '--quick', '--out', out, '--json'], 2, '--json', /merge/);
});

test('merge refuses missing, duplicate and foreign parts, and files that are no shards', () => {
  const [a, b] = shards('E4', 2);
  const [e1] = shards('E1', 2);
  const edited = (name, change, from = a) => {
    const file = JSON.parse(readFileSync(from, 'utf8'));
    change(file);
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(file));
    return path;
  };
  const otherSeed = edited('seed.json', (f) => (f.options.seed = 2));
  // Both parts of a run whose settings are not this pcnet's for its options.
  const oldA = edited('old-1.json', (f) => (f.settings.epochs = 5));
  const oldB = edited('old-2.json', (f) => (f.settings.epochs = 5), b);
  const otherSettings = edited('settings.json', (f) => (f.settings.epochs = 5));
  const otherVersion = edited('pcnet.json', (f) => (f.pcnet = '0.0.1'));
  const otherCount = edited('count.json', (f) => (f.shard = { index: 1, count: 3 }));
  const newerFormat = edited('format.json', (f) => (f.version = 99));
  const report = join(dir, 'report.json');
  writeFileSync(report, JSON.stringify(whole('E1')));
  const text = join(dir, 'text.json');
  writeFileSync(text, 'not json at all');

  assertRefused(['merge', a], 2, a, /shard 2\/2 is missing/);
  assertRefused(['merge', a, b, a], 2, a, /again/);
  assertRefused(['merge', a, e1], 2, e1, /experiment/);
  assertRefused(['merge', otherSeed, b], 2, b, /options/);
  assertRefused(['merge', a, otherVersion], 2, otherVersion, /pcnet version/);
  assertRefused(['merge', a, otherCount], 2, otherCount, /shard count/);
  assertRefused(['merge'], 2, 'merge', /shard files/);
  // A file that is no shard file this pcnet reads is a failed run (exit status 1).
  assertRefused(['merge', a, otherSettings], 2, otherSettings, /settings/);
  assertRefused(['merge', oldA, oldB], 1, oldA, /settings are not this pcnet's/);
  assertRefused(['merge', a, report], 1, report, /not a shard file/);
  assertRefused(['merge', a, text], 1, text, /not a shard file/);
  assertRefused(['merge', newerFormat, b], 1, newerFormat, /version 99/);
  const missing = join(dir, 'missing.json');
  assertRefused(['merge', a, missing], 1, missing, /cannot read/);
});
