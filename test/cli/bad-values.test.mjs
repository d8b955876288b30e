// Every bad value on the `pcnet` command line is a usage error, found before any work starts:
// exit status 2, one line naming the flag and the value, then the usage (issue 13).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;
const mnistWeights = new URL(
  '../../components/pc-network/weights/mnist-decay.safetensors',
  import.meta.url,
).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pcnet-bad-'));
const out = join(dir, 'x.safetensors');
const run = (...args) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
const train = (...more) => ['train', '--preset', 'deep-10-5-3', '--out', out, ...more];

/** Runs `args`, expects a usage error whose first line matches `line`, and no output file. */
function usageError(args, line) {
  const r = run(...args);
  assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const [first, blank, usage] = r.stderr.split('\n');
  assert.match(first, line, args.join(' '));
  assert.equal(blank, '');
  assert.equal(usage, 'usage:');
  assert.equal(r.stdout, '', `${args.join(' ')} printed ${r.stdout}`);
  assert.ok(!r.stderr.includes('% ('), `${args.join(' ')} started work`);
  assert.ok(!existsSync(out), `${args.join(' ')} wrote ${out}`);
}

test('a bad network value names its flag and the value', () => {
  const cases = [
    [train('--tau', '0'), /^pcnet: --tau must be a finite number greater than 0, got 0$/],
    [train('--dt=-1'), /^pcnet: --dt must be a finite number greater than 0, got -1$/],
    [train('--nu', '1,2'), /^pcnet: --nu must be one number or one per layer \(3\), got 2 values$/],
    [
      train('--nu', '1,-1,1'),
      /^pcnet: --nu value 2 must be a finite number greater than 0, got -1$/,
    ],
    [train('--activation', 'foo'), /^pcnet: --activation must be one of .*relu, got "foo"$/],
    [train('--seed', '1.5'), /^pcnet: --seed must be an integer from 0 to 4294967295, got 1.5$/],
    [train('--lambda-m=-5'), /^pcnet: --lambda-m must be a finite number at least 0, got -5$/],
    [train('--lambda-x', '-5'), /^pcnet: --lambda-x must be a finite number at least 0, got -5$/],
    [['train', '--layers', '3-0', '--out', out], /^pcnet: --layers must be 2 or more .*"3-0"$/],
    [['reproduce', 'E1', '--seed', '-1'], /^pcnet: --seed must be an integer from 0 to/],
  ];
  for (const [args, line] of cases) usageError(args, line);
});

test('a bad count or length is refused before training, not run for ever or ignored', () => {
  const cases = [
    [train('--batch', '0'), /^pcnet: --batch must be an integer from 1 to 65536, got 0$/],
    [train('--epochs', '0'), /^pcnet: --epochs must be an integer from 1 to 10000, got 0$/],
    [train('--epochs', '-3'), /^pcnet: --epochs must be an integer from 1 to 10000, got -3$/],
    [
      train('--epochs', '1e9'),
      /^pcnet: --epochs must be an integer from 1 to 10000, got 1000000000$/,
    ],
    [train('--hold=-1'), /^pcnet: --hold must be a finite number greater than 0 and at most 3600/],
    [train('--samples', '0'), /^pcnet: --samples must be an integer from 1 to 1000000, got 0$/],
    [
      train('--method', 'accelerated', '--iterations', '1e6'),
      /^pcnet: --iterations must be an integer from 1 to 10000, got 1000000$/,
    ],
    [
      ['generate', '--weights', mnistWeights, '--class', '1', '--seconds', '1e9'],
      /^pcnet: --seconds must be a finite number greater than 0 and at most 3600, got 1000000000$/,
    ],
    [
      ['generate', '--weights', mnistWeights, '--class', '1', '--tau', '0'],
      /^pcnet: --tau must be a finite number greater than 0, got 0$/,
    ],
    [
      ['generate', '--weights', mnistWeights, '--class', '10'],
      /^pcnet: --class must be an integer from 0 to 9, got 10$/,
    ],
    [
      ['generate', '--weights', mnistWeights, '--class', '1', '--init-std=-1'],
      /^pcnet: --init-std must be a finite number at least 0, got -1$/,
    ],
    [['reproduce', 'E4', '--workers', '65'], /^pcnet: --workers must be an integer from 0 to 64/],
  ];
  for (const [args, line] of cases) usageError(args, line);
});

test('evaluate --dt=-1 is refused before MNIST loads', () => {
  const start = Date.now();
  usageError(
    ['evaluate', '--weights', mnistWeights, '--dt=-1'],
    /^pcnet: --dt must be a finite number greater than 0, got -1$/,
  );
  assert.ok(Date.now() - start < 20_000);
  usageError(
    ['evaluate', '--weights', mnistWeights, '--seconds', '1e9'],
    /^pcnet: --seconds must be .* at most 3600, got 1000000000$/,
  );
});

test('an output path that cannot be written is refused before training', () => {
  const missing = join(dir, 'no-such-folder', 'x.safetensors');
  const r = run('train', '--preset', 'deep-10-5-3', '--out', missing);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr.split('\n')[0], /^pcnet: --out: cannot write ".*no-such-folder.*" \(/);
  assert.ok(!r.stderr.includes('% ('), 'training started');
  const folder = run('train', '--preset', 'deep-10-5-3', '--out', dir);
  assert.equal(folder.status, 2, folder.stderr);
  assert.match(folder.stderr.split('\n')[0], /^pcnet: --out: cannot write .*\(it is a folder\)$/);
});

test('the usage text documents every bound it checks', () => {
  const r = run('help');
  assert.equal(r.status, 0);
  for (const text of [
    '--tau V',
    '> 0',
    '--seed V',
    '0 to 4294967295',
    '--epochs         1 to 10000',
    '--seconds        > 0, ≤ 3600',
    '--hold           > 0, ≤ 3600',
    '--samples        1 to 1000000',
    '--batch          1 to 65536',
  ]) {
    assert.ok(r.stdout.includes(text), `usage lacks "${text}"`);
  }
});
