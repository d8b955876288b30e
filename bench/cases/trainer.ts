/** Data-parallel accelerated training on two worker threads (bench/trainer.ts). */
import type { BenchCase } from '../case';
import { trainerBench } from '../trainer';

export const trainer: BenchCase = {
  name: 'trainer',
  measures:
    'data-parallel accelerated training samples/s on 1 and 2 workers, shared memory and message',
  part: 'workers',
  slow: true,
  async run({ log }) {
    log('data-parallel accelerated training on worker threads (bench/trainer.ts)');
    const trainer = await trainerBench(log); // needs dist/cli/job-worker.js (npm run bench builds it)
    log();
    return { trainer };
  },
};
