// `pcnet --backend webgpu` on SwiftShader (Debian chromium's software Vulkan driver, through
// Dawn's Node bindings, the `webgpu` package): a tiny `pcnet train` on the GPU gives the same
// weights as on wasm to 1e-4 (norm-wise relative) and names the adapter; without a Vulkan
// loader it exits 1 with one line naming what is missing. Needs npm run build:cli.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const cli = new URL('../../dist/cli/pcnet.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'pcnet-webgpu-'));
const ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SWIFTSHADER = { VK_ICD_FILENAMES: ICD, LD_LIBRARY_PATH: '/usr/lib/chromium' };
const run = (env, ...args) =>
  spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });

/** The float32 tensors of a safetensors file, by name. */
function tensors(path) {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  const out = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [a, b] = t.data_offsets;
    const data = bytes.subarray(8 + n + a, 8 + n + b);
    out[name] = new Float32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  }
  return out;
}

const train = ['train', '--layers', '4-3-2', '--activation', 'tanh', '--epochs', '1'];
const small = [...train, '--hold', '0.05', '--samples', '10', '--batch', '5', '--json'];

test(
  'train --backend webgpu matches wasm to 1e-4 and names the adapter',
  {
    skip: existsSync(ICD) ? false : `${ICD} is missing (Debian's chromium package ships it)`,
  },
  () => {
    const gpuOut = join(dir, 'gpu.safetensors');
    const cpuOut = join(dir, 'cpu.safetensors');
    const g = run(SWIFTSHADER, ...small, '--out', gpuOut, '--backend', 'webgpu');
    assert.equal(g.status, 0, g.stderr);
    const c = run({}, ...small, '--out', cpuOut, '--backend', 'wasm');
    assert.equal(c.status, 0, c.stderr);
    const gs = JSON.parse(g.stdout);
    const cs = JSON.parse(c.stdout);
    assert.equal(gs.backend, 'webgpu');
    assert.equal(gs.adapter.architecture, 'swiftshader');
    assert.equal(gs.cpuEmulation, true);
    assert.match(gs.adapterName, /swiftshader/i);
    assert.equal(gs.ticks, cs.ticks);
    assert.equal(gs.trainAccuracy, cs.trainAccuracy);
    const gw = tensors(gpuOut);
    const cw = tensors(cpuOut);
    assert.deepEqual(Object.keys(gw).sort(), Object.keys(cw).sort());
    for (const [name, ref] of Object.entries(cw)) {
      const got = gw[name];
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < ref.length; i++) {
        worst = Math.max(worst, Math.abs(got[i] - ref[i]));
        scale = Math.max(scale, Math.abs(ref[i]));
      }
      assert.ok(worst <= 1e-4 * scale, `${name}: max difference ${worst} against ${scale}`);
    }
  },
);

test('--backend webgpu without a Vulkan loader exits 1 with one line naming it', () => {
  const env = { VK_ICD_FILENAMES: '', LD_LIBRARY_PATH: '' };
  const r = run(env, ...train, '--out', join(dir, 'none.safetensors'), '--backend', 'webgpu');
  if (existsSync('/usr/lib/x86_64-linux-gnu/libvulkan.so.1')) {
    // A system loader: Dawn then finds no adapter (or a real GPU); the error, if any, names it.
    if (r.status !== 0) assert.match(r.stderr, /^pcnet: WebGPU in Node: no adapter/);
    return;
  }
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(
    lines[0],
    /^pcnet: WebGPU in Node: no adapter, the Vulkan loader libvulkan\.so\.1 is missing/,
  );
  assert.match(lines[0], /VK_ICD_FILENAMES=\/usr\/lib\/chromium\/vk_swiftshader_icd\.json/);
  assert.equal(existsSync(join(dir, 'none.safetensors')), false);
});
