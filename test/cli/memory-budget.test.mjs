// `pcnet --memory-budget MIB`: a network over the budget is refused before it is built, as a
// usage error (exit status 2), naming its size and the budget. Needs npm run build:cli.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pcnet-budget-'));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('--memory-budget refuses a network that needs more, before building it (exit 2)', () => {
  const out = join(dir, 'big.safetensors');
  const t0 = Date.now();
  const r = run('train', '--layers', '20000-20000-10', '--memory-budget', '512', '--out', out);
  assert.equal(r.status, 2, r.stderr);
  const [first] = r.stderr.split('\n');
  assert.match(
    first,
    /^pcnet: layers 20000-20000-10 need 30\d\d MiB for a batch of 20; the memory budget is 512 MiB \(--memory-budget\)$/,
  );
  assert.match(r.stderr, /usage:/);
  assert.ok(Date.now() - t0 < 20_000, 'refused before 3 GB were drawn');
  assert.equal(existsSync(out), false);
});

test('--memory-budget lets a network within it run, and must be MiB above 0', () => {
  const out = join(dir, 'small.safetensors');
  const args = ['--preset', 'deep-10-5-3', '--epochs', '1', '--out', out];
  const ok = run('train', ...args, '--memory-budget', '1');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(existsSync(out), true);
  for (const bad of ['0', '-5', 'lots', '']) {
    const r = run('train', ...args, '--memory-budget', bad);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /^pcnet: --memory-budget must be a number of MiB above 0, got "/);
  }
});

test('without --memory-budget the CLI keeps to 1024 MiB: --backend js 50000-50000-2 is refused', () => {
  const out = join(dir, 'huge.safetensors');
  const r = run('train', '--backend', 'js', '--layers', '50000-50000-2', '--out', out);
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr.split('\n')[0],
    /^pcnet: layers 50000-50000-2 need 19 GiB .*; the memory budget is 1024 MiB \(the default of --memory-budget\)$/,
  );
  assert.equal(existsSync(out), false);
});

test('the pool workers keep the budget too: a job over it is refused there, with the same line', () => {
  const r = run('reproduce', 'E4', '--quick', '--workers', '2', '--memory-budget', '0.001');
  assert.notEqual(r.status, 0, 'E4 ran in the workers without the budget');
  assert.match(
    r.stderr,
    /layers 10-5-3 need .* the memory budget is 0\.001 MiB \(--memory-budget\)/,
  );
});
