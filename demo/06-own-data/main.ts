/**
 * Page 06: the user's own data. Points drawn on the plane (or a loaded file, projected on it)
 * train a PC-decay and a PC-nondecay 2-1-C network at once, each in its own worker
 * (`trainer.ts`); then each generates from every class and the samples are drawn as they
 * settle, beside the numbers that tell them apart.
 */
import { filesFromDrop, type PathedFile, readDataFile } from '../../components/data/read-data-file';
import {
  applyScaling,
  type Dataset,
  fitScaling,
  type Scaling,
  unscale,
} from '../../src/data/dataset';
import { setReady } from '../shared/task';
import { bool, int, UrlState } from '../shared/url-state';
import { classColour, PlaneCanvas } from './plot';
import {
  datasetCsv,
  DRAWN_NAMES,
  examplePoints,
  MAX_CLASSES,
  MAX_URL_POINTS,
  onGrid,
  type Points,
  pointsCsv,
  pointsField,
  type Projection,
  projectDataset,
  VIEW,
} from './points';
import { CancelledError, SETTINGS, Trainer } from './trainer';

/** The largest file read (checked before reading), and the most rows (or images). */
const READ_LIMITS = { maxBytes: 16 * 2 ** 20, maxRows: 20_000 };
/** A drag adds a point every this far (plot units). */
const STROKE_STEP = 0.07;

const state = new UrlState({
  p: pointsField(examplePoints()),
  cls: int(0, 0, DRAWN_NAMES.length - 1),
  h: int(SETTINGS.hidden, 1, 3),
  tied: bool(SETTINGS.tiedInit),
  seed: int(1, 0, 0xffffffff),
});

const $ = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
const drawPlot = new PlaneCanvas($('draw'));
const NETS = ['decay', 'nodecay'] as const;
type Net = (typeof NETS)[number];
const plots: Record<Net, PlaneCanvas> = {
  decay: new PlaneCanvas($('plot-decay')),
  nodecay: new PlaneCanvas($('plot-nodecay')),
};
const bars: Record<Net, HTMLProgressElement> = {
  decay: $('progress-decay'),
  nodecay: $('progress-nodecay'),
};
const trainers: Record<Net, Trainer> = { decay: new Trainer(), nodecay: new Trainer() };
const status = $<HTMLElement>('status');
const note = $<HTMLElement>('data-note');
const projection = $<HTMLSelectElement>('projection');
const cancelButton = $<HTMLButtonElement>('cancel');
const generateButton = $<HTMLButtonElement>('generate');

let points: Points = state.values.p;
/** The file the points came from, while they are as it gave them (the Download gives it). */
let source: { data: Dataset; file: string } | null = null;
/** The number of points before each stroke, for Undo. */
let strokes: number[] = [];
/** What the trained networks learned, to map the samples back onto the plot. */
let trained: { classes: number[]; scaling: Scaling; means: number[] } | null = null;
/** Bumped by every new run, so that a stale one stops drawing. */
let run = 0;

// --- the data -------------------------------------------------------------------------------

/** Shows the data, writes it into the address and says what the address holds. */
function dataChanged(): void {
  state.set({ p: points });
  drawPlot.draw({ points, means: classMeans(points) });
  const n = points.labels.length;
  const inUrl = n <= MAX_URL_POINTS;
  const from = source ? `${source.file}: ${source.data.count} rows, ` : '';
  note.textContent =
    `${from}${n} point${n === 1 ? '' : 's'} in ${countClasses(points)} classes. ` +
    (inUrl
      ? source
        ? 'They are part of this page’s address as drawn (their classes as A, B, C…).'
        : 'They are part of this page’s address: the link reproduces them.'
      : `More than ${MAX_URL_POINTS} points are too big for the address (the link holds none): ` +
        'use Download CSV to share them.');
  for (const button of document.querySelectorAll<HTMLButtonElement>('.classes button')) {
    const c = Number(button.dataset.class);
    button.textContent = points.classNames[c] ?? DRAWN_NAMES[c];
    button.style.setProperty('--swatch', classColour(c));
  }
  showLegend();
  $<HTMLButtonElement>('undo').disabled = strokes.length === 0;
}

/** The data changed under trained networks: their samples no longer match. */
function dataEdited(): void {
  source = null;
  projection.disabled = true;
  dataChanged();
  if (trained) status.textContent = 'The data changed: Train both again.';
}

function countClasses(p: Points): number {
  return new Set(p.labels).size;
}

function classMeans(p: Points): number[] {
  const k = p.classNames.length;
  const sum = new Array<number>(2 * k).fill(0);
  const n = new Array<number>(k).fill(0);
  p.labels.forEach((c, i) => {
    sum[2 * c] += p.xy[2 * i];
    sum[2 * c + 1] += p.xy[2 * i + 1];
    n[c]++;
  });
  return sum.map((s, j) => (n[j >> 1] ? s / n[j >> 1] : NaN));
}

function showLegend(): void {
  const used = [...new Set(points.labels)].sort((a, b) => a - b);
  const item = (colour: string, shape: string, text: string) =>
    `<li><svg viewBox="-5 -5 10 10" aria-hidden="true">${shape.replace('C', colour)}</svg>${text}</li>`;
  $('legend').innerHTML = [
    ...used.map((c) =>
      item(classColour(c), '<circle r="3.5" fill="C"/>', `class ${escape(points.classNames[c])}`),
    ),
    item('currentColor', '<path d="M0-4 4 0 0 4-4 0Z" fill="none" stroke="C"/>', 'class mean'),
    item(
      'currentColor',
      '<path d="M-3-3 3 3M-3 3 3-3" stroke="C" stroke-width="1.5"/>',
      'generated sample',
    ),
  ].join('');
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Drawing: a tap adds a point of the chosen class, a drag one every STROKE_STEP.
const canvas = drawPlot.canvas;
let stroke: { id: number; last: [number, number] } | null = null;

function addPoint(at: [number, number]): void {
  const [x, y] = at.map((v) => onGrid(Math.max(-VIEW, Math.min(VIEW, v))));
  points.xy.push(x, y);
  points.labels.push(state.values.cls);
  drawPlot.draw({ points, means: classMeans(points) });
}

canvas.addEventListener('pointerdown', (e) => {
  if (e.pointerType === 'mouse' && e.button !== 0) return;
  e.preventDefault();
  canvas.setPointerCapture(e.pointerId);
  strokes.push(points.labels.length);
  const at = drawPlot.toPlane(e.clientX, e.clientY);
  stroke = { id: e.pointerId, last: at };
  addPoint(at);
});
canvas.addEventListener('pointermove', (e) => {
  if (!stroke || e.pointerId !== stroke.id) return;
  const at = drawPlot.toPlane(e.clientX, e.clientY);
  if (Math.hypot(at[0] - stroke.last[0], at[1] - stroke.last[1]) < STROKE_STEP) return;
  stroke.last = at;
  addPoint(at);
});
const endStroke = (e: PointerEvent) => {
  if (!stroke || e.pointerId !== stroke.id) return;
  stroke = null;
  dataEdited();
};
canvas.addEventListener('pointerup', endStroke);
canvas.addEventListener('pointercancel', endStroke);

for (const button of document.querySelectorAll<HTMLButtonElement>('.classes button')) {
  button.addEventListener('click', () => {
    state.set({ cls: Number(button.dataset.class) });
    showClass();
  });
}
function showClass(): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('.classes button')) {
    b.setAttribute('aria-pressed', String(Number(b.dataset.class) === state.values.cls));
  }
}

$('undo').addEventListener('click', () => {
  const n = strokes.pop();
  if (n === undefined) return;
  points.xy.length = 2 * n;
  points.labels.length = n;
  dataEdited();
});
$('clear').addEventListener('click', () => {
  points = { xy: [], labels: [], classNames: DRAWN_NAMES.slice() };
  strokes = [];
  dataEdited();
});

$('download').addEventListener('click', () => {
  const text = source ? datasetCsv(source.data) : pointsCsv(points);
  const name = source ? `${source.file.replace(/\.[^.]*$/, '')}.csv` : 'points.csv';
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
});

/**
 * Loads a CSV, JSON or zip file, or a folder's images (components/data's readDataFile); a bad
 * one is reported and the data shown stays as it was.
 */
async function load(input: File | readonly (File | PathedFile)[]): Promise<void> {
  const files = input instanceof File ? [input] : input;
  const first = files[0];
  const name =
    files.length === 1
      ? first instanceof File
        ? first.name
        : first.path
      : `${(first instanceof File ? first.webkitRelativePath : first.path).split('/')[0] || 'folder'}`;
  note.textContent = `Reading ${name}…`;
  try {
    const data = await readDataFile(input, READ_LIMITS);
    if (data.classNames.length > MAX_CLASSES) {
      throw new Error(
        `${name}: ${data.classNames.length} classes; this page shows at most ${MAX_CLASSES}`,
      );
    }
    if (data.count === 0) throw new Error(`${name}: no rows`);
    source = { data, file: name };
    projection.disabled = data.dim <= 2;
    showSource();
  } catch (e) {
    note.textContent = `Not loaded (the data shown is kept): ${(e as Error).message}`;
  }
}

/** Shows the loaded file on the plane, as the projection chosen. */
function showSource(): void {
  if (!source) return;
  const { points: p, axes } = projectDataset(source.data, projection.value as Projection);
  points = p;
  strokes = [];
  dataChanged();
  $('draw-caption').textContent =
    `${source.file}, ${axes[0]} across, ${axes[1]} up (each scaled to [−1, 1]); tap to add points.`;
  void trainBoth();
}

for (const id of ['file', 'folder']) {
  $<HTMLInputElement>(id).addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    if (files.length > 0) void load(id === 'file' ? files[0] : files);
    input.value = '';
  });
}
projection.addEventListener('change', () => showSource());
canvas.addEventListener('dragover', (e) => e.preventDefault());
canvas.addEventListener('drop', (e) => {
  e.preventDefault();
  if (!e.dataTransfer) return;
  void filesFromDrop(e.dataTransfer).then((files) =>
    load(files.length === 1 ? files[0].file : files),
  );
});

// --- the networks ---------------------------------------------------------------------------

function busy(on: boolean): void {
  cancelButton.disabled = !on;
  generateButton.disabled = on || !trainers.decay.trained || !trainers.nodecay.trained;
}

/** Trains both networks on the points, at once, then generates. */
async function trainBoth(): Promise<void> {
  const mine = ++run;
  for (const net of NETS) trainers[net].cancel();
  trained = null;
  const classes = [...new Set(points.labels)].sort((a, b) => a - b);
  if (classes.length < 2) {
    status.textContent = 'Draw points of at least two classes, then Train both.';
    busy(false);
    setReady(true);
    return;
  }
  setReady(false);
  busy(true);
  const index = new Map(classes.map((c, k) => [c, k]));
  const labels = Uint8Array.from(points.labels, (c) => index.get(c)!);
  const xy = Float32Array.from(points.xy);
  const scaling = fitScaling(
    {
      inputs: xy,
      labels,
      classNames: classes.map(String),
      featureNames: ['x', 'y'],
      count: labels.length,
      dim: 2,
    },
    [-1, 1],
  );
  const inputs = applyScaling(xy, scaling);
  const settings = { ...SETTINGS, hidden: state.values.h, tiedInit: state.values.tied };
  status.textContent = 'Training both networks…';
  const started = performance.now();
  try {
    const results = await Promise.all(
      NETS.map((net) => {
        bars[net].value = 0;
        return trainers[net].train(
          {
            inputs,
            labels,
            classes: classes.length,
            decay: net === 'decay',
            seed: state.values.seed,
            settings,
          },
          (fraction) => (bars[net].value = fraction),
        );
      }),
    );
    if (mine !== run) return;
    NETS.forEach((net, i) => {
      bars[net].value = 1;
      const a = results[i].accuracy;
      $(`acc-${net}`).textContent = Number.isFinite(a) ? `${Math.round(a * 100)}%` : 'diverged';
    });
    trained = { classes, scaling, means: classMeans(points) };
    status.textContent = `Trained in ${((performance.now() - started) / 1000).toFixed(1)} s (${results[0].seconds} s simulated each).`;
    await generate(mine);
  } catch (e) {
    if (mine !== run) return;
    busy(false);
    setReady(true);
    if (e instanceof CancelledError) {
      for (const net of NETS) bars[net].value = 0;
      status.textContent = 'Training cancelled.';
      return;
    }
    status.textContent = `Training failed: ${(e as Error).message}`;
    throw e;
  }
}

/** Generates from every class with both networks, drawing the samples as they settle. */
async function generate(mine = ++run): Promise<void> {
  const t = trained;
  if (!t) return;
  setReady(false);
  busy(true);
  const { perClass } = SETTINGS;
  const classes = Array.from(
    { length: t.classes.length * perClass },
    (_, i) => t.classes[Math.floor(i / perClass)],
  );
  const show = (net: Net, x: Float32Array) => {
    if (mine !== run) return null;
    const xy = unscale(x, t.scaling);
    plots[net].draw({ points, faint: true, samples: { xy, classes }, means: t.means });
    return xy;
  };
  try {
    const finals = await Promise.all(
      NETS.map((net) => trainers[net].generate(state.values.seed + 1, (x) => void show(net, x))),
    );
    if (mine !== run) return;
    const notes: string[] = [];
    NETS.forEach((net, i) => {
      const xy = show(net, finals[i].x)!;
      const m = measure(xy, classes, t.means);
      $(`dist-${net}`).textContent = m.distance.toFixed(3);
      $(`spread-${net}`).textContent = m.spread.toFixed(3);
      const out = plots[net].outside();
      $(`out-${net}`).textContent = `${out} of ${classes.length}`;
      $(`fig-${net}`).setAttribute('data-distance', String(m.distance));
      $(`fig-${net}`).setAttribute('data-samples', String(classes.length));
      if (finals[i].diverged) notes.push(`${net}: ${finals[i].diverged}`);
    });
    const out = plots.nodecay.outside();
    $('outside-nodecay').textContent = out
      ? `${out} samples lie beyond the plot, further along their lines.`
      : '';
    status.textContent =
      `${status.textContent?.replace(/ Generated.*$/, '') ?? ''} Generated ${perClass} samples a class, ${finals[0].time.toFixed(1)} s each.` +
      (notes.length ? ` ${notes.join('; ')}` : '');
  } catch (e) {
    if (mine !== run) return;
    if (e instanceof CancelledError) status.textContent = 'Generation cancelled.';
    else {
      status.textContent = `Generation failed: ${(e as Error).message}`;
      throw e;
    }
  } finally {
    if (mine === run) {
      busy(false);
      setReady(true);
    }
  }
}

/**
 * The mean distance of the samples to their class mean, and the spread: the standard
 * deviation along each class's main axis (its samples' first principal direction), averaged
 * over the classes.
 */
function measure(xy: number[], classes: number[], means: number[]) {
  let distance = 0;
  let spread = 0;
  const used = [...new Set(classes)];
  for (const c of used) {
    let n = 0;
    let mx = 0;
    let my = 0;
    classes.forEach((k, i) => {
      if (k !== c) return;
      distance += Math.hypot(xy[2 * i] - means[2 * c], xy[2 * i + 1] - means[2 * c + 1]);
      mx += xy[2 * i];
      my += xy[2 * i + 1];
      n++;
    });
    mx /= n;
    my /= n;
    let a = 0;
    let b = 0;
    let d = 0;
    classes.forEach((k, i) => {
      if (k !== c) return;
      const dx = xy[2 * i] - mx;
      const dy = xy[2 * i + 1] - my;
      a += (dx * dx) / n;
      b += (dx * dy) / n;
      d += (dy * dy) / n;
    });
    const largest = (a + d) / 2 + Math.sqrt(((a - d) / 2) ** 2 + b * b);
    spread += Math.sqrt(largest) / used.length;
  }
  return { distance: distance / classes.length, spread };
}

$('train').addEventListener('click', () => void trainBoth());
generateButton.addEventListener('click', () => void generate());
cancelButton.addEventListener('click', () => {
  run++;
  for (const net of NETS) trainers[net].cancel();
  for (const net of NETS) bars[net].value = 0;
  status.textContent = 'Cancelled.';
  trained = null;
  busy(false);
  setReady(true);
});
state.bind('h', $('hidden'), () => void trainBoth());
state.bind('seed', $('seed'), () => void trainBoth());
state.bind('tied', $('tied'), () => void trainBoth());

// The settings, as the networks use them.
const shown: Record<string, string | number> = {
  weightDecay: SETTINGS.weightDecay,
  activityDecay: SETTINGS.activityDecay,
  maxUrlPoints: MAX_URL_POINTS,
};
for (const el of document.querySelectorAll<HTMLElement>('[data-setting]')) {
  el.textContent = String(shown[el.dataset.setting!]);
}
const s = SETTINGS;
$('settings-note').textContent =
  `Each network is a linear 2-h-C predictive-coding network (h hidden nodes, C classes), ` +
  `trained by the paper's continuous-time procedure (E1's settings, section 4.2): ` +
  `initial weights ~ N(0, (1 / (2 √N))²), W = Mᵀ at the start when that box is ticked, ` +
  `τ = ${s.tau}, γ = ${s.gamma}, dt = ${s.dt}, batches of ${s.batch} held ${s.holdSeconds} s ` +
  `each, ${s.samplesShown} samples shown in all (${s.samplesShown / s.batch} batches, the data ` +
  `repeated or sampled to that many); PC-decay with λM = λW = ${s.weightDecay}, PC-nondecay ` +
  `with 0. Generation holds the output at the class and lets the input settle for ` +
  `${s.generateSeconds} s from states ~ N(0, ${s.initStd}²), ${s.perClass} samples a class, with ` +
  `λx = ${s.activityDecay} for PC-decay and 0 without. Both networks train at once, each in ` +
  `its own worker, so the page never waits on them; Cancel ends the workers.`;

showClass();
dataChanged();
busy(false);
void trainBoth();
