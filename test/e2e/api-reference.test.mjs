// The API reference: docs/api.md is what scripts/api-reference.mjs makes from the element's
// manifest and types now (so changing the element's docs without `npm run api` fails here), it
// names every attribute with its real default, every method, event (with a detail type), CSS
// property and part, and the gallery build carries it as api/index.html.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rangeUnit, readManifest } from '../../scripts/api-reference.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const doc = readFileSync(`${repo}docs/api.md`, 'utf8');

test('docs/api.md is up to date with the generator', () => {
  execFileSync(process.execPath, [`${repo}scripts/api-reference.mjs`, '--check'], {
    cwd: repo,
    stdio: 'pipe',
  });
});

test('docs/api.md lists every attribute with its real default, and every method, event, part', () => {
  const el = readManifest()
    .modules.flatMap((m) => m.declarations ?? [])
    .find((d) => d.tagName === 'pc-network');
  const row = (name) => doc.split('\n').find((l) => l.startsWith(`| \`${name}\``)) ?? '';
  const defaults = {
    layers: '`"10-5-3"`',
    activation: '`"identity"`',
    mode: '`"classify"`',
    dt: '`0.001`',
    tau: '`0.05`',
    gamma: '`0.1`',
    nu: '`1`',
    'lambda-x': '`0`',
    seed: '`1`',
    engine: '`"worker"`',
    'memory-budget': '`1024`',
    'step-size': '`100`',
    speed: '`200`',
  };
  for (const [name, value] of Object.entries(defaults)) {
    assert.ok(row(name).includes(value), `${name}: ${row(name)}`);
  }
  for (const a of el.attributes) assert.ok(row(a.name), `attribute ${a.name} missing`);
  for (const m of el.members.filter((m) => m.kind === 'method' && !m.privacy && !m.static)) {
    assert.ok(doc.includes(`| \`${m.name}(`), `method ${m.name} missing`);
  }
  assert.ok(el.events.length >= 7);
  for (const e of el.events)
    assert.match(row(e.name), /\| `Pc\w+Detail \{ (?:[^{}]|\{[^{}]*\})+\}` +\|/, e.name);
  for (const p of [...el.cssParts, ...el.cssProperties]) {
    assert.ok(row(p.name), `${p.name} missing`);
  }
});

test('the range and unit column reads what the descriptions state', () => {
  assert.equal(rangeUnit('The Euler step dt, in seconds; above 0.'), '> 0, s');
  assert.equal(rangeUnit('an integer from 0 to N_n − 1 that holds'), '0 to N_n − 1');
  assert.equal(rangeUnit('Ticks per second of real time; above 0.'), '> 0, ticks/s');
  assert.equal(rangeUnit('λx, activity decay; 0 or more.'), '≥ 0');
  assert.equal(rangeUnit('from 1 to 1000000, the bounds'), '1 to 1000000');
});

test('the gallery build carries the reference as api/index.html', (t) => {
  const built = `${repo}dist/demo/api/index.html`;
  if (!existsSync(`${repo}dist/demo/index.html`)) {
    t.skip('dist/demo is missing: `npm run test:e2e` builds it first');
    return;
  }
  const html = readFileSync(built, 'utf8');
  assert.match(html, /<h1>API reference<\/h1>/);
  assert.match(html, /<code>memory-budget<\/code>/);
});
