/** The batchMatMul and tick rows of bench/suite.ts in headless Chromium beside Node. */
import type { BenchCase } from '../case';
import { runScript } from '../child-script';

export const browser: BenchCase = {
  name: 'browser',
  measures: 'the batchMatMul and tick rows in headless Chromium and in Node, alternately',
  part: 'workers',
  browser: true,
  slow: true,
  async run({ json, log }) {
    log('\nheadless Chromium (bench/run-browser.mjs)');
    return { browser: await runScript('run-browser.mjs', ['--import', 'tsx'], json, log) };
  },
};
