import { expect } from '@open-wc/testing';
import { classifyAccuracy } from '../../src/experiments/e3';
import { Network, type NetworkSpecInput, resolveSpec } from '../../src/index';
import {
  LocalSimulation,
  prepareTraining,
  SimulationClient,
  type SimulationLink,
  type TrainProgress,
  TrainingRun,
} from '../../src/worker/index';
import { until } from '../components/harness';
import { twoClouds } from './clouds';

const spec: NetworkSpecInput = { layers: [2, 4, 2], seed: 5, dt: 0.01 };
const JOB = { epochs: 3, batch: 5, holdSeconds: 0.2, shuffleSeed: 2 };
const prepared = () =>
  prepareTraining(twoClouds(), resolveSpec(spec), { seed: 1, testFraction: 0.25 });

/** A network of `spec` trained `batches` batches by a TrainingRun on this thread. */
function reference(batches: number, epochs = JOB.epochs): Network {
  const net = new Network(spec);
  const trainer = net.withBatch(JOB.batch);
  const run = new TrainingRun(trainer, prepared().train, { ...JOB, epochs });
  for (let b = 0; b < batches; b++) run.trainBatch();
  return trainer;
}

const bits = (a: Float32Array): number[] =>
  Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

async function weightsOf(link: SimulationLink) {
  const { weights } = await link.snapshot({ weights: true });
  return [...weights!.M, ...weights!.W].map(bits);
}
const weightsOfNet = (net: Network) => [...net.M, ...net.W].map(bits);

const links: [string, () => SimulationLink][] = [
  ['a worker', () => new SimulationClient()],
  ['this thread', () => new LocalSimulation()],
];

for (const [where, makeLink] of links) {
  describe(`Simulation.train and evaluate on ${where}`, () => {
    // One simulation for the four tests (a worker takes a second to start): a new network each.
    let link: SimulationLink;
    before(() => (link = makeLink()));
    beforeEach(() => link.create(spec));
    after(() => link.terminate());

    it('trains batch by batch as TrainingRun does, reports progress, and scores both splits', async () => {
      const data = prepared();
      expect(data.train.count).to.equal(14); // round(10 × 0.25) = 3 of each class held back
      const progress: TrainProgress[] = [];
      const summary = await link.train(
        data.train,
        { ...JOB, test: data.test, progressMs: 0 },
        (p) => void progress.push(p),
      );
      const net = reference(9); // ceil(14 / 5) = 3 batches an epoch, 3 epochs
      expect(summary).to.include({ completed: true, epochs: 3, batches: 9, totalBatches: 9 });
      expect(summary.samples).to.equal(45);
      expect(await weightsOf(link)).to.deep.equal(weightsOfNet(net));
      expect(summary.trainAccuracy).to.equal(classifyAccuracy(net, prepared().train));
      expect(summary.testAccuracy).to.equal(classifyAccuracy(net, prepared().test));
      // The reports come by a port of their own: the last may follow the answer.
      await until(() => progress.at(-1)?.batches === 9, 'the last report');
      expect(progress.length).to.be.within(1, 9);
      expect(progress.at(-1)).to.include({ batches: 9, fraction: 1, epoch: 3 });
    });

    it('cancel stops after a whole batch and keeps the weights after it', async () => {
      const data = prepared();
      let cancelled = false;
      const answer = link.train(data.train, { ...JOB, epochs: 100_000, progressMs: 0 }, () => {
        if (!cancelled) void link.cancel();
        cancelled = true;
      });
      const summary = await answer;
      expect(summary.completed).to.equal(false);
      expect(summary.batches).to.be.above(0).and.below(300_000);
      expect(await weightsOf(link)).to.deep.equal(
        weightsOfNet(reference(summary.batches, 100_000)),
      );
      // The simulation goes on: a second job may start.
      const again = await link.train(prepared().train, { ...JOB, epochs: 1 });
      expect(again.completed).to.equal(true);
    });

    it('refuses rows that do not fit the network and a second job at once', async () => {
      const bad = { inputs: new Float32Array(9), labels: new Uint8Array(3), count: 3 };
      const error = await link.evaluate(bad).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).to.equal(
        '9 input values for 3 rows do not fit a network of layers 2-4-2',
      );
      const first = link.train(prepared().train, { ...JOB, epochs: 1000 });
      const second = await link.evaluate(prepared().test).then(
        () => null,
        (e: Error) => e,
      );
      expect(second?.message).to.match(/a training or evaluation is running/);
      void link.cancel();
      expect((await first).completed).to.equal(false);
    });

    it('evaluate counts what classifyAccuracy counts, with the confusion matrix', async () => {
      const net = new Network(spec);
      const rows = prepared().train;
      const fractions: number[] = [];
      const result = await link.evaluate(prepared().train, (f) => void fractions.push(f));
      expect(result.accuracy).to.equal(classifyAccuracy(net, rows));
      expect(result.rows).to.equal(14);
      expect(result.counts).to.deep.equal([7, 7]);
      expect(result.confusion.flat().reduce((a, b) => a + b)).to.equal(14);
      expect(result.correct[0] + result.correct[1]).to.equal(Math.round(result.accuracy * 14));
      expect(fractions.at(-1)).to.equal(1);
    });
  });
}
