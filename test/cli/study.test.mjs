// `pcnet study pareto|taper --quick`: the reports' shape and sanity, the taper's constant
// schedule is pareto's network of the same λ to the last digit, and a study's shards merged are
// the unsharded study (`seconds` aside). On this thread (--workers 0): about 15 s on 2 cores.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pcnet-study-'));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

function ok(...args) {
  const r = run(...args);
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

let pareto;
const paretoQuick = () =>
  (pareto ??= JSON.parse(ok('study', 'pareto', '--quick', '--json', '--workers', '0')));

/** q dominates p: at least as good in both measures, better in one. */
const dominates = (q, p) =>
  q.accuracy >= p.accuracy &&
  q.cosine >= p.cosine &&
  (q.accuracy > p.accuracy || q.cosine > p.cosine);

function assertFront(points, front) {
  for (const p of front) {
    assert.ok(
      points.some((q) => JSON.stringify(q) === JSON.stringify(p)),
      'a front point is a point',
    );
    assert.ok(
      !points.some((q) => dominates(q, p)),
      `front point ${JSON.stringify(p)} is dominated`,
    );
  }
  for (const p of points) {
    const on = front.some((q) => JSON.stringify(q) === JSON.stringify(p));
    if (!on)
      assert.ok(
        front.some((q) => dominates(q, p)),
        `${JSON.stringify(p)} left off the front`,
      );
  }
}

function assertSane(p) {
  assert.ok(p.accuracy > 0 && p.accuracy <= 1, `accuracy ${p.accuracy}`);
  for (const c of [p.cosine, p.cosineMin, p.cosineMax]) assert.ok(c >= -1 && c <= 1, `cosine ${c}`);
  assert.ok(p.cosineMin <= p.cosine && p.cosine <= p.cosineMax);
}

test('pareto --quick: one point per λ, sane measures, a non-dominated front', () => {
  const r = paretoQuick();
  assert.equal(r.study, 'pareto');
  assert.equal(typeof r.seconds, 'number');
  assert.deepEqual(r.settings.lambdas, [0, 0.005, 0.01, 0.02, 0.05, 0.1]);
  const { points, front } = r.results;
  assert.deepEqual(
    points.map((p) => p.lambda),
    r.settings.lambdas,
  );
  points.forEach(assertSane);
  assert.ok(front.length >= 1);
  assertFront(points, front);
  // Quick, seed 1: λ = 0 gives 0.345, λ = 0.1 0.520 (margin 0.17).
  const best = Math.max(...points.filter((p) => p.lambda > 0).map((p) => p.cosine));
  assert.ok(points[0].cosine < best - 0.05, `λ = 0's cosine ${points[0].cosine}, best ${best}`);
});

test('taper --quick: three schedules from one λ0; constant is pareto’s network of that λ', () => {
  const r = JSON.parse(ok('study', 'taper', '--quick', '--json', '--workers', '0'));
  assert.equal(r.study, 'taper');
  const { points, front, tapering } = r.results;
  assert.deepEqual(
    points.map((p) => p.schedule),
    ['constant', 'linear', 'exponential'],
  );
  points.forEach(assertSane);
  assertFront(points, front);
  const constant = points[0];
  const same = paretoQuick().results.points.find((p) => p.lambda === constant.lambda);
  const { schedule, ...rest } = constant;
  assert.equal(schedule, 'constant');
  assert.deepEqual(rest, same);
  for (const t of tapering) {
    const p = points.find((q) => q.schedule === t.schedule && q.lambda === t.lambda);
    assert.equal(t.accuracyGain, p.accuracy - constant.accuracy);
    assert.equal(t.cosineGain, p.cosine - constant.cosine);
    assert.equal(t.dominatesConstant, dominates(p, constant));
  }
});

test('pareto --quick in 2 shards, merged, is the unsharded study', () => {
  const parts = [1, 2].map((i) => {
    const out = join(dir, `pareto-${i}.json`);
    ok('study', 'pareto', '--quick', '--workers', '0', '--shard', `${i}/2`, '--out', out);
    return out;
  });
  const png = join(dir, 'pareto.png');
  const merged = JSON.parse(ok('merge', ...parts, '--json', '--images', png));
  const { seconds, ...rest } = merged;
  const whole = { ...paretoQuick() };
  delete whole.seconds;
  assert.deepEqual(rest, whole);
  const sum = parts.reduce((s, p) => s + JSON.parse(readFileSync(p, 'utf8')).seconds, 0);
  assert.equal(seconds, sum);
  assert.ok(statSync(png).size > 1000);
});

test('bad study command lines exit 2 and name the bad value', () => {
  const r = run('study', 'paretto', '--quick');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /study needs one of pareto, taper.*"paretto"/);
  const s = run('study', 'pareto', '--quick', '--shard', '7/6', '--out', join(dir, 'x.json'));
  assert.equal(s.status, 2);
  assert.match(s.stderr, /--shard must be I\/N .*"7\/6"/);
});
