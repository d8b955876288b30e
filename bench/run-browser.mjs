// The browser half of the benchmark (`npm run bench:browser`; `npm run bench` runs it last).
// Run with `node --import tsx` (it imports the TypeScript of bench/suite.ts).
//
// Serves the repository with Vite on a localhost port, opens bench/browser.html?driven in
// headless Chromium (/usr/bin/chromium, or CHROME_PATH) through puppeteer-core, and measures
// the batchMatMul and whole-tick rows of bench/suite.ts in the page and in this Node process,
// alternately, row by row, in three passes (Node first, then the page first...), the best of each
// counting: on a shared machine whose load drifts, measuring one engine after the other would
// compare the load more than the engines. Prints the page's figures beside Node's as
// browser / Node ratios (the target: the page within 20% of Node, i.e. at least 0.8×).
//
// Options: --json (one JSON object on stdout); --passes=N (default 3); --timeout=SECONDS for
// the page to load (default 60); --serve: only serve the page (it then runs the measurements
// itself) until interrupted, to open it in another browser.
/* global window, WebAssembly, performance -- performance: Node's global; the others in page functions */
import { cpus, loadavg } from 'node:os';
import puppeteer from 'puppeteer-core';
import { startBenchServer } from './vite-server.mjs';
import { CHROMIUM_ARGS, findChromium, NO_CHROMIUM } from '../scripts/chromium.mjs';

// Node 20 validates relaxed SIMD only behind a flag; set before anything validates a module.
const { enableRelaxedSimd } = await import('../src/kernels/wasm/relaxed-node.ts');
enableRelaxedSimd();
const { jsBackend } = await import('../src/kernels/backend.ts');
const wasm = await import('../src/kernels/wasm/index.ts');
const suite = await import('./suite.ts');

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const passes = Math.max(1, Number(option('passes') ?? 3));
const timeout = Number(option('timeout') ?? 60) * 1000;
/** Each pass measures every row with these; over three passes, best of 6 rounds. */
const RACE = { seconds: 0.3, trials: 2 };
const log = (line = '') => {
  if (!json) console.log(line);
};

const FLAGS = CHROMIUM_ARGS;
const RELAXED_FLAG = '--js-flags=--experimental-wasm-relaxed-simd';
// The smallest module using f32x4.relaxed_madd (src/kernels/wasm/detect.ts).
// prettier-ignore
const RELAXED_SIMD_PROBE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 6, 1, 96, 1, 123, 1, 123, 3, 2, 1, 0, 10, 13, 1, 11, 0, 32, 0,
  32, 0, 32, 0, 253, 133, 2, 11,
];

function chromium() {
  const found = findChromium();
  if (!found) throw new Error(NO_CHROMIUM);
  return found;
}

function launch(executablePath, extra) {
  return puppeteer.launch({ executablePath, headless: true, args: [...FLAGS, ...extra] });
}

/** The rows both engines measure: [key, Node measurement, page measurement]. */
function rows(backends) {
  const list = [];
  for (const [r, c] of suite.GEMM_SHAPES) {
    for (const b of suite.GEMM_BATCHES) {
      const race = { ...RACE, maxUnits: 1e6 };
      list.push([
        () => suite.gemmRow(backends, r, c, b, race),
        (page) => page.evaluate((...a) => window.pcBench.api.gemm(...a), r, c, b, race),
      ]);
    }
  }
  for (const b of suite.TICK_BATCHES) {
    for (const m of suite.TICK_MODES) {
      const race = { ...RACE, maxUnits: 1000 };
      list.push([
        () => suite.tickRow(backends, b, m, { race }),
        (page) => page.evaluate((...a) => window.pcBench.api.tick(...a), b, m, race),
      ]);
    }
  }
  return list;
}

/** The larger figure of each backend (rates: the faster round wins). */
function best(a, b) {
  if (!a) return b;
  const figures = { ...a.figures };
  for (const [k, v] of Object.entries(b.figures)) figures[k] = Math.max(figures[k] ?? 0, v);
  return suite.makeRow(a.what, a.unit, figures);
}

async function main() {
  const started = performance.now();
  await wasm.initWasm();
  const backends = [['js', jsBackend]];
  if (wasm.wasmSimdSupported()) backends.push(['wasm-simd', wasm.wasmBackend]);
  if (wasm.relaxedSimdSupported()) backends.push(['wasm-relaxed-simd', wasm.wasmRelaxedBackend]);
  const executablePath = chromium();

  const { server, base } = await startBenchServer();
  let browser;
  try {
    if (argv.includes('--serve')) {
      console.log(`open ${new URL('bench/browser.html', base).href} (Ctrl-C to stop)`);
      await new Promise(() => {});
    }
    const url = new URL('bench/browser.html?driven', base).href;

    // Relaxed SIMD is on by default since Chrome 114; the V8 flag only where it is not.
    const extra = [];
    browser = await launch(executablePath, extra);
    const probe = await browser.newPage();
    const relaxed = await probe.evaluate(
      (bytes) => WebAssembly.validate(new Uint8Array(bytes)),
      RELAXED_SIMD_PROBE,
    );
    if (!relaxed) {
      await browser.close();
      extra.push(RELAXED_FLAG);
      browser = await launch(executablePath, extra);
    }
    const version = await browser.version();
    log(`${version} (${executablePath}), headless, flags ${[...FLAGS, ...extra].join(' ')}`);
    log(`page ${url}`);

    const page = await browser.newPage();
    const errors = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url, { waitUntil: 'load' });
    try {
      await page.waitForFunction(() => window.pcBench?.ready || window.pcBench?.done, {
        timeout,
        polling: 200,
      });
    } catch (e) {
      throw new Error(`the page did not start: ${e.message}\n${errors.join('\n')}`);
    }
    const error = await page.evaluate(() => window.pcBench.error);
    if (error) throw new Error(`the page failed: ${error}`);
    const info = await page.evaluate(() => window.pcBench.api.info());
    log(`page: ${info.userAgent}`);
    log(
      `Node ${process.version} and the page, ${cpus().length} cores × ${cpus()[0]?.model.trim()}; ` +
        `single thread; rows alternate between the two, ${passes} passes, the best counting`,
    );

    const load = [loadavg()[0]];
    const list = rows(backends);
    const nodeRows = [];
    const pageRows = [];
    for (let p = 0; p < passes; p++) {
      log(`pass ${p + 1} of ${passes}...`);
      for (const [i, [inNode, inPage]] of list.entries()) {
        const order = p % 2 === 0 ? ['node', 'page'] : ['page', 'node'];
        for (const where of order) {
          if (where === 'node') nodeRows[i] = best(nodeRows[i], await inNode());
          else pageRows[i] = best(pageRows[i], await inPage(page));
        }
      }
    }
    load.push(loadavg()[0]);
    log(`load average (1 min) ${load.map((v) => v.toFixed(2)).join(' before, ')} after`);
    log('\nin Chromium (best of the passes)');
    for (const row of pageRows) log(suite.formatRow(row, 24));
    const comparison = compare(nodeRows, pageRows, info.backends);
    const seconds = (performance.now() - started) / 1000;
    log(`browser part: ${seconds.toFixed(0)} s`);
    if (errors.length) log(`page errors:\n${errors.join('\n')}`);
    if (json) {
      console.log(
        JSON.stringify({
          chromium: version,
          executablePath,
          flags: [...FLAGS, ...extra],
          page: info,
          passes,
          loadAverage: load,
          node: nodeRows,
          browser: pageRows,
          comparison,
          seconds,
        }),
      );
    }
  } finally {
    await browser?.close();
    await server.close();
  }
}

/** Browser / Node ratio of every figure both measured; prints them as a table. */
function compare(nodeRows, pageRows, names) {
  const out = [];
  log(
    '\nbrowser / Node, same measurement (target: the page within 20% of Node: at least 0.80x; ' +
      '"!" below it, "+" more than 1.20x)',
  );
  log(`${''.padEnd(24)} ${names.map((n) => n.padEnd(30)).join(' ')}`);
  for (const [i, row] of pageRows.entries()) {
    const nodeRow = nodeRows[i];
    const cells = [];
    for (const name of names) {
      const b = row.figures[name];
      const n = nodeRow.figures[name];
      if (n === undefined || b === undefined) {
        cells.push('n/a'.padEnd(30));
        continue;
      }
      const ratio = b / n;
      const within = ratio >= 0.8;
      out.push({
        what: row.what,
        unit: row.unit,
        backend: name,
        node: n,
        browser: b,
        ratio,
        within,
      });
      const figures = `(${suite.format(b)} / ${suite.format(n)})`;
      const mark = !within ? '!' : ratio > 1.2 ? '+' : ' ';
      cells.push(`${ratio.toFixed(2)}x ${mark} ${figures}`.padEnd(30));
    }
    log(`${row.what.padEnd(24)} ${cells.join(' ')}`);
  }
  const ours = out.filter((c) => c.backend !== 'js');
  const missed = ours.filter((c) => !c.within);
  const faster = ours.filter((c) => c.ratio > 1.2);
  log(
    `WebAssembly backends: ${ours.length - missed.length} of ${ours.length} figures at least ` +
      `0.8x Node` +
      (missed.length ? ' ("!" marks the others)' : '') +
      (faster.length ? `; ${faster.length} more than 1.2x ("+", the page faster)` : ''),
  );
  return out;
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`run-browser: ${e.stack ?? e}`);
    process.exit(1);
  },
);
