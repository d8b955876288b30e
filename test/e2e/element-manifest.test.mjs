// The custom elements manifest as the stock analyzer reads it (custom-elements-manifest.config.mjs,
// no plugins): every attribute of <pc-network> with its real default, `engine` and `target`
// listed, one CSS part and property a tag, the events of @fires only, and the trained presets
// named. Built into a temporary folder, so that dist/ is left to the build.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'pc-manifest-'));
let element;

before(() => {
  // The analyzer joins --outdir to the working folder, so it is given relative to it.
  const cli = join(root, 'node_modules/@custom-elements-manifest/analyzer/cem.js');
  execFileSync(process.execPath, [cli, 'analyze', '--outdir', relative(root, out)], {
    cwd: root,
    stdio: 'pipe',
  });
  const manifest = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8'));
  element = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .find((d) => d.tagName === 'pc-network');
});

after(() => rmSync(out, { recursive: true, force: true }));

test('every spec attribute has its real default (src/model/spec.ts), engine included', () => {
  const defaults = Object.fromEntries(element.attributes.map((a) => [a.name, a.default]));
  assert.deepEqual(
    {
      layers: defaults.layers,
      activation: defaults.activation,
      mode: defaults.mode,
      dt: defaults.dt,
      tau: defaults.tau,
      gamma: defaults.gamma,
      nu: defaults.nu,
      'lambda-x': defaults['lambda-x'],
      'lambda-m': defaults['lambda-m'],
      'lambda-w': defaults['lambda-w'],
      seed: defaults.seed,
      speed: defaults.speed,
      'step-size': defaults['step-size'],
      engine: defaults.engine,
    },
    {
      layers: '"10-5-3"',
      activation: '"identity"',
      mode: '"classify"',
      dt: '0.001',
      tau: '0.05',
      gamma: '0.1',
      nu: '1',
      'lambda-x': '0',
      'lambda-m': '0',
      'lambda-w': '0',
      seed: '1',
      speed: '200',
      'step-size': '100',
      engine: '"worker"',
    },
  );
  for (const name of ['preset', 'target', 'src', 'autoplay']) {
    assert.ok(
      element.attributes.some((a) => a.name === name),
      name,
    );
  }
  const describe = (name) => element.attributes.find((a) => a.name === name).description;
  assert.match(describe('activation'), /identity.*tanh.*logistic.*relu/);
  assert.match(describe('step-size'), /1 to 1000000/);
  assert.match(describe('preset'), /mnist-classifier/);
  assert.match(describe('preset'), /Untrained architectures.*shallow-3-2.*deep-10-5-3/s);
});

test('one CSS part and one CSS property a tag, read without a plugin', () => {
  const parts = element.cssParts.map((p) => p.name);
  assert.equal(parts.length, 17);
  for (const p of element.cssParts) assert.ok(!p.description.includes('@csspart'), p.name);
  for (const name of ['controls', 'button', 'input', 'stage', 'readout', 'file', 'data']) {
    assert.ok(parts.includes(name), name);
  }
  const properties = element.cssProperties.map((p) => p.name);
  assert.ok(properties.includes('--pc-node-size'));
  assert.ok(properties.includes('--pc-font-family'));
});

test('the events are those of @fires, with descriptions', () => {
  assert.deepEqual(element.events.map((e) => e.name).sort(), [
    'pc-clamp-change',
    'pc-data',
    'pc-diverged',
    'pc-equilibrium',
    'pc-error',
    'pc-load',
    'pc-mode-change',
    'pc-tick',
    'pc-train-end',
    'pc-train-progress',
  ]);
  for (const e of element.events) assert.ok(e.description, e.name);
});
