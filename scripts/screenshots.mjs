/**
 * Screenshots of every demo page and of the API reference: at 1280 × 900 into
 * docs/screenshots/NN-name.png, and as a 390 × 844 phone with touch (deviceScaleFactor 1) into
 * docs/screenshots/NN-name-390.png, the whole page in both; and a 400 × 300 thumbnail of each into demo/thumbnails/ for the gallery index. Expects `dist/demo`
 * from `vite build`; serves it with `vite preview` and waits for each page to settle (its
 * `<main data-ready>`, then a moment for the last frames).
 *
 *     npx vite build && node scripts/screenshots.mjs [02 03 …]   # only the pages named so
 */
import { mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { BASE, launchBrowser, PAGES, startPreview, waitReady } from '../test/e2e/browser.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));
const shots = `${repo}docs/screenshots/`;
const thumbs = `${repo}demo/thumbnails/`;
mkdirSync(shots, { recursive: true });
mkdirSync(thumbs, { recursive: true });

/**
 * 400 × 300 of the page's `[data-thumbnail]` element (its most telling part): a 4:3 clip from
 * its top-left corner, as wide as the element (at most the viewport).
 */
async function thumbnail(page, path) {
  const target = await page.$('[data-thumbnail]');
  const box = (await target?.boundingBox()) ?? { x: 0, y: 0, width: 1200 };
  const width = Math.min(1280, box.width);
  const y = box.y + (await page.evaluate(() => globalThis.scrollY));
  await page.screenshot({
    path,
    captureBeyondViewport: true,
    clip: { x: box.x, y, width, height: (width * 3) / 4, scale: 400 / width },
  });
}

/** The desktop and the phone: each page is taken in both. */
const VIEWPORTS = [
  { suffix: '', viewport: { width: 1280, height: 900 } },
  {
    suffix: '-390',
    viewport: { width: 390, height: 844, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
  },
];

const preview = await startPreview();
const browser = await launchBrowser();
try {
  const only = process.argv.slice(2);
  for (const { path, name } of [...PAGES, { path: 'api/', name: 'api-reference' }]) {
    if (only.length > 0 && !only.some((o) => name.includes(o))) continue;
    for (const { suffix, viewport } of VIEWPORTS) {
      const page = await browser.newPage();
      await page.setViewport(viewport);
      page.on('pageerror', (e) => console.error(`${name}: ${e.message}`));
      await page.goto(`${BASE}${path}`, { waitUntil: 'load' });
      if (name !== 'api-reference') await waitReady(page, 300_000);
      await sleep(1500);
      await page.screenshot({ path: `${shots}${name}${suffix}.png`, fullPage: true });
      if (suffix === '' && path !== '' && name !== 'api-reference') {
        await thumbnail(page, `${thumbs}${name}.png`);
      }
      console.log(`docs/screenshots/${name}${suffix}.png`);
      await page.close();
    }
  }
} finally {
  await browser.close();
  await preview.stop();
}
