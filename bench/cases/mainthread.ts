/** What a playing 784-600-600-10 <pc-network> costs the page's thread (bench/main-thread.ts). */
import type { BenchCase } from '../case';
import { runScript } from '../child-script';

export const mainthread: BenchCase = {
  name: 'mainthread',
  measures: "the page thread's ms per second while a worker plays 784-600-600-10, in Chromium",
  part: 'workers',
  browser: true,
  slow: true,
  async run({ json, log }) {
    log(
      '\nmain-thread time per second of a playing 784-600-600-10 element (bench/run-main-thread.mjs)',
    );
    return { mainThread: await runScript('run-main-thread.mjs', [], json, log) };
  },
};
