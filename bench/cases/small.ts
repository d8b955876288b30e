/** Small networks, where the cost of calling into WebAssembly outweighs the arithmetic. */
import { Network } from '../../src/model/network';
import { Random } from '../../src/random';
import type { BenchCase } from '../case';
import { makeRow, mapValues, networkCandidate, type Row } from '../suite';
import { race } from '../timing';

export const small: BenchCase = {
  name: 'small',
  measures: 'ticks/s of 10-5-3, 30-20-10 and 100-50-10 tanh networks, B = 1, classify',
  part: 'node',
  async run({ backends, log, print }) {
    log('small tanh networks, B = 1, classify: ticks/s');
    const rows: Row[] = [];
    for (const layers of [
      [10, 5, 3],
      [30, 20, 10],
      [100, 50, 10],
    ]) {
      const candidates = backends.map(([name, backend]) => {
        const net = new Network(
          { layers, activation: 'tanh', seed: 1, mode: 'classify' },
          { backend },
        );
        net.setInput(Array.from(new Random(3).fillNormal(new Float32Array(layers[0]))));
        return networkCandidate(name, net);
      });
      const seconds = await race(candidates, { seconds: 0.2, trials: 3, maxUnits: 100_000 });
      rows.push(
        print(
          makeRow(
            layers.join('-'),
            'ticks/s',
            mapValues(seconds, (s) => 1 / s),
          ),
        ),
      );
    }
    log();
    return { smallNets: rows };
  },
};
