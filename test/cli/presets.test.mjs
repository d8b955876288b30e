// `pcnet train --preset` for the trained presets: each trains as `npm run weights` made its
// shipped file (components/pc-network/weights/), here on a few digits for one epoch.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;
const weights = new URL('../../components/pc-network/weights/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pcnet-presets-'));
const run = (...args) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
after(() => rmSync(dir, { recursive: true, force: true }));

/** The spec in a safetensors file's header. */
function specOf(file) {
  const bytes = readFileSync(file);
  const length = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')).__metadata__.spec);
}

for (const [preset, file, method] of [
  ['mnist', 'mnist-decay', 'continuous'],
  ['mnist-nodecay', 'mnist-nodecay', 'continuous'],
  ['mnist-classifier', 'mnist-classifier', 'accelerated'],
]) {
  test(`train --preset ${preset}: the ${method} method and the spec of ${file}.safetensors`, () => {
    const out = join(dir, `${preset}.safetensors`);
    const args = ['--samples', '40', '--epochs', '1', '--hold', '0.02', '--out', out, '--json'];
    const r = run('train', '--preset', preset, ...args);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).method, method);
    assert.deepEqual(specOf(out), specOf(join(weights, `${file}.safetensors`)));
  });
}
