// The demo gallery as a visitor uses it: every page of the built gallery (`vite build` writes
// dist/demo) served by `vite preview`, opened in headless Chromium, clicked, drawn on and
// linked to. Any console error, uncaught exception, failed request or HTTP error fails the test.
// Functions given to page.evaluate and waitForFunction run in the page:
/* global document, location, fetch, HTMLAnchorElement */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BASE, useGallery, waitReady } from './browser.mjs';

const gallery = useGallery();

/** Opens `path`; `check()` fails on anything the page reported, then closes it. */
async function open(path) {
  const page = await gallery.browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
  await page.goto(`${BASE}${path}`, { waitUntil: 'load' });
  const check = async () => {
    assert.deepEqual(problems, [], `${path} reported problems`);
    await page.close();
  };
  return { page, check };
}

const text = (page, selector) => page.$eval(selector, (el) => el.textContent.trim());
const query = (page) => new URL(page.url()).searchParams;
const shadowTick = (page) => text(page, 'pc-network >>> [data-field="tick"]');

test('the index lists the demos, each with its thumbnail', async () => {
  const { page, check } = await open('');
  const links = await page.$$eval('.gallery a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, [
    './01-hello/',
    './02-shallow/',
    './03-deep/',
    './04-mnist/',
    './05-how-it-works/',
    './06-own-data/',
    './07-open-questions/',
  ]);
  await page.waitForFunction(() =>
    [...document.images].every((img) => img.complete && img.naturalWidth > 0),
  );
  await check();
});

test('01-hello: step, clamp a node by click, and the link restores the clamp', async () => {
  const { page, check } = await open('01-hello/');
  await waitReady(page);
  await page.click('pc-network >>> button::-p-text(Pause)');
  // Back to the resting state, whatever autoplay ran before the pause (a node far from 0 would
  // be clamped at its value, not at 1): tick 0, every node at 0.
  await page.click('pc-network >>> button::-p-text(Reset)');
  await page.waitForFunction(() => {
    const el = document.querySelector('pc-network').shadowRoot;
    return el.querySelector('[data-field="tick"]').textContent.trim() === '0';
  });
  const before = Number(await shadowTick(page));
  await page.click('pc-network >>> button::-p-text(Step 1)');
  await page.waitForFunction(
    (t) => {
      const el = document.querySelector('pc-network').shadowRoot;
      return Number(el.querySelector('[data-field="tick"]').textContent) === t + 1;
    },
    {},
    before,
  );
  await page.click('pc-network >>> circle.x[data-layer="0"][data-index="2"]');
  await page.waitForFunction(() => location.search.includes('clamps=0.2:1'));
  const link = page.url();
  await check();

  const again = await open(link.slice(BASE.length));
  await waitReady(again.page);
  // The restored clamp shows once the worker's first snapshot after it has been drawn.
  await again.page.evaluate(() => document.querySelector('pc-network').updateComplete);
  const label = await again.page.$eval(
    'pc-network >>> circle.x[data-layer="0"][data-index="2"]',
    (c) => c.getAttribute('aria-label'),
  );
  assert.match(label, /clamped/);
  await again.check();
});

test('02-shallow: samples spread without decay and collapse with it', async () => {
  const { page, check } = await open('02-shallow/');
  await waitReady(page);
  const spread = Number(await text(page, '#spread'));
  assert.ok(spread > 0.3, `no decay: spread along the line ${spread}`);
  assert.ok((await page.$$('#plot rect')).length >= 300, 'the 300 samples are drawn');
  await page.click('#decay');
  await page.waitForFunction(() => location.search.includes('decay=1'));
  await waitReady(page);
  const collapsed = Number(await text(page, '#spread'));
  assert.ok(collapsed < 0.01, `decay: spread along the line ${collapsed}`);
  assert.equal(query(page).get('lx'), '0.05');
  await page.click('pc-network >>> .classes button[data-class="1"]');
  await page.waitForFunction(() => location.search.includes('clamps=1.0:0,1.1:1'));
  await page.click('pc-network >>> button::-p-text(Step 1)');
  await check();
});

test('03-deep: both networks train and Table 2 fills in beside the paper', async () => {
  const { page, check } = await open('03-deep/');
  await waitReady(page, 90_000);
  const cells = await page.$$eval('#table2 tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].slice(1).map((td) => Number(td.textContent))),
  );
  const [decay, , noDecay] = cells;
  assert.ok(decay[1] > 0 && decay[1] < 1, `decay avg ${decay[1]}`);
  assert.ok(noDecay[1] > 2 * decay[1], `no-decay avg ${noDecay[1]} vs decay ${decay[1]}`);
  const table1 = await page.$$eval('#table1 tbody td', (tds) => tds.map((td) => td.textContent));
  assert.ok(!table1.includes('–'), 'Table 1 is complete');
  assert.ok((await page.$$('#plot-decay path')).length >= 9, 'E4 samples drawn as stars');
  await page.select('#view', 'all');
  assert.equal(query(page).get('view'), 'all');
  await check();
});

test('04-mnist: draw a digit to classify, press a class to generate, train and cancel', async () => {
  const { page, check } = await open('04-mnist/?gs=2');
  await waitReady(page, 60_000);
  const notice = await text(page, '#notice');
  assert.match(notice, /^Trained networks, shipped with the element/);
  const canvas = await page.$('pc-network >>> canvas[data-draw]');
  await canvas.scrollIntoView();
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.52, box.y + box.height * 0.8, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('digit')?.length > 10);
  assert.equal(query(page).get('mode'), 'classify');
  await page.waitForFunction(() => Number(document.querySelector('pc-network').snapshot.tick) > 5, {
    timeout: 10_000,
  });
  await page.click('.digit-buttons button[data-class="3"]');
  await page.waitForFunction(() => location.search.includes('cls=3'));
  assert.equal(query(page).get('mode'), 'generate');
  if (notice.includes('classifier')) {
    // The shipped classifier (784-300-10) replaces the pair's network in the element.
    await page.select('#net', 'classifier');
    await page.waitForFunction(() => document.querySelector('pc-network').spec.layers[1] === 300);
    assert.equal(query(page).get('net'), 'classifier');
  }
  await page.$eval('#train-panel', (details) => (details.open = true));
  await page.click('#train');
  await page.waitForFunction(() => document.getElementById('status').textContent.includes('%'), {
    timeout: 20_000,
  });
  await page.click('#cancel');
  await page.waitForFunction(() =>
    document.getElementById('status').textContent.includes('cancelled'),
  );
  await check();
});

test('05-how-it-works: one tick by the equations equals one tick of the network', async () => {
  const { page, check } = await open('05-how-it-works/');
  await waitReady(page);
  for (let i = 0; i < 3; i++) {
    await page.click('#step');
    await page.waitForFunction(() => document.getElementById('check').textContent.includes('✓'));
  }
  await page.click('#neurons button:nth-child(3)');
  assert.equal(query(page).get('sel'), '1.0');
  await page.click('#step');
  await page.waitForFunction(() => document.getElementById('check').textContent.includes('✓'));
  await page.click('pc-network >>> circle.x[data-layer="1"][data-index="0"]');
  await page.waitForFunction(() => location.search.includes('clamps=1.0:'));
  const link = page.url();
  await check();

  const again = await open(link.slice(BASE.length));
  await waitReady(again.page);
  const pressed = await text(again.page, '#neurons button[aria-pressed="true"]');
  assert.match(pressed, /x\(2\)1/);
  assert.match(await text(again.page, '#where'), /held/i);
  await again.check();
});

/** Page 06's two networks: the mean distance of their samples to the class means. */
const distances = (page) =>
  page.$$eval('#fig-decay, #fig-nodecay', (figs) => figs.map((f) => Number(f.dataset.distance)));

test('06-own-data: drawn points go into the link; both networks train, cancel, and generate', async () => {
  // An empty plot (`p=`): nothing to train until points are drawn.
  const { page, check } = await open('06-own-data/?p=');
  await waitReady(page);
  assert.match(await text(page, '#status'), /at least two classes/);
  const canvas = await page.$('#draw');
  // Where on the plot, scrolled into view (a click on a button may scroll the page back).
  const plot = async () => {
    await canvas.scrollIntoView();
    const box = await canvas.boundingBox();
    return (x, y) => [box.x + box.width * x, box.y + box.height * y];
  };
  let at = await plot();
  for (const [x, y] of [
    [0.25, 0.7],
    [0.3, 0.75],
    [0.22, 0.78],
    [0.28, 0.66],
    [0.33, 0.7],
  ]) {
    await page.mouse.click(...at(x, y));
  }
  await page.click('.classes button[data-class="1"]');
  at = await plot();
  await page.mouse.move(...at(0.65, 0.3));
  await page.mouse.down();
  await page.mouse.move(...at(0.8, 0.25), { steps: 8 });
  await page.mouse.move(...at(0.72, 0.35), { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('p').includes('.'));
  const groups = (await query(page).get('p')).split('.');
  assert.equal(groups.length, 2, 'two classes in the link');
  assert.equal(groups[0].length, 5 * 3, 'five taps, three characters a point');
  assert.ok(groups[1].length >= 3 * 3, `a drag adds points: ${groups[1]}`);
  assert.equal(query(page).get('cls'), '1');

  await page.click('#train');
  await page.waitForFunction(() => !document.querySelector('main').hasAttribute('data-ready'));
  await page.click('#cancel');
  await page.waitForFunction(() => document.getElementById('status').textContent === 'Cancelled.');
  await waitReady(page);

  await page.click('#train');
  await page.waitForFunction(() => !document.querySelector('main').hasAttribute('data-ready'));
  await waitReady(page, 20_000);
  // Decay's samples land on the class, no decay's spread along a line.
  const [d, n] = await distances(page);
  assert.ok(d < 0.5 * n, `on the drawn points: decay ${d} vs no decay ${n}`);
  assert.match(await text(page, '#out-decay'), /of 100$/);

  // Download: the drawn points as CSV.
  const csv = await page.evaluate(async () => {
    let href = '';
    HTMLAnchorElement.prototype.click = function () {
      href = this.href;
    };
    document.getElementById('download').click();
    return (await fetch(href)).text();
  });
  assert.equal(csv.trim().split('\n')[0], 'x,y,label');
  assert.equal(csv.trim().split('\n').length, 1 + (groups[0].length + groups[1].length) / 3);

  // A file: Iris (4 features, 3 classes) on its principal components, which it then trains on;
  // a bad file is reported and changes nothing.
  const file = await page.$('#file');
  await file.uploadFile(fileURLToPath(new URL('../fixtures/iris.csv', import.meta.url)));
  await page.waitForFunction(() =>
    document.getElementById('data-note').textContent.includes('150 rows'),
  );
  const iris = query(page).get('p');
  assert.deepEqual(
    iris.split('.').map((g) => g.length / 3),
    [50, 50, 50],
  );
  await file.uploadFile(fileURLToPath(new URL('../fixtures/bad/after-quote.csv', import.meta.url)));
  await page.waitForFunction(() =>
    document.getElementById('data-note').textContent.includes('Not loaded'),
  );
  assert.match(await text(page, '#data-note'), /after-quote\.csv: row 2, column 3/);
  assert.equal(query(page).get('p'), iris, 'the data shown is kept');
  await check();
});

test('07-open-questions: the committed studies drawn, the front labelled by λ, each answer given', async () => {
  const { page, check } = await open('07-open-questions/');
  await waitReady(page);
  const labels = await page.$$eval('#pareto-chart svg text.label', (ts) =>
    ts.map((t) => t.textContent),
  );
  assert.deepEqual(labels, ['λ = 0', 'λ = 0.005', 'λ = 0.01', 'λ = 0.02', 'λ = 0.05', 'λ = 0.1']);
  assert.ok((await page.$$('#taper-chart svg circle')).length >= 3 + 6);
  assert.match(await text(page, '#pareto-answer'), /λ = 0 to λ = 0\.1/);
  assert.match(await text(page, '#taper-answer'), /taper/i);
  for (const id of ['#constrained-body', '#adversarial-body']) {
    assert.ok((await text(page, id)).length > 0, `${id} is empty`);
  }
  await check();
});
