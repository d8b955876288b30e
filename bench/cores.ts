/** Node only: how much of this machine's two cores the benchmarks get right now. */
import { Worker } from 'node:worker_threads';

/**
 * How many cores this process gets now: two threads each doing the same fixed work (about
 * 0.1 s) against one thread doing it, best of 3, by wall clock:
 * about 2 on two free cores, less while the machine's other tenants hold one.
 */
export async function coresFree(): Promise<number> {
  const code = `const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (n) => {
      let x = 0;
      for (let i = 0; i < n; i++) x += Math.sqrt(i);
      parentPort.postMessage(x);
    });`;
  const workers = [0, 1].map(() => new Worker(code, { eval: true }));
  const run = async (k: number): Promise<number> => {
    const start = performance.now();
    await Promise.all(
      workers.slice(0, k).map(
        (w) =>
          new Promise((resolve) => {
            w.once('message', resolve);
            w.postMessage(4e7);
          }),
      ),
    );
    return performance.now() - start;
  };
  try {
    await run(2);
    let one = Infinity;
    let two = Infinity;
    for (let i = 0; i < 3; i++) {
      one = Math.min(one, await run(1));
      two = Math.min(two, await run(2));
    }
    return (2 * one) / two;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
