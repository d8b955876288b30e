/**
 * Figs. 4 and 5: the shallow linear 3-2 network trained in the page (E1's protocol, from
 * src/experiments/e1.ts), then 150 samples per class generated from N(0, 1) states and drawn
 * as they settle, beside each class's solution line x̄ + c·n (Theorem 1).
 */
import '../../components/define.ts';
import { encodeNetwork, MODES, Network, Random } from '../../src/index';
import { classCentroids, makePrototypeData, type PrototypeData } from '../../src/data/synthetic';
import { classSequence, trainContinuous } from '../../src/experiments/protocol';
import { followNetwork, restoreNetwork } from '../shared/element-state';
import { setReady, TaskView } from '../shared/task';
import { bool, clampList, int, num, oneOf, UrlState } from '../shared/url-state';
import { type Basis, ScatterPlot } from './plot';

/** E1's settings (src/experiments/e1.ts): section 4.2's data and constants, batches of 20. */
const E1 = {
  tau: 0.05,
  gamma: 0.1,
  dt: 0.001,
  batch: 20,
  holdSeconds: 2,
  epochs: 10,
  weightDecay: 0.05,
  activityDecay: 0.05,
  perClass: 150,
  generateSeconds: 10,
};
/** Ticks of generation drawn per display frame. */
const TICKS_PER_FRAME = 250;

const state = new UrlState({
  seed: int(1, 0, 0xffffffff),
  decay: bool(false),
  lx: num(0, 0, 1),
  mode: oneOf(MODES, 'generate'),
  clamps: clampList(),
});
// A fresh page generates class 0 in the element (the output held at [1, 0]).
if (!new URLSearchParams(location.search).has('clamps')) {
  state.values.clamps = [
    { layer: 1, index: 0, value: 1 },
    { layer: 1, index: 1, value: 0 },
  ];
}

const $ = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
const lambdaOut = $<HTMLOutputElement>('lambda-x-value');
const live = $<HTMLElementTagNameMap['pc-network']>('live');
const task = new TaskView($('progress'), $('status'), $('cancel'));
const plot = new ScatterPlot($('plot'), $('legend'));

interface Trained {
  net: Network;
  data: PrototypeData;
  centroids: Float32Array;
}
const trained = new Map<string, Trained>();
let current: Trained | null = null;
let animation = 0;

/** Trains (or takes from the cache) the network of this seed and decay setting. */
async function train(seed: number, decay: boolean): Promise<Trained | null> {
  const key = `${seed}/${decay}`;
  const cached = trained.get(key);
  if (cached) return cached;
  const data = makePrototypeData({ classes: 2, dim: 3, samples: 200, seed });
  const lambda = decay ? E1.weightDecay : 0;
  const net = new Network(
    {
      layers: [3, 2],
      tau: E1.tau,
      gamma: E1.gamma,
      dt: E1.dt,
      lambdaM: lambda,
      lambdaW: lambda,
      seed,
    },
    { batch: E1.batch },
  );
  const label = `Training the ${decay ? 'decay' : 'no-decay'} network`;
  const done = await task.run(label, async (progress) => {
    // One epoch per chunk; the state carries over from one epoch to the next, as within one.
    for (let epoch = 0; epoch < E1.epochs; epoch++) {
      await progress.report(epoch / E1.epochs);
      trainContinuous(net, data, {
        epochs: 1,
        holdSeconds: E1.holdSeconds,
        shuffleSeed: seed + epoch,
      });
    }
    return true;
  });
  if (!done) return null;
  const result = { net, data, centroids: classCentroids(data.inputs, data.labels, 2, 3) };
  trained.set(key, result);
  return result;
}

/** The plane of the view: u from cluster 0 to cluster 1, v the null direction n made orthogonal to u. */
function basisOf(t: Trained): Basis {
  const c = t.centroids;
  const origin = [0, 1, 2].map((j) => (c[j] + c[3 + j]) / 2);
  const u = normalise([0, 1, 2].map((j) => c[3 + j] - c[j]));
  const n = nullDirection(t.net.M[0]);
  const along = dot(n, u);
  let v = n.map((x, j) => x - along * u[j]);
  if (Math.hypot(...v) < 1e-9) v = normalise(cross(u, [0, 0, 1]));
  return { origin, u, v: normalise(v) };
}

/** The null direction of a 2 × 3 matrix: the cross product of its rows, unit length. */
function nullDirection(M: Float32Array): number[] {
  return normalise(cross([M[0], M[1], M[2]], [M[3], M[4], M[5]]));
}

/** x̄ = M⁺ y = Mᵀ (M Mᵀ)⁻¹ y, the minimum-norm solution of M x = y (Theorem 1). */
function minimumNorm(M: Float32Array, y: readonly number[]): number[] {
  const r0 = [M[0], M[1], M[2]];
  const r1 = [M[3], M[4], M[5]];
  const a = dot(r0, r0);
  const b = dot(r0, r1);
  const d = dot(r1, r1);
  const det = a * d - b * b;
  const z0 = (d * y[0] - b * y[1]) / det;
  const z1 = (a * y[1] - b * y[0]) / det;
  return r0.map((_, j) => r0[j] * z0 + r1[j] * z1);
}

/** Trains if needed, draws the clusters and lines, then generates the 300 samples. */
async function run(): Promise<void> {
  cancelAnimationFrame(animation);
  setReady(false);
  const { seed, decay } = state.values;
  const t = await train(seed, decay);
  if (!t || state.values.seed !== seed || state.values.decay !== decay) return;
  current = t;
  const basis = basisOf(t);
  const n = nullDirection(t.net.M[0]);
  plot.setBasis(basis);
  plot.drawTraining(t.data.inputs, t.data.labels);
  plot.drawLines(
    [0, 1].map((c) => ({
      point: minimumNorm(t.net.M[0], c === 0 ? [1, 0] : [0, 1]),
      direction: n,
    })),
  );
  $('training-note').textContent =
    `Trained in the page: 200 samples, 10 epochs of batches of 20 held ${E1.holdSeconds} s ` +
    `(τ = ${E1.tau}, γ = ${E1.gamma}, dt = ${E1.dt}), λM = λW = ${decay ? E1.weightDecay : 0}.`;
  await showLive(t);
  generate();
}

/** 150 samples per class from N(0, 1) states, TICKS_PER_FRAME ticks a frame for 10 s. */
function generate(): void {
  cancelAnimationFrame(animation);
  if (!current) return;
  setReady(false);
  const t = current;
  const classes = classSequence(2, E1.perClass);
  const gen = t.net.withBatch(classes.length);
  gen.setParams({ lambdaX: state.values.lx });
  gen.setMode('generate');
  gen.setTargetClass(classes);
  gen.resetState({ std: 1, random: new Random(state.values.seed + 1) });
  const total = Math.round(E1.generateSeconds / E1.dt);
  const n = nullDirection(t.net.M[0]);
  const frame = () => {
    gen.step(Math.min(TICKS_PER_FRAME, total - gen.tick));
    const x = gen.x(0);
    plot.drawSamples(x, classes);
    showNumbers(x, classes, gen.eps(1), gen.time, n, t.centroids);
    if (gen.tick < total) animation = requestAnimationFrame(frame);
    else setReady(true);
  };
  plot.drawSamples(gen.x(0), classes);
  animation = requestAnimationFrame(frame);
}

/** E1's measures (src/experiments/e1.ts), live. */
function showNumbers(
  x: Float32Array,
  classes: Uint8Array,
  eps: Float32Array,
  time: number,
  n: number[],
  centroids: Float32Array,
): void {
  let spread = 0;
  let distance = 0;
  for (let c = 0; c < 2; c++) {
    const along: number[] = [];
    for (let i = 0; i < classes.length; i++) {
      if (classes[i] !== c) continue;
      const s = [x[3 * i], x[3 * i + 1], x[3 * i + 2]];
      along.push(dot(s, n));
      distance += Math.hypot(...s.map((v, j) => v - centroids[3 * c + j]));
    }
    const mean = along.reduce((a, b) => a + b, 0) / along.length;
    spread += Math.sqrt(along.reduce((a, b) => a + (b - mean) ** 2, 0) / along.length) / 2;
  }
  const error = eps.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  $('gen-time').textContent = `${time.toFixed(2)} s`;
  $('spread').textContent = spread.toFixed(4);
  $('distance').textContent = (distance / classes.length).toFixed(4);
  $('error').textContent = error.toExponential(2);
}

/** Loads the trained weights into the element and puts back the linked mode and clamps. */
async function showLive(t: Trained): Promise<void> {
  const spec = { ...t.net.spec, layers: t.net.spec.layers.slice(), nu: t.net.spec.nu.slice() };
  const bytes = encodeNetwork(
    { ...spec, mode: state.values.mode, lambdaX: state.values.lx },
    t.net.M,
    t.net.W,
  );
  await customElements.whenDefined('pc-network');
  await live.load(bytes);
  await live.updateComplete;
  live.reset();
  restoreNetwork(live, state.values.mode, state.values.clamps);
  live.play();
}

function showLambda(): void {
  lambdaOut.value = state.values.lx.toFixed(3);
}

state.bind('seed', $('seed'), () => void run());
state.bind('decay', $('decay'), (decay) => {
  // The switch sets both decays as the paper's procedure does; the slider can then move alone.
  state.set({ lx: decay ? E1.activityDecay : 0 });
  ($('lambda-x') as HTMLInputElement).value = String(state.values.lx);
  showLambda();
  live.lambdaX = state.values.lx;
  void run();
});
state.bind('lx', $('lambda-x'), (lx) => {
  showLambda();
  live.lambdaX = lx;
  generate();
});
$('again').addEventListener('click', () => generate());
followNetwork(
  live,
  () => state.values.clamps,
  (change) => state.set(change),
);
showLambda();
void run();

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((s, v, j) => s + v * b[j], 0);
}

function cross(a: readonly number[], b: readonly number[]): number[] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function normalise(a: readonly number[]): number[] {
  const l = Math.hypot(...a) || 1;
  return a.map((v) => v / l);
}
