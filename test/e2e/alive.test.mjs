// Alive at first sight: pages 01 and 05 of the built gallery (`vite build` writes dist/demo),
// served by `vite preview`, move within a second of opening with no input at all. The element's
// snapshot (its tick and its state nodes x) changes within 1.5 s of the page being ready, and
// two screenshots of the element taken 1 s apart differ in their pixels.
// Functions given to page.evaluate and waitForFunction run in the page:
/* global document, createImageBitmap, Blob, OffscreenCanvas, atob */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BASE, useGallery, waitReady } from './browser.mjs';

const gallery = useGallery();

/** The element's tick and every x, flattened. */
const state = (page) =>
  page.evaluate(() => {
    const s = document.querySelector('pc-network').snapshot;
    return { tick: s.tick, x: s.x.flatMap((layer) => Array.from(layer)) };
  });

/** How many pixels differ between two PNG screenshots (base64), decoded in the page. */
const differingPixels = (page, a, b) =>
  page.evaluate(
    async (...pngs) => {
      const data = await Promise.all(
        pngs.map(async (base64) => {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const context = canvas.getContext('2d');
          context.drawImage(bitmap, 0, 0);
          return context.getImageData(0, 0, bitmap.width, bitmap.height);
        }),
      );
      const [p, q] = data;
      if (p.width !== q.width || p.height !== q.height) return { differ: -1, total: 0 };
      let differ = 0;
      for (let i = 0; i < p.data.length; i += 4) {
        if (
          p.data[i] !== q.data[i] ||
          p.data[i + 1] !== q.data[i + 1] ||
          p.data[i + 2] !== q.data[i + 2]
        ) {
          differ++;
        }
      }
      return { differ, total: p.width * p.height };
    },
    a,
    b,
  );

for (const path of ['01-hello/', '05-how-it-works/']) {
  test(`${path}: moves with no input, within a second`, async () => {
    const page = await gallery.browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    try {
      await page.goto(`${BASE}${path}`, { waitUntil: 'load' });
      await waitReady(page);
      const first = await state(page);
      const start = Date.now();
      let now = first;
      while (Date.now() - start < 1500) {
        await sleep(50);
        now = await state(page);
        if (now.tick > first.tick && now.x.some((v, i) => Math.abs(v - first.x[i]) > 1e-6)) break;
      }
      assert.ok(now.tick > first.tick, `${path}: tick ${first.tick} → ${now.tick} in 1.5 s`);
      assert.ok(
        now.x.some((v, i) => Math.abs(v - first.x[i]) > 1e-6),
        `${path}: some x changes in 1.5 s (ready: ${first.x.join(', ')}; then ${now.x.join(', ')})`,
      );
      assert.equal(
        await page.evaluate(() => document.querySelector('pc-network').running),
        true,
        'it plays',
      );

      const element = await page.$('pc-network');
      const a = await element.screenshot({ encoding: 'base64' });
      await sleep(1000);
      const b = await element.screenshot({ encoding: 'base64' });
      const { differ, total } = await differingPixels(page, a, b);
      assert.ok(total > 0, 'two screenshots of the same size');
      assert.ok(differ > 0, `${path}: no pixel of the element changed in 1 s`);
      console.log(`${path}: ${differ} of ${total} pixels changed in 1 s`);
      assert.deepEqual(problems, [], `${path} reported problems`);
    } finally {
      await page.close();
    }
  });
}
