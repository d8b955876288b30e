// Issue 16, part 1: the paper's orderings in the quick protocols, decay against no decay, as a
// user runs them (`pcnet reproduce EN --quick --json` on the built CLI). Each assertion fails
// if the ordering flips; E3, E4 and E7 are checked after `npm test` by .ci/run and the paper
// tables in the README.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;

function reproduce(id) {
  const r = spawnSync(process.execPath, [cli, 'reproduce', id, '--quick', '--json'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).results;
}

test('E1: with decay the samples collapse onto the cluster; without they spread along null(M)', () => {
  const { decay, noDecay } = reproduce('E1');
  assert.ok(
    decay.spreadAlongNullSpace * 100 < noDecay.spreadAlongNullSpace,
    JSON.stringify({ decay, noDecay }),
  );
  assert.ok(decay.meanDistanceToCentroid < noDecay.meanDistanceToCentroid);
});

test('E2: decay samples land nearer their class centroid, linear and tanh', () => {
  const { decay, noDecay } = reproduce('E2');
  for (const kind of ['linear', 'tanh']) {
    assert.ok(
      decay[kind].avg < noDecay[kind].avg,
      `${kind}: ${decay[kind].avg} vs ${noDecay[kind].avg}`,
    );
    assert.ok(decay[kind].max < noDecay[kind].max, `${kind} max`);
  }
});

for (const id of ['E5', 'E6']) {
  test(`${id}: decay networks generate digits nearer the class means (cosine) than no decay`, () => {
    const { decay, noDecay } = reproduce(id);
    assert.ok(decay.avg > noDecay.avg, `avg ${decay.avg} vs ${noDecay.avg}`);
    assert.ok(decay.max > noDecay.max, `max ${decay.max} vs ${noDecay.max}`);
  });
}
