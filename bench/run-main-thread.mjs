// Main-thread time per second while a worker runs a 784-600-600-10 network flat out, in
// headless Chromium (issue target: under 100 ms per second of wall time). `npm run bench`
// runs it as its `mainthread` section; alone: `node bench/run-main-thread.mjs [--json]`.
//
// Serves the repository with Vite on a localhost port and opens bench/main-thread.html (see
// bench/main-thread.ts for what it measures and how) through puppeteer-core, once with the
// element's default worker engine and once with engine="main" for comparison, and prints the
// page's figures. Options: --json (one JSON object on stdout); --timeout=SECONDS (default 90).
/* global window -- in page functions */
import { cpus, loadavg } from 'node:os';
import puppeteer from 'puppeteer-core';
import { startBenchServer } from './vite-server.mjs';
import { CHROMIUM_ARGS, findChromium, NO_CHROMIUM } from '../scripts/chromium.mjs';

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const timeout = Number(argv.find((a) => a.startsWith('--timeout='))?.split('=')[1] ?? 90) * 1000;
const log = (line = '') => {
  if (!json) console.log(line);
};

const executablePath = findChromium();
if (!executablePath) {
  console.error(NO_CHROMIUM);
  process.exit(1);
}

const { server, base } = await startBenchServer();
let browser;
const result = {
  machine: { cpus: cpus().length, loadAverage: loadavg().map((v) => Math.round(v * 100) / 100) },
  target: 'worker engine under 100 ms of main-thread time per second',
};
try {
  browser = await puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  result.browser = await browser.version();
  log(`${result.browser}, headless; load average ${result.machine.loadAverage.join(' ')}`);
  for (const engine of ['worker', 'main']) {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(new URL(`bench/main-thread.html?engine=${engine}`, base).href);
    try {
      await page.waitForFunction(() => window.pcMainThread !== undefined, {
        timeout,
        polling: 250,
      });
    } catch (e) {
      throw new Error(
        `main-thread.html (engine=${engine}) did not finish: ${e.message}\n${errors.join('\n')}`,
      );
    }
    const figures = await page.evaluate(() => window.pcMainThread);
    await page.close();
    if (figures.error) throw new Error(`main-thread.html (engine=${engine}): ${figures.error}`);
    result[engine] = figures;
    const f = (v) => Number(v).toFixed(1);
    log(
      `engine=${engine.padEnd(6)} ${f(figures.msPerSecond).padStart(6)} ms/s of the main thread ` +
        `(render ${f(figures.renderMsPerSecond)}, probe lateness ${f(figures.probeLatenessMsPerSecond)}, ` +
        `long tasks ${f(figures.longTaskMsPerSecond)}) while ${Number(figures.ticksPerSecond).toFixed(0)} ticks/s ` +
        `(${figures.kernels})`,
    );
  }
  result.met = result.worker.msPerSecond < 100;
  log(`target (worker engine < 100 ms/s): ${result.met ? 'met' : 'MISSED'}`);
} finally {
  await browser?.close();
  await server.close();
}
if (json) console.log(JSON.stringify(result));
