/**
 * Data-parallel accelerated training (DataParallelTrainer) in samples/s: 784-600-600-10 tanh,
 * 80 iterations, batches of 20 MNIST test digits, E7's constants, for this thread alone,
 * 1 worker, 2 workers over shared memory and 2 workers by message. One chunk per worker
 * (chunk = 20 / workers; 20 on this thread), the fastest split. The contenders run in
 * interleaved rounds of a few batches each (round 1 of every one, then round 2...), so that a
 * slow spell of this shared machine lands on all of them; the best round counts.
 *
 *   npm run build:cli && node --import tsx bench/trainer.ts [--rounds=N] [--batches=N] [--json]
 *
 * Node 20 runs relaxed SIMD only behind a V8 flag, set here before anything validates a module.
 */
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadMnistFromDisk } from '../src/data/mnist-node';
import { oneHot } from '../src/data/mnist';
import { getDefaultBackend, setDefaultBackend } from '../src/kernels/backend';
import { bestBackend, initWasm } from '../src/kernels/wasm';
import { resolveSpec } from '../src/model/spec';
import { spawnNodeWorker } from '../src/pool/node';
import { DataParallelTrainer, type TrainerOptions } from '../src/pool/trainer';
import { enableRelaxedSimd } from '../src/kernels/wasm/relaxed-node';
import { coresFree } from './cores';

enableRelaxedSimd();

interface Contender {
  name: string;
  workers: number;
  chunk: number;
  transport: NonNullable<TrainerOptions['transport']>;
}

/** The first four: one chunk per worker; the last: E7's split (chunks of 10) on one worker. */
const CONTENDERS: readonly Contender[] = [
  { name: 'this thread', workers: 0, chunk: 20, transport: 'auto' },
  { name: '1 worker', workers: 1, chunk: 20, transport: 'auto' },
  { name: '2 workers, shared', workers: 2, chunk: 10, transport: 'shared' },
  { name: '2 workers, message', workers: 2, chunk: 10, transport: 'message' },
  { name: '1 worker, chunks of 10', workers: 1, chunk: 10, transport: 'auto' },
];

/**
 * Measures and prints the table; returns the figures. The workers run the CLI build's
 * dist/cli/job-worker.js: build it first (`npm run build:cli`, which `npm run bench` does).
 */
export async function trainerBench(
  log: (line?: string) => void,
  options: { rounds?: number; batchesPerRound?: number } = {},
): Promise<unknown> {
  const rounds = options.rounds ?? 5;
  const perRound = options.batchesPerRound ?? 3;
  await initWasm();
  // This thread's kernels as the workers' (`wasm`); put back at the end.
  const previous = getDefaultBackend();
  setDefaultBackend(bestBackend());
  try {
    return await measure(log, rounds, perRound);
  } finally {
    setDefaultBackend(previous);
  }
}

async function measure(
  log: (line?: string) => void,
  rounds: number,
  perRound: number,
): Promise<unknown> {
  const B = 20;
  const backend = bestBackend()(1).name;
  const mnist = await loadMnistFromDisk('t10k', { limit: B * 10 });
  const Y = oneHot(mnist.labels, 10);
  const batches = mnist.count / B;
  const spec = resolveSpec({
    layers: [784, 600, 600, 10],
    activation: 'tanh',
    nu: [1, 1, 1, 1],
    lambdaM: 0.05,
    lambdaW: 0.05,
    seed: 1,
    mode: 'train',
  });
  const workerUrl = new URL('../dist/cli/job-worker.js', import.meta.url);
  if (!existsSync(workerUrl)) throw new Error('bench/trainer.ts needs `npm run build:cli` first');
  log(
    `data-parallel accelerated training (DataParallelTrainer, ${backend}): 784-600-600-10 tanh, ` +
      `80 iterations, batch ${B}, MNIST test digits`,
  );
  log(
    `${availableParallelism()} cores, load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}; ${rounds} interleaved rounds of ${perRound} batches, best round counts`,
  );
  const trainers: DataParallelTrainer[] = [];
  try {
    for (const c of CONTENDERS) {
      trainers.push(
        await DataParallelTrainer.create(spec, {
          chunk: c.chunk,
          accelerated: { iterations: 80, rate: 0.2, learningRate: 0.1 },
          workers: c.workers,
          transport: c.transport,
          spawn: () => spawnNodeWorker(workerUrl, 'wasm'),
        }),
      );
    }
    let next = 0;
    const batch = async (t: DataParallelTrainer): Promise<void> => {
      const b = next++ % batches;
      await t.trainBatch(
        mnist.images.subarray(b * B * 784, (b + 1) * B * 784),
        Y.subarray(b * B * 10, (b + 1) * B * 10),
      );
    };
    for (const t of trainers) await batch(t); // warm: workers started, code compiled
    const best = CONTENDERS.map(() => Infinity);
    // CPU seconds of the whole process (every thread) a batch, summed over rounds: what the
    // work costs whatever share of the cores the machine's other tenants leave.
    const cpu = CONTENDERS.map(() => 0);
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < trainers.length; i++) {
        const start = performance.now();
        const used = process.cpuUsage();
        for (let k = 0; k < perRound; k++) await batch(trainers[i]);
        const { user, system } = process.cpuUsage(used);
        cpu[i] += (user + system) / 1e6 / perRound / rounds;
        best[i] = Math.min(best[i], (performance.now() - start) / 1000 / perRound);
      }
    }
    const samplesPerSecond = Object.fromEntries(CONTENDERS.map((c, i) => [c.name, B / best[i]]));
    CONTENDERS.forEach((c, i) =>
      log(
        `  ${c.name.padEnd(24)} ${(B / best[i]).toFixed(0).padStart(6)} samples/s  ` +
          `(${(best[i] * 1000).toFixed(1)} ms a batch, CPU ${(cpu[i] * 1000).toFixed(1)} ms a ` +
          `batch, transport ${trainers[i].transport})`,
      ),
    );
    const ratio = best[1] / best[2];
    const ratioMessage = best[1] / best[3];
    const ratioSameChunks = best[4] / best[2];
    log(
      `  2 workers / 1 worker: ${ratio.toFixed(2)}x shared (target ≥ 1.7), ` +
        `${ratioMessage.toFixed(2)}x by message; ${ratioSameChunks.toFixed(2)}x shared against ` +
        `1 worker on the same chunks of 10 (the same weights)`,
    );
    const control = await coresFree();
    log(
      `  control, plain arithmetic on 2 threads / 1 thread: ${control.toFixed(2)}x ` +
        `(what the machine's other tenants leave of its cores right now)`,
    );
    const cpuRatio = cpu[2] / cpu[1];
    log(
      `  CPU a batch, 2 workers / 1 worker: ${cpuRatio.toFixed(2)} (1: no overhead), so about ` +
        `${(2 / cpuRatio).toFixed(2)}x on two free cores; load average after: ` +
        loadavg()[0].toFixed(2),
    );
    return {
      backend,
      rounds,
      batchesPerRound: perRound,
      samplesPerSecond,
      cpuSecondsPerBatch: Object.fromEntries(CONTENDERS.map((c, i) => [c.name, cpu[i]])),
      twoOverOne: ratio,
      twoOverOneMessage: ratioMessage,
      twoOverOneSameChunks: ratioSameChunks,
      cpuTwoOverOne: cpuRatio,
      controlTwoOverOne: control,
      loadAverage: loadavg(),
    };
  } finally {
    for (const t of trainers) t.terminate();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const value = (name: string): number | undefined => {
    const a = argv.find((s) => s.startsWith(`--${name}=`));
    return a === undefined ? undefined : Number(a.slice(name.length + 3));
  };
  const json = argv.includes('--json');
  const result = await trainerBench(json ? () => undefined : (line = '') => console.log(line), {
    rounds: value('rounds'),
    batchesPerRound: value('batches'),
  });
  if (json) console.log(JSON.stringify(result));
}
