/**
 * Fig. 6 and Tables 1 and 2: the deep linear 10-5-3 network, PC-nondecay against PC-decay,
 * trained on this thread in chunks. Table 1 (section 4.3) from one network of each kind (and
 * an untrained one), Table 2 (section 4.4) from E4's independent network jobs
 * (src/experiments/e4.ts), both beside the paper's numbers; the samples drawn on the first two
 * principal axes of the training data.
 */
import { PCA } from 'ml-pca';
import { Network, Random } from '../../src/index';
import { makePrototypeData, type PrototypeData } from '../../src/data/synthetic';
import { type E4Job, type E4Results, planE4, reduceE4, runE4Job } from '../../src/experiments/e4';
import { classSequence, trainContinuous } from '../../src/experiments/protocol';
import { meanStd, type MinAvgMax } from '../../src/metrics';
import { setReady, type TaskProgress, TaskView } from '../shared/task';
import { bool, int, oneOf, UrlState } from '../shared/url-state';
import { type Layer, legendHtml, PcaPlot, type Point } from './plot';

const state = new UrlState({
  seed: int(1, 0, 0xffffffff),
  full: bool(false),
  lx: oneOf(['0.01', '0.05'], '0.01'),
  view: oneOf(['data', 'all'], 'data'),
});

/** Section 4.3's set-up (src/experiments/e3.ts): quick or full. */
function table1Settings(full: boolean) {
  return {
    tau: 0.02,
    gamma: 0.1,
    dt: 0.001,
    batch: 20,
    weightDecay: 0.05,
    holdSeconds: full ? 5 : 2,
    epochs: full ? 10 : 3,
    perClass: full ? 100 : 30,
    generateSeconds: 10,
  };
}

/** Table 1's paper numbers: [λx = 0, λx > 0] per row. */
const PAPER_TABLE1 = {
  untrained: [0.796, 0.0048],
  noDecay: [0.817, 0.0048],
  decay: [0.823, 0.0055],
};
type Kind = keyof typeof PAPER_TABLE1;
const KIND_NAMES: Record<Kind, string> = {
  untrained: 'untrained (W = Mᵀ)',
  noDecay: 'trained without weight decay',
  decay: 'trained with weight decay',
};

const $ = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
const task = new TaskView($('progress'), $('status'), $('cancel'));
const plots = { noDecay: new PcaPlot($('plot-nodecay')), decay: new PcaPlot($('plot-decay')) };
$('legend').innerHTML = legendHtml();

/** Everything one seed and protocol give; filled in as the stages finish. */
interface Run {
  key: string;
  data: PrototypeData;
  project: (rows: Float32Array, count: number) => Point[];
  nets?: Record<Kind, Network>;
  /** Table 1 samples per network and λx ("0" or the decay value). */
  samples: Map<string, Float32Array>;
  e4?: { jobs: E4Job[]; samples: Float32Array[]; results: E4Results | null; paper: E4Paper };
}
type E4Paper = Record<'decay' | 'noDecay', MinAvgMax>;
const runs = new Map<string, Run>();

function newRun(seed: number, full: boolean): Run {
  const data = makePrototypeData({ classes: 3, dim: 10, samples: 200, seed });
  const rows = (values: Float32Array, count: number) =>
    Array.from({ length: count }, (_, i) => Array.from(values.subarray(i * 10, i * 10 + 10)));
  const pca = new PCA(rows(data.inputs, data.count));
  const [v1, v2] = pca.getExplainedVariance();
  $('pca-note').textContent =
    `Axes: the first two principal components of the 200 training points ` +
    `(${(100 * v1).toFixed(0)}% and ${(100 * v2).toFixed(0)}% of their variance), ` +
    `fitted with ml-pca; every sample is projected on the same axes.`;
  const project = (values: Float32Array, count: number): Point[] =>
    count === 0
      ? []
      : pca
          .predict(rows(values, count), { nComponents: 2 })
          .to2DArray()
          .map(([a, b]) => [a, b] as const);
  return { key: `${seed}/${full}`, data, project, samples: new Map() };
}

/** Trains Table 1's two networks (and makes the untrained one), one epoch per chunk. */
async function trainTable1(run: Run, seed: number, full: boolean, progress: TaskProgress) {
  const s = table1Settings(full);
  const make = (lambda: number, batch: number) =>
    new Network(
      {
        layers: [10, 5, 3],
        tiedInit: true,
        tau: s.tau,
        gamma: s.gamma,
        dt: s.dt,
        lambdaM: lambda,
        lambdaW: lambda,
        seed,
      },
      { batch },
    );
  const nets = {
    untrained: make(0, 1),
    noDecay: make(0, s.batch),
    decay: make(s.weightDecay, s.batch),
  };
  for (const [i, kind] of (['noDecay', 'decay'] as const).entries()) {
    for (let epoch = 0; epoch < s.epochs; epoch++) {
      await progress.report(
        (i * s.epochs + epoch) / (2 * s.epochs),
        `Table 1: training the ${kind === 'decay' ? 'decay' : 'no-decay'} network`,
      );
      trainContinuous(nets[kind], run.data, {
        epochs: 1,
        holdSeconds: s.holdSeconds,
        shuffleSeed: seed + epoch,
      });
    }
  }
  run.nets = nets;
}

/** perClass samples per class from x, ε ~ N(0, 1), for 10 s, in chunks of 500 ticks. */
async function generate(
  net: Network,
  lambdaX: number,
  full: boolean,
  seed: number,
  progress: TaskProgress,
) {
  const s = table1Settings(full);
  const gen = net.withBatch(3 * s.perClass);
  gen.setParams({ lambdaX });
  gen.setMode('generate');
  gen.setTargetClass(classSequence(3, s.perClass));
  gen.resetState({ std: 1, random: new Random(seed + 1) });
  const total = Math.round(s.generateSeconds / s.dt);
  while (gen.tick < total) {
    await progress.report(gen.tick / total, `Table 1: generating (λx = ${lambdaX})`);
    gen.step(Math.min(500, total - gen.tick));
  }
  return gen.x(0).slice();
}

/** Table 1's samples for λx = 0 and the chosen decay, for each network (cached). */
async function table1Samples(run: Run, seed: number, full: boolean, progress: TaskProgress) {
  const nets = run.nets!;
  for (const lambda of ['0', state.values.lx]) {
    for (const kind of Object.keys(nets) as Kind[]) {
      const key = `${kind}/${lambda}`;
      if (!run.samples.has(key))
        run.samples.set(key, await generate(nets[kind], Number(lambda), full, seed, progress));
    }
  }
}

/**
 * E4's networks, one job after another on this thread, yielding to the page between jobs. The
 * one call to hand to a worker pool: the jobs are independent and each returns its samples.
 */
async function runE4Jobs(
  jobs: readonly E4Job[],
  progress: TaskProgress,
  done: (index: number, samples: Float32Array) => void,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (const [i, job] of jobs.entries()) {
    await progress.report(
      i / jobs.length,
      `Table 2: network ${i + 1} of ${jobs.length} (${job.decay ? 'decay' : 'no decay'})`,
    );
    out.push(runE4Job(job));
    done(i, out[i]);
  }
  return out;
}

/** Both stages for the current seed and protocol; whatever is cached is not redone. */
let generation = 0;
async function start(): Promise<void> {
  const mine = ++generation;
  setReady(false);
  const { seed, full } = state.values;
  const key = `${seed}/${full}`;
  const run = runs.get(key) ?? newRun(seed, full);
  runs.set(key, run);
  showAll(run);
  await task.run(full ? 'Full protocol' : 'Quick protocol', async (progress) => {
    if (!run.nets) await trainTable1(run, seed, full, progress);
    await table1Samples(run, seed, full, progress);
    showAll(run);
    if (!run.e4?.results) {
      // Nondecay and decay networks alternate, so Table 2 fills in both rows as it goes.
      const plan = planE4({ seed, quick: !full });
      const half = plan.length / 2;
      const jobs = plan.slice(0, half).flatMap((job, k) => [job, plan[half + k]]);
      const started = performance.now();
      const e4 = (run.e4 = {
        jobs,
        samples: [] as Float32Array[],
        results: null as E4Results | null,
        paper: {} as E4Paper,
      });
      await runE4Jobs(jobs, progress, (i, samples) => {
        e4.samples[i] = samples;
        if (i % 2 === 1) {
          const report = reduceE4(
            { seed, quick: !full },
            jobs.slice(0, i + 1),
            e4.samples,
            (performance.now() - started) / 1000,
          );
          e4.results = report.results;
          e4.paper = report.paper as E4Paper;
        }
        showAll(run);
      });
    }
  });
  if (mine === generation) setReady(true);
}

function showAll(run: Run): void {
  for (const el of document.querySelectorAll('.lx')) el.textContent = state.values.lx;
  showPlots(run);
  showTable1(run);
  showTable2(run);
}

function showPlots(run: Run): void {
  const { data, project } = run;
  const training: Layer = { points: project(data.inputs, data.count), labels: data.labels };
  const perKind = (kind: 'noDecay' | 'decay') => {
    const lambda = kind === 'decay' ? state.values.lx : '0';
    const x = run.samples.get(`${kind}/${lambda}`);
    const samples = x && {
      points: project(x, x.length / 10),
      labels: classSequence(3, x.length / 30),
    };
    let stars: Layer | undefined;
    if (run.e4) {
      const mine = run.e4.samples.filter((_, i) => run.e4!.jobs[i].decay === (kind === 'decay'));
      const all = new Float32Array(mine.length * 30);
      mine.forEach((s, i) => all.set(s, i * 30));
      stars = {
        points: project(all, mine.length * 3),
        labels: all.subarray(0, mine.length * 3).map((_, i) => i % 3),
      };
    }
    return { samples, stars };
  };
  const layers = { noDecay: perKind('noDecay'), decay: perKind('decay') };
  let R = Math.max(...training.points.map(([a, b]) => Math.max(Math.abs(a), Math.abs(b)))) * 1.5;
  for (const kind of ['noDecay', 'decay'] as const) {
    if (state.values.view === 'all') {
      const { samples, stars } = layers[kind];
      for (const p of [...(samples?.points ?? []), ...(stars?.points ?? [])]) {
        if (Number.isFinite(p[0]) && Number.isFinite(p[1]))
          R = Math.max(R, Math.abs(p[0]) * 1.05, Math.abs(p[1]) * 1.05);
      }
    }
  }
  for (const kind of ['noDecay', 'decay'] as const)
    plots[kind].draw(R, { training, ...layers[kind] });
}

function showTable1(run: Run): void {
  const cell = (kind: Kind, lambda: string) => {
    const x = run.samples.get(`${kind}/${lambda}`);
    if (!x) return '–';
    const per = x.length / 30;
    let total = 0;
    for (let c = 0; c < 3; c++)
      total += meanStd(x.subarray(c * per * 10, (c + 1) * per * 10), per, 10);
    return fmt(total / 3);
  };
  $('table1').querySelector('tbody')!.innerHTML = (Object.keys(PAPER_TABLE1) as Kind[])
    .map(
      (kind) =>
        `<tr><th scope="row">${KIND_NAMES[kind]}</th><td>${cell(kind, '0')}</td><td class="muted">${PAPER_TABLE1[kind][0]}</td>` +
        `<td>${cell(kind, state.values.lx)}</td><td class="muted">${PAPER_TABLE1[kind][1]}</td></tr>`,
    )
    .join('');
}

function showTable2(run: Run): void {
  const e4 = run.e4;
  const rows = (['decay', 'noDecay'] as const).map((kind) => {
    const name = kind === 'decay' ? 'PC-decay' : 'PC-nondecay';
    const here = e4?.results?.[kind];
    const paper =
      e4?.paper[kind] ??
      (kind === 'decay'
        ? { min: 0.2216, avg: 0.4076, max: 0.6333 }
        : { min: 5.032, avg: 100.9, max: 691.8 });
    const count = e4
      ? e4.samples.filter((_, i) => e4.jobs[i].decay === (kind === 'decay')).length
      : 0;
    const cells = (m: MinAvgMax | undefined) =>
      m
        ? [m.min, m.avg, m.max].map((v) => `<td>${fmt(v)}</td>`).join('')
        : '<td>–</td><td>–</td><td>–</td>';
    return (
      `<tr><th scope="row" rowspan="2">${name}</th><td>here (${count} networks)</td>${cells(here)}</tr>` +
      `<tr class="muted"><td>paper (10 networks)</td>${cells(paper)}</tr>`
    );
  });
  $('table2').querySelector('tbody')!.innerHTML = rows.join('');
}

/** Four significant digits, or an exponent for the runaway values. */
function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toExponential(2)
    : v.toPrecision(4);
}

state.bind('seed', $('seed'), () => void start());
state.bind('full', $('full'), () => void start());
state.bind('lx', $('lambda-x'), () => void start());
state.bind('view', $('view'), () => {
  const run = runs.get(`${state.values.seed}/${state.values.full}`);
  if (run) showPlots(run);
});
$('start').addEventListener('click', () => {
  runs.delete(`${state.values.seed}/${state.values.full}`);
  void start();
});
void start();
