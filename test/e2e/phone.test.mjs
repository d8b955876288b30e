// The gallery on a phone: every page of the built gallery (`vite build` writes dist/demo) at
// 390 × 844 CSS px with touch, in headless Chromium. No page scrolls sideways; every page
// control outside <pc-network> (the element sizes its own) is a 44px target on a coarse
// pointer; and the MNIST page keeps the drawing grid and the output readout in view together.
// Functions given to page.evaluate run in the page:
/* global document, window, location, matchMedia, requestAnimationFrame, CSSMediaRule */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { BASE, PAGES, useGallery, waitReady } from './browser.mjs';

const WIDTH = 390;
const HEIGHT = 844;

const gallery = useGallery();

/**
 * Opens `path` as a phone would. Headless Chromium reports a fine pointer even with touch, so
 * the coarse pointer is emulated over CDP; `coarse` says whether that took.
 */
async function openPhone(path) {
  const page = await gallery.browser.newPage();
  await page.setViewport({
    width: WIDTH,
    height: HEIGHT,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const isCoarse = () => page.evaluate(() => matchMedia('(pointer: coarse)').matches);
  if (!(await isCoarse())) {
    const cdp = await page.createCDPSession();
    await cdp.send('Emulation.setEmulatedMedia', {
      features: [
        { name: 'pointer', value: 'coarse' },
        { name: 'hover', value: 'none' },
      ],
    });
  }
  await page.goto(`${BASE}${path}`, { waitUntil: 'load' });
  await waitReady(page, 120_000);
  return { page, coarse: await isCoarse() };
}

/** Every visible page control outside <pc-network>, with its size (closed panels opened). */
function pageControls(page) {
  return page.evaluate(() => {
    for (const d of document.querySelectorAll('main details')) {
      if (!d.closest('pc-network')) d.open = true;
    }
    return [...document.querySelectorAll('main :is(button, select, input, summary)')]
      .filter((el) => !el.closest('pc-network') && el.checkVisibility())
      .map((el) => {
        const r = el.getBoundingClientRect();
        const name = el.id || el.textContent.trim().slice(0, 20) || el.getAttribute('type');
        return { what: `${el.tagName.toLowerCase()} ${name}`, height: r.height };
      });
  });
}

/** Whether demo/demo.css asks for 44px controls under `(pointer: coarse)`. */
function hasCoarseRule(page) {
  return page.evaluate(() =>
    [...document.styleSheets].some((sheet) =>
      [...sheet.cssRules].some(
        (rule) =>
          rule instanceof CSSMediaRule &&
          rule.conditionText.includes('pointer: coarse') &&
          [...rule.cssRules].some((r) => r.style?.minHeight === '44px'),
      ),
    ),
  );
}

for (const { path, name } of PAGES) {
  test(`${name} at ${WIDTH} px: no sideways scrolling, and 44px page controls`, async () => {
    const { page, coarse } = await openPhone(path);
    const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
    assert.ok(width <= WIDTH, `${name} is ${width} px wide at a ${WIDTH} px viewport`);
    if (coarse) {
      const small = (await pageControls(page)).filter((c) => c.height < 44);
      assert.deepEqual(small, [], `${name}: controls under 44 px on a coarse pointer`);
      // Opening the panels must not widen the page either.
      const opened = await page.evaluate(() => document.scrollingElement.scrollWidth);
      assert.ok(opened <= WIDTH, `${name} is ${opened} px wide with its panels open`);
    } else {
      assert.ok(await hasCoarseRule(page), `${name}: no 44px rule under (pointer: coarse)`);
    }
    await page.close();
  });
}

test('04-mnist on a phone: the network starts on the first screen, the drawing grid and the output readout are in view together, and the readout does not cover the output nodes', async () => {
  const { page } = await openPhone('04-mnist/');
  const top = await page.$eval('pc-network', (el) => el.getBoundingClientRect().top);
  assert.ok(top < HEIGHT, `the network starts ${Math.round(top)} px down, below the first screen`);

  const seen = await page.evaluate(async () => {
    const grid = document.querySelector('pc-network').shadowRoot.querySelector('canvas[data-draw]');
    grid.scrollIntoView({ block: 'start' });
    // The readout slides back in (0.2 s) once the element's output layer has left the screen.
    await new Promise((resolve) => window.setTimeout(resolve, 500));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    const g = box(grid);
    // What a finger on the middle of the grid touches: the element, not the readout.
    const hit = document.elementFromPoint((g.left + g.right) / 2, (g.top + g.bottom) / 2);
    return {
      grid: g,
      outputs: box(document.getElementById('outputs')),
      viewport: window.innerHeight,
      hit: hit?.tagName.toLowerCase(),
    };
  });
  const inView = (b) => b.top >= -1 && b.bottom <= seen.viewport + 1;
  assert.ok(inView(seen.grid), `drawing grid out of view: ${JSON.stringify(seen.grid)}`);
  assert.ok(inView(seen.outputs), `output readout out of view: ${JSON.stringify(seen.outputs)}`);
  assert.ok(
    seen.outputs.top >= seen.grid.bottom - 1,
    `the output readout covers the drawing grid: ${JSON.stringify(seen)}`,
  );
  assert.equal(seen.hit, 'pc-network', 'a touch on the grid reaches the element');

  // The output readout does not cover the element's output nodes when they are in view.
  const nodes = await page.evaluate(async () => {
    const root = document.querySelector('pc-network').shadowRoot;
    const layers = [...root.querySelectorAll('section.layer')];
    const top = layers.reduce((a, b) => (+b.dataset.layer > +a.dataset.layer ? b : a));
    // The output layer at the bottom of the screen, where the sticky readout sits.
    top.scrollIntoView({ block: 'end' });
    await new Promise((resolve) => window.setTimeout(resolve, 500));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return [...top.querySelectorAll('circle[data-node]')].map((c) => {
      const r = c.getBoundingClientRect();
      const x = (r.left + r.right) / 2;
      const y = (r.top + r.bottom) / 2;
      const hit = document.elementFromPoint(x, y);
      return { y: Math.round(y), inView: y >= 0 && y <= window.innerHeight, hit: hit?.tagName };
    });
  });
  assert.equal(nodes.length, 10, `the output layer has ${nodes.length} nodes, not 10`);
  const covered = nodes.filter((n) => n.inView && n.hit !== 'PC-NETWORK');
  assert.ok(
    nodes.some((n) => n.inView),
    `no output node in view: ${JSON.stringify(nodes)}`,
  );
  assert.deepEqual(covered, [], 'output nodes in view but covered (by the readout)');
  await page.close();
});

test('06-own-data on a phone: a finger adds points to the link, and the page does not scroll under it', async () => {
  const { page } = await openPhone('06-own-data/?p=');
  const canvas = await page.$('#draw');
  await canvas.scrollIntoView();
  const box = await canvas.boundingBox();
  const scrolled = await page.evaluate(() => window.scrollY);
  await page.touchscreen.tap(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.touchscreen.tap(box.x + box.width * 0.6, box.y + box.height * 0.6);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('p')?.length === 6);
  // A drag draws: touch-action none keeps the page still.
  await page.touchscreen.touchStart(box.x + box.width * 0.2, box.y + box.height * 0.8);
  await page.touchscreen.touchMove(box.x + box.width * 0.5, box.y + box.height * 0.4);
  await page.touchscreen.touchMove(box.x + box.width * 0.8, box.y + box.height * 0.2);
  await page.touchscreen.touchEnd();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('p')?.length > 6);
  assert.equal(await page.evaluate(() => window.scrollY), scrolled, 'the page scrolled');
  const width = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(width <= WIDTH, `06-own-data is ${width} px wide`);
  await page.close();
});
