/** The worker pool's speed-up on E4's independent networks (Node worker threads). */
import type { BenchCase } from '../case';
import { poolSpeedUp } from '../dataflow';

export const pool: BenchCase = {
  name: 'pool',
  measures: "E4 quick's networks as pool jobs on 1 and 2 worker threads: seconds, speed-up, bits",
  part: 'node',
  slow: true,
  async run({ log }) {
    log("E4's networks (quick protocol) on Node worker threads");
    const rows = await poolSpeedUp(new URL('../../dist/cli/job-worker.js', import.meta.url));
    for (const r of rows) {
      log(
        `${r.workers} worker(s): ${r.seconds.toFixed(2)} s, speed-up ${r.speedUp.toFixed(2)}x, ` +
          `same results as 1 worker: ${r.sameResults}`,
      );
    }
    log();
    return { pool: rows };
  },
};
