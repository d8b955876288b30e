// Each gallery page's embed snippet works as written beside the published bundle. The text of
// every `.snippet` on pages 01 to 06 of the built gallery (with the data files a page shows beside it) (`vite build` writes dist/demo, served
// by `vite preview`) is written, as it is, into index.html of an empty folder beside a copy of
// dist/bundle/ (`npm run build:lib`), served from its own origin, and opened: every
// <pc-network> upgrades, shows no error, sends no pc-error, and one that autoplays moves.
// Functions given to page.evaluate and waitForFunction run in the page:
/* global document, window, customElements */
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BASE, launchBrowser, PAGES, startPreview } from './browser.mjs';
import { serveFolder } from './static-server.mjs';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(repo, 'dist', 'bundle');
const GALLERY = PAGES.filter((p) => p.path !== '');

let preview;
let browser;
const folders = [];

before(async () => {
  if (!existsSync(join(bundle, 'pc-network.js'))) {
    throw new Error('dist/bundle/pc-network.js is missing: run `npm run build:lib` first');
  }
  preview = await startPreview();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await preview?.stop();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/**
 * The decoded text of every `.snippet` on a gallery page, and the files it shows beside it
 * (`.snippet-file[data-file]`: a data file the snippet names, written beside it as shown).
 */
async function snippetsOf(path) {
  const page = await browser.newPage();
  try {
    await page.goto(`${BASE}${path}`, { waitUntil: 'load' });
    const snippets = await page.$$eval('.snippet', (els) => els.map((el) => el.textContent));
    const files = await page.$$eval('.snippet-file', (els) =>
      els.map((el) => ({ name: el.dataset.file, text: el.textContent })),
    );
    return { snippets, files };
  } finally {
    await page.close();
  }
}

// 07-open-questions embeds no element (it charts result files the CLI wrote): no snippet.
test('07-open-questions shows no snippet and no <pc-network>', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${BASE}07-open-questions/`, { waitUntil: 'load' });
    assert.equal(await page.$$eval('.snippet, pc-network', (els) => els.length), 0);
  } finally {
    await page.close();
  }
});

for (const { path, name } of GALLERY.filter((p) => p.name !== '07-open-questions')) {
  test(`${name}: its snippet works as written beside dist/bundle/`, async () => {
    const { snippets, files } = await snippetsOf(path);
    assert.equal(snippets.length, 1, `${name} shows one .snippet`);
    const [snippet] = snippets;
    assert.match(snippet, /<script type="module" src="\.\/pc-network\.js"><\/script>/);
    assert.doesNotMatch(snippet, /\.\.\/|\.ts\b/, 'no path into this repository');
    assert.match(snippet, /<pc-network\b/);

    const site = mkdtempSync(join(tmpdir(), `pc-network-snippet-${name}-`));
    folders.push(site);
    cpSync(bundle, site, { recursive: true });
    writeFileSync(join(site, 'index.html'), snippet);
    for (const file of files) {
      assert.match(file.name, /^[\w.-]+$/, 'a file beside the page');
      writeFileSync(join(site, file.name), file.text);
    }
    const server = await serveFolder(site, { favicon: true });
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on(
      'response',
      (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`),
    );
    await page.evaluateOnNewDocument(() => {
      window.pcErrors = [];
      window.pcData = [];
      window.addEventListener('pc-error', (e) => window.pcErrors.push(e.detail.message));
      window.addEventListener('pc-data', (e) => window.pcData.push(e.detail));
    });
    try {
      await page.goto(server.base, { waitUntil: 'load' });
      await page.evaluate(() => customElements.whenDefined('pc-network'));
      const elements = await page.evaluate(() =>
        [...document.querySelectorAll('pc-network')].map((el) => ({
          upgraded: !!el.shadowRoot,
          autoplay: el.hasAttribute('autoplay'),
        })),
      );
      assert.ok(elements.length > 0, 'the snippet has a <pc-network>');
      for (const el of elements) assert.ok(el.upgraded, 'each <pc-network> upgrades');
      const playing = elements.map((el, i) => (el.autoplay ? i : -1)).filter((i) => i >= 0);
      if (playing.length > 0) {
        const ticks = await page.evaluate(() =>
          [...document.querySelectorAll('pc-network')].map((el) => el.snapshot.tick),
        );
        await page.waitForFunction(
          (indices, start) => {
            if (window.pcErrors.length > 0) return true;
            const els = document.querySelectorAll('pc-network');
            return indices.every((i) => els[i].snapshot.tick > start[i]);
          },
          { timeout: 20_000 },
          playing,
          ticks,
        );
      }
      // An element given `data` reads it (a file shown beside the snippet).
      const reading = await page.evaluate(
        () => document.querySelectorAll('pc-network[data]').length,
      );
      if (reading > 0) {
        await page.waitForFunction(
          (n) => window.pcErrors.length > 0 || window.pcData.length >= n,
          { timeout: 20_000 },
          reading,
        );
      }
      assert.deepEqual(await page.evaluate(() => window.pcErrors), [], 'no pc-error');
      const errors = await page.evaluate(() =>
        [...document.querySelectorAll('pc-network')].map(
          (el) => el.shadowRoot.querySelector('[part=error]')?.textContent ?? null,
        ),
      );
      assert.deepEqual(
        errors.filter((e) => e !== null),
        [],
        'no [part=error]',
      );
      assert.deepEqual(problems, [], `${name}'s snippet reported problems`);
    } finally {
      await page.close();
      await server.close();
    }
  });
}
