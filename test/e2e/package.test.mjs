// The package as its users get it. Expects `npm run build:lib` (`npm run test:e2e` runs it).
// The tarball that `npm pack` makes is unpacked into a scratch project beside symlinks to the
// dependencies; from there it is imported in Node, bundled by Vite (the trained networks
// emitted as assets and loaded by their presets), type-checked by tsc, and the single-file
// bundle runs in a plain page with no build step. Pages open in headless
// Chromium; any console error, uncaught exception, failed request or HTTP error fails a test.
// Functions given to page.evaluate and waitForFunction run in the page:
/* global document, window */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { launchBrowser } from './browser.mjs';
import { serveFolder } from './static-server.mjs';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const ELEMENT = '<pc-network layers="10-5-3" activation="tanh" mode="generate"></pc-network>';

let scratch; // a user's project: node_modules/pc-network unpacked from the tarball
let packed; // the paths in the tarball
let sizes; // path -> bytes, in the tarball
let browser;

before(async () => {
  for (const file of [
    'dist/lib/index.js',
    'dist/bundle/pc-network.js',
    'dist/custom-elements.json',
  ]) {
    if (!existsSync(join(repo, file))) throw new Error(`${file} is missing: run npm run build:lib`);
  }
  scratch = mkdtempSync(join(tmpdir(), 'pc-network-package-'));
  // --ignore-scripts: `prepare` rebuilds the CLI and kernels, which the package test does not need.
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch],
    { cwd: repo, shell: process.platform === 'win32' },
  );
  const [info] = JSON.parse(stdout);
  packed = info.files.map((f) => f.path);
  sizes = new Map(info.files.map((f) => [f.path, f.size]));
  const home = join(scratch, 'node_modules', 'pc-network');
  mkdirSync(home, { recursive: true });
  await run('tar', ['-xzf', join(scratch, info.filename), '-C', home, '--strip-components=1']);
  for (const name of Object.keys(pkg.dependencies)) {
    mkdirSync(dirname(join(scratch, 'node_modules', name)), { recursive: true }); // @scope/
    symlinkSync(join(repo, 'node_modules', name), join(scratch, 'node_modules', name), 'junction');
  }
  writeFileSync(join(scratch, 'package.json'), '{ "type": "module", "private": true }\n');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Opens `url`, recording what the page requests and its workers; `check()` fails on problems. */
async function open(url) {
  const page = await browser.newPage();
  const problems = [];
  const requests = [];
  const workers = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  page.on('workercreated', (w) => workers.push(w.url()));
  await page.goto(url, { waitUntil: 'load' });
  const check = async () => {
    assert.deepEqual(problems, [], `${url} reported problems`);
    await page.close();
  };
  return { page, requests, workers, check };
}

/** The 18 nodes of 10-5-3 are drawn; Step 1 advances the tick shown by one. */
async function stepsOnce(page) {
  await page.waitForFunction(
    () => document.querySelector('pc-network')?.shadowRoot?.querySelectorAll('circle.x').length,
    { timeout: 60_000 },
  );
  const nodes = await page.$$eval('pc-network >>> svg.nodes circle.x', (cs) => cs.length);
  assert.equal(nodes, 18, 'one SVG node per neuron of 10-5-3');
  const tick = () =>
    page.$eval('pc-network >>> [data-field="tick"]', (el) => Number(el.textContent));
  const start = await tick();
  await page.click('pc-network >>> button::-p-text(Step 1)');
  await page.waitForFunction(
    (t) =>
      Number(
        document.querySelector('pc-network').shadowRoot.querySelector('[data-field="tick"]')
          .textContent,
      ) ===
      t + 1,
    { timeout: 30_000 },
    start,
  );
}

/** The job pool's worker runs a job: `source` is the module's URL or `window.<name>`. */
async function poolDoubles(page, source) {
  const result = await page.evaluate(async (source) => {
    const lib = source.startsWith('window.') ? window[source.slice(7)] : await import(source);
    const pool = lib.createBrowserPool({ size: 1 });
    try {
      return await pool.run('test:double', [21]);
    } finally {
      pool.terminate();
    }
  }, source);
  assert.deepEqual(result, [42]);
}

/** The node `<pc-network>` of the manifest. */
function manifestElement(manifest) {
  const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
  return declarations.find((d) => d.customElement && d.tagName === 'pc-network');
}

test('npm pack ships the entry points, the bundle, the types and the manifest; no tests', () => {
  for (const file of [
    'package.json',
    'README.md',
    'dist/lib/index.js',
    'dist/lib/define.js',
    'dist/lib/simulation.worker.js',
    'dist/lib/job.worker.js',
    'dist/bundle/pc-network.js',
    'dist/bundle/pc-network.js.map',
    'dist/bundle/weights/mnist-decay.safetensors',
    'dist/bundle/weights/mnist-nodecay.safetensors',
    'dist/bundle/weights/mnist-classifier.safetensors',
    'dist/types/index.d.ts',
    'dist/types/src/index.d.ts',
    'dist/types/components/index.d.ts',
    'dist/types/components/define.d.ts',
    'dist/custom-elements.json',
    pkg.bin.pcnet,
  ]) {
    assert.ok(packed.includes(file), `${file} is in the package`);
  }
  const unwanted = packed.filter((f) => /(^|\/)(test|demo|bench)\/|\.test\.|\.ts$/.test(f));
  assert.deepEqual(
    unwanted.filter((f) => !f.endsWith('.d.ts')),
    [],
    'no tests, demos, benchmarks or sources',
  );
  // The trained networks ship once (dist/lib's chunks find them in ../bundle/weights/).
  const weights = packed.filter((f) => f.endsWith('.safetensors'));
  assert.deepEqual(
    weights.map((f) => f.replace(/[^/]*$/, '')),
    Array(3).fill('dist/bundle/weights/'),
  );
  const bytes = weights.reduce((sum, f) => sum + sizes.get(f), 0);
  assert.ok(bytes <= 10 * 1024 * 1024, `the trained networks are ${bytes} bytes, over 10 MiB`);
});

test('exports names the entry points and the manifest, and each file it names ships', () => {
  assert.deepEqual(Object.keys(pkg.exports), [
    '.',
    './define',
    './bundle',
    './custom-elements.json',
  ]);
  const targets = [pkg.main, pkg.types, pkg.customElements];
  for (const target of Object.values(pkg.exports)) {
    targets.push(...(typeof target === 'string' ? [target] : Object.values(target)));
  }
  for (const target of targets) {
    assert.ok(packed.includes(target.replace(/^\.\//, '')), `${target} is in the package`);
  }
});

test('`.` in Node: the engine runs, and no element is defined until `./define`', async () => {
  // A fresh process, in the user's project: `pc-network` resolves through "exports".
  const script = `
    const lib = await import('pc-network');
    const defined = () => globalThis.customElements?.get('pc-network');
    const afterIndex = defined() === undefined;
    const ticks = new lib.Network({ layers: '10-5-3', activation: 'tanh', mode: 'generate' }).step(5).ticks;
    await import('pc-network/define');
    console.log(JSON.stringify({ afterIndex, ticks, afterDefine: defined() === lib.PcNetwork }));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: scratch,
  });
  // lit's Node build brings a `customElements` of its own, so `./define` can run in Node too.
  assert.deepEqual(JSON.parse(stdout), { afterIndex: true, ticks: 5, afterDefine: true });
});

test('a plain page runs dist/bundle/pc-network.js with one module script and no build step', async () => {
  const server = await serveFolder(repo);
  try {
    const { page, requests, workers, check } = await open(`${server.base}test/e2e/no-build.html`);
    await stepsOnce(page);
    assert.deepEqual(
      requests.filter((url) => !url.startsWith('blob:')),
      [`${server.base}test/e2e/no-build.html`, `${server.base}dist/bundle/pc-network.js`],
      'one file: the page and the bundle',
    );
    assert.ok(
      workers.some((url) => url.startsWith('blob:')),
      `the simulation runs in a worker inlined as a blob: URL (${workers})`,
    );
    await poolDoubles(page, '/dist/bundle/pc-network.js');
    assert.equal(workers.filter((url) => url.startsWith('blob:')).length, 2, 'and the pool');
    // Every CSS part the element renders is documented in the manifest.
    const manifest = JSON.parse(readFileSync(join(repo, pkg.customElements), 'utf8'));
    const documented = manifestElement(manifest).cssParts.map((p) => p.name);
    const rendered = await page.$eval('pc-network', (el) => [
      ...new Set(
        [...el.shadowRoot.querySelectorAll('[part]')].flatMap((n) =>
          n.getAttribute('part').split(/\s+/),
        ),
      ),
    ]);
    assert.ok(rendered.includes('controls') && rendered.includes('nodes'), `parts: ${rendered}`);
    assert.deepEqual(
      rendered.filter((part) => !documented.includes(part)),
      [],
      'rendered parts missing from the manifest',
    );
    await check();
  } finally {
    await server.close();
  }
});

test('a Vite app: `pc-network/define` registers the tags; the trained networks are emitted', async () => {
  const app = join(scratch, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>app</title>' +
      '<link rel="icon" href="data:,"></head><body><script type="module" src="./main.js"></script></body></html>',
  );
  writeFileSync(
    join(app, 'main.js'),
    `async function main() {
      const lib = await import('pc-network');
      const before = customElements.get('pc-network');
      await import('pc-network/define');
      window.pcNetwork = lib;
      window.result = { before: before === undefined, after: customElements.get('pc-network') === lib.PcNetwork };
      document.body.insertAdjacentHTML('beforeend', ${JSON.stringify(ELEMENT)});
    }
    main();\n`,
  );
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: app,
    logLevel: 'warn',
    build: { outDir: join(app, 'dist'), emptyOutDir: true },
  });
  const server = await serveFolder(join(app, 'dist'));
  try {
    const { page, workers, check } = await open(server.base);
    await page.waitForFunction(() => window.result !== undefined, { timeout: 30_000 });
    assert.deepEqual(await page.evaluate(() => window.result), { before: true, after: true });
    await stepsOnce(page);
    assert.ok(
      workers.some((url) => /\/simulation\.worker-[\w-]+\.js$/.test(url)),
      `Vite emitted the simulation worker and the element started it (${workers})`,
    );
    await poolDoubles(page, 'window.pcNetwork');
    assert.ok(
      workers.some((url) => /\/job\.worker-[\w-]+\.js$/.test(url)),
      'and the pool',
    );
    // Vite found trained.ts's `new URL('../bundle/weights/…', import.meta.url)` and emitted the files.
    const emitted = readdirSync(join(app, 'dist', 'assets')).filter((f) =>
      f.endsWith('.safetensors'),
    );
    for (const name of ['mnist-decay', 'mnist-nodecay', 'mnist-classifier']) {
      assert.ok(
        emitted.some((f) => f.startsWith(`${name}-`)),
        `${name} emitted (${emitted})`,
      );
    }
    const loaded = await page.evaluate(async () => {
      const el = document.createElement('pc-network');
      el.preset = 'mnist-classifier';
      const source = await new Promise((done, fail) => {
        el.addEventListener('pc-load', (e) => done(e.detail.source));
        el.addEventListener('pc-error', (e) => fail(new Error(e.detail.message)));
        document.body.append(el);
      });
      return { source, layers: el.spec.layers.join('-'), preset: el.preset };
    });
    assert.match(loaded.source, /\/assets\/mnist-classifier-[\w-]+\.safetensors$/);
    assert.ok(loaded.source.startsWith(server.base), `from the app's origin: ${loaded.source}`);
    assert.deepEqual([loaded.layers, loaded.preset], ['784-300-10', 'mnist-classifier']);
    await check();
  } finally {
    await server.close();
  }
});

test('the declarations type-check a user file under bundler and nodenext resolution', async () => {
  writeFileSync(
    join(scratch, 'user.ts'),
    `import { Network, type PcNetwork, type PcTickDetail } from 'pc-network';
import 'pc-network/define';

const network = new Network({ layers: '10-5-3', activation: 'tanh', mode: 'generate' });
export const ticks: number = network.step(5).ticks;
const element: PcNetwork = document.createElement('pc-network');
element.layers = '10-5-3';
element.addEventListener('pc-tick', (e) => {
  const detail: PcTickDetail = e.detail;
  console.log(detail.tick);
});
// @ts-expect-error: the types are real, not any
element.layers = 3;
// @ts-expect-error: internals are not exported
export { compiledModule } from 'pc-network';
`,
  );
  const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const [module, moduleResolution] of [
    ['esnext', 'bundler'],
    ['nodenext', 'nodenext'],
  ]) {
    const config = join(scratch, `tsconfig.${moduleResolution}.json`);
    writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module,
          moduleResolution,
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['user.ts'],
      }),
    );
    const result = await run(process.execPath, [tsc, '-p', config], { cwd: scratch }).catch(
      (e) => e,
    );
    assert.equal(result.code ?? 0, 0, `tsc (${moduleResolution}):\n${result.stdout}`);
  }
});

test("the manifest lists pc-network's attributes, events, CSS parts and properties", () => {
  const file = join(scratch, 'node_modules', 'pc-network', pkg.customElements);
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(
    manifest.modules.every((m) => m.path.startsWith('components/') && !/\.test\./.test(m.path)),
  );
  const element = manifestElement(manifest);
  const names = (list) => (element[list] ?? []).map((x) => x.name);
  for (const name of ['layers', 'activation', 'mode', 'lambda-x', 'step-size', 'src']) {
    assert.ok(names('attributes').includes(name), `attribute ${name}`);
  }
  for (const name of ['layers', 'lambdaX', 'stepSize', 'step', 'play', 'pause', 'reset']) {
    assert.ok(names('members').includes(name), `member ${name}`);
  }
  const events = names('events');
  for (const name of ['pc-tick', 'pc-equilibrium', 'pc-diverged', 'pc-mode-change', 'pc-error']) {
    assert.ok(events.includes(name), `event ${name}`);
  }
  assert.ok(
    events.every((e) => e.startsWith('pc-')),
    `events are pc-*: ${events}`,
  );
  assert.ok(element.events.every((e) => e.description));
  for (const name of ['controls', 'button', 'stage', 'nodes', 'error']) {
    assert.ok(names('cssParts').includes(name), `CSS part ${name}`);
  }
  assert.ok(names('cssParts').every((p) => /^[a-z-]+$/.test(p)));
  assert.ok(names('cssProperties').includes('--pc-positive'));
  assert.ok(names('cssProperties').every((p) => p.startsWith('--pc-')));
});
