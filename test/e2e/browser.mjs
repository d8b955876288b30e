/**
 * What the demo end-to-end test and `scripts/screenshots.mjs` share: the built gallery served
 * by `vite preview` on a fixed port, and a headless Chromium (puppeteer-core) started with the
 * flags of web-test-runner.config.js. Both expect `dist/demo` from `vite build`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS, findChromium, NO_CHROMIUM } from '../../scripts/chromium.mjs';

export const PORT = 4179;
export const BASE = `http://127.0.0.1:${PORT}/`;
const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The gallery's pages: path under the base, and the name of its screenshot. */
export const PAGES = [
  { path: '', name: '00-index' },
  { path: '01-hello/', name: '01-hello' },
  { path: '02-shallow/', name: '02-shallow' },
  { path: '03-deep/', name: '03-deep' },
  { path: '04-mnist/', name: '04-mnist' },
  { path: '05-how-it-works/', name: '05-how-it-works' },
  { path: '06-own-data/', name: '06-own-data' },
  { path: '07-open-questions/', name: '07-open-questions' },
];

/** Starts `vite preview` on {@link PORT}; resolves once it answers. `stop()` ends it. */
export async function startPreview() {
  if (!existsSync(`${repo}dist/demo/index.html`)) {
    throw new Error('dist/demo is missing: run `npx vite build` first');
  }
  const vite = `${repo}node_modules/vite/bin/vite.js`;
  const child = spawn(
    process.execPath,
    [vite, 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'],
    { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`vite preview exited:\n${output}`);
    try {
      if ((await globalThis.fetch(BASE)).ok) return { stop };
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`vite preview did not answer on ${BASE}:\n${output}`);
}

/** Headless Chromium: CHROME_PATH, else Debian's /usr/bin/chromium. */
export function launchBrowser() {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(NO_CHROMIUM);
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Waits until the page marks its first state as shown (`<main data-ready>`). */
export async function waitReady(page, timeout = 60_000) {
  await page.waitForSelector('main[data-ready]', { timeout });
}

/**
 * For a test file: the built gallery served and a browser started before its tests, both ended
 * after them; `gallery.browser` and `gallery.preview` are set once the tests start.
 */
export function useGallery() {
  const gallery = { browser: null, preview: null };
  before(async () => {
    gallery.preview = await startPreview();
    gallery.browser = await launchBrowser();
  });
  after(async () => {
    await gallery.browser?.close();
    await gallery.preview?.stop();
  });
  return gallery;
}
