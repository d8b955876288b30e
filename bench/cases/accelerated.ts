/** Accelerated-equilibrium training (trainAccelerated) with E7's settings, samples/s. */
import { loadMnistFromDisk } from '../../src/data/mnist-node';
import { e7Settings } from '../../src/experiments/e7';
import { trainAccelerated } from '../../src/model/accelerated';
import type { Network } from '../../src/model/network';
import { networkWithAdam } from '../../src/model/optimizer';
import type { BenchCase } from '../case';
import { makeRow, mapValues } from '../suite';
import { type Candidate, race } from '../timing';

export const accelerated: BenchCase = {
  name: 'accelerated',
  measures: "trainAccelerated samples/s on MNIST test digits, E7's settings, and E7's hours",
  part: 'node',
  async run({ backends, log, print }) {
    const e7 = e7Settings({ seed: 1, quick: false });
    log(
      `accelerated training (trainAccelerated: ${e7.iterations} iterations, batch ${e7.batch}, ` +
        `${e7.layers.join('-')} tanh, ν = ${e7.nu.join(',')},`,
    );
    log(
      `${e7.optimizer} step ${e7.learningRate}, λ = ${e7.weightDecay}: E7's settings) on MNIST test digits`,
    );
    const mnist = await loadMnistFromDisk('t10k', { limit: 200 });
    const batches = 10;
    const B = e7.batch;
    const nets: Network[] = [];
    const candidates: Candidate[] = backends.map(([name, backend]) => {
      const { net, adam } = networkWithAdam(
        {
          layers: e7.layers,
          activation: e7.activation,
          nu: e7.nu,
          lambdaM: e7.weightDecay,
          lambdaW: e7.weightDecay,
          tiedInit: e7.tiedInit,
          seed: 1,
          mode: 'train',
        },
        { batch: B, backend },
        e7.optimizer === 'adam'
          ? { learningRate: e7.learningRate, decayStep: e7.decayStep }
          : undefined,
      );
      nets.push(net);
      const Y = new Float32Array(mnist.count * 10);
      mnist.labels.forEach((k, i) => (Y[i * 10 + k] = 1));
      let next = 0;
      return {
        name,
        run: (calls) => {
          const start = performance.now();
          for (let c = 0; c < calls; c++) {
            const b = next++ % batches;
            trainAccelerated(
              net,
              mnist.images.subarray(b * B * 784, (b + 1) * B * 784),
              Y.subarray(b * B * 10, (b + 1) * B * 10),
              { iterations: e7.iterations, rate: e7.rate, learningRate: e7.learningRate, adam },
            );
          }
          return (performance.now() - start) / 1000;
        },
      };
    });
    const seconds = await race(candidates, { seconds: 1.5, trials: 3, maxUnits: 50 });
    const row = makeRow(
      'samples/s',
      'samples/s',
      mapValues(seconds, (s) => B / s),
    );
    print(row);
    if (nets.some((net) => net.M.some((m) => !m.every(Number.isFinite)))) {
      log('(the weights diverged during the race: these figures may not be typical)');
    }
    const hours = mapValues(row.figures, (v) => (e7.trainDigits * e7.epochs) / v / 3600);
    log(
      `one E7 network (${e7.trainDigits} digits × ${e7.epochs} epochs) would take: ${Object.entries(
        hours,
      )
        .map(([n, h]) => `${n} ${h.toFixed(1)} h`)
        .join(', ')} (one thread)`,
    );
    log();
    return { accelerated: { ...row, e7Hours: hours } };
  },
};
