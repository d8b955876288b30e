/** The layer streams (LayerGraph) against the direct loop (Network.step), B = 1, classify. */
import { autoBackend } from '../../src/kernels/wasm';
import type { BenchCase } from '../case';
import { streamsVersusDirect } from '../dataflow';
import { format } from '../suite';

export const streams: BenchCase = {
  name: 'streams',
  measures: 'ticks/s of Network.step and of the layer streams, 3-2, 10-5-3 and 784-600-600-10',
  part: 'node',
  async run({ log }) {
    log('B = 1 tanh, classify, ticks/s: Network.step against the layer streams (autoBackend)');
    const rows = streamsVersusDirect(autoBackend());
    for (const r of rows) {
      log(
        `${r.layers.padEnd(16)} direct ${format(r.direct)}  streams ${format(r.streams)}  ` +
          `[streams/direct ${r.ratio.toFixed(2)}]`,
      );
    }
    log();
    return { streams: rows };
  },
};
