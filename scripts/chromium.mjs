// Where headless Chromium is, and the flags it needs on these machines (root, no network):
// shared by the browser tests, the end-to-end tests, the screenshots and the browser bench.
import { existsSync } from 'node:fs';

/** Flags for a root user on a closed network (see TOOLCHAIN notes in the README). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** $CHROME_PATH, else the usual places; null if none exists. */
export function findChromium() {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  ].filter(Boolean);
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** The one-line advice when no Chromium is found. */
export const NO_CHROMIUM =
  'No Chromium found. Install one (Debian: apt-get install -y chromium) or set CHROME_PATH=/path/to/chromium.';
