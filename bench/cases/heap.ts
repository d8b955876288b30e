/** Heap growth over 100,000 ticks: a kernel call must allocate nothing that outlives it. */
import { Network } from '../../src/model/network';
import { Random } from '../../src/random';
import type { BenchCase } from '../case';
import { makeRow } from '../suite';

export const heap: BenchCase = {
  name: 'heap',
  measures: 'heap growth (KiB) and ticks/s over 100,000 train ticks of a 10-5-3 tanh network',
  part: 'node',
  async run({ backends, machine, log, print }) {
    log('10-5-3 tanh network, 100,000 train ticks: heap growth and ticks/s');
    const growth: Record<string, number> = {};
    const small: Record<string, number> = {};
    for (const [name, backend] of backends) {
      const net = new Network({ layers: [10, 5, 3], activation: 'tanh', seed: 1 }, { backend });
      net.setInput(Array.from(new Random(3).fillNormal(new Float32Array(10))));
      net.setTargetClass(1);
      net.step(1000);
      globalThis.gc?.();
      const before = process.memoryUsage().heapUsed;
      const start = performance.now();
      net.step(100_000);
      const seconds = (performance.now() - start) / 1000;
      globalThis.gc?.();
      growth[name] = (process.memoryUsage().heapUsed - before) / 1024;
      small[name] = 100_000 / seconds;
    }
    if (!machine.gcExposed) log('(no --expose-gc: the heap figures include uncollected garbage)');
    const rows = [
      print(makeRow('heap growth', 'KiB', growth, false)),
      print(makeRow('ticks/s', 'ticks/s', small)),
    ];
    log();
    return { heap: rows };
  },
};
