/** One B = 1 network split across two workers through shared memory (bench/split.ts). */
import type { BenchCase } from '../case';
import { splitBench } from '../split';

export const split: BenchCase = {
  name: 'split',
  measures: 'ticks/s of one B = 1 784-600-600-10 network split by units over 1 and 2 workers',
  part: 'workers',
  slow: true,
  async run({ log }) {
    const split = await splitBench(log); // needs dist/cli/split-worker.js (npm run bench builds it)
    log();
    return { split };
  },
};
