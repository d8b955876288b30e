/// <reference types="vite/client" />
/**
 * 07 · Open questions: the studies of the paper's closing section (`pcnet study NAME`) drawn
 * from the result files the project committed (docs/results/study-NAME.json for a full run,
 * else study-NAME-quick.json), bundled into the page at build time by `import.meta.glob`, so a
 * study whose file does not exist yet shows as not run. Nothing is computed here but the
 * summaries of the committed numbers.
 */
import { chart, legend, type Series } from './chart';

interface StudyFile {
  study: string;
  settings: Record<string, unknown>;
  results: Record<string, unknown>;
  seconds: number;
}

const jsons = import.meta.glob<StudyFile>('../../docs/results/study-*.json', {
  eager: true,
  import: 'default',
});
const pngs = import.meta.glob<string>('../../docs/results/study-*.png', {
  eager: true,
  query: '?url',
  import: 'default',
});

/** A study's committed result: the full run where there is one, else the quick one. */
function study(name: string): { data: StudyFile; file: string; quick: boolean } | undefined {
  for (const quick of [false, true]) {
    const file = `study-${name}${quick ? '-quick' : ''}.json`;
    const data = jsons[`../../docs/results/${file}`];
    if (data) return { data, file, quick };
  }
  return undefined;
}

const $ = (id: string) => document.getElementById(id)!;
const f = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function source(id: string, s: { file: string; quick: boolean; data: StudyFile }): void {
  const layers = String(s.data.settings.layers ?? '');
  $(id).textContent =
    `docs/results/${s.file}: ${s.quick ? '--quick (a small network, a subset of MNIST, 1 epoch)' : 'the full study'}` +
    `${layers ? `, network ${layers}` : ''}, ${f(s.data.seconds, 0)} s.`;
}

function table(id: string, head: string[], rows: (string | number)[][]): void {
  const t = $(id) as HTMLTableElement;
  t.innerHTML = '';
  const tr = t.createTHead().insertRow();
  for (const h of head) tr.appendChild(document.createElement('th')).textContent = h;
  const body = t.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    for (const c of r) row.insertCell().textContent = String(c);
  }
}

function answer(id: string, text: string, negative: boolean): void {
  const p = $(id);
  p.textContent = text;
  p.classList.toggle('negative', negative);
}

function notRun(id: string, name: string): void {
  $(id).innerHTML =
    `<p class="notice">Not run yet: no <code>docs/results/study-${name}-quick.json</code>. ` +
    `Run <code>pcnet study ${name} --quick --json &gt; docs/results/study-${name}-quick.json</code>.</p>`;
}

interface Point {
  lambda: number;
  accuracy: number;
  cosine: number;
  schedule?: string;
}

const ACCURACY = 'test accuracy (E7’s measure)';
const COSINE = 'cosine to the class mean (E5’s)';
const SCHEDULE_COLOURS: Record<string, string> = {
  constant: 'var(--accent)',
  linear: 'var(--class-0)',
  exponential: 'var(--class-2)',
};

/** The pareto study's points and front as chart series. */
function paretoSeries(points: Point[], front: Point[], behind: boolean): Series[] {
  return [
    {
      name: behind ? 'pareto: its points and front' : 'the Pareto front',
      colour: 'var(--accent)',
      points: front.map((p) => ({ x: p.accuracy, y: p.cosine })),
      line: true,
      dots: false,
      behind,
    },
    {
      name: behind ? '' : 'one network per λ',
      colour: 'var(--accent)',
      points: points.map((p) => ({
        x: p.accuracy,
        y: p.cosine,
        label: behind ? undefined : `λ = ${p.lambda}`,
      })),
      behind,
    },
  ];
}

function showPareto(): { points: Point[]; front: Point[] } | undefined {
  const s = study('pareto');
  if (!s) {
    notRun('pareto-chart', 'pareto');
    return undefined;
  }
  const points = s.data.results.points as Point[];
  const front = s.data.results.front as Point[];
  const series = paretoSeries(points, front, false);
  $('pareto-chart').append(
    chart(series, {
      xLabel: ACCURACY,
      yLabel: COSINE,
      title: `Pareto study: accuracy against cosine for λ ${points.map((p) => p.lambda).join(', ')}`,
    }),
    legend(series),
  );
  source('pareto-source', s);
  table(
    'pareto-table',
    ['λ', 'accuracy', 'cosine', 'on the front'],
    points.map((p) => [
      p.lambda,
      pct(p.accuracy),
      f(p.cosine),
      front.some((q) => q.lambda === p.lambda) ? 'yes' : 'no',
    ]),
  );
  const none = points.find((p) => p.lambda === 0);
  const most = points.reduce((a, b) => (b.lambda > a.lambda ? b : a));
  const best = points.reduce((a, b) => (b.cosine > a.cosine ? b : a));
  const trade = none && most.accuracy < none.accuracy && most.cosine > none.cosine;
  answer(
    'pareto-answer',
    none
      ? `${trade ? 'A trade-off: ' : 'No clean trade-off: '}from λ = 0 to λ = ${most.lambda} the accuracy goes ` +
          `from ${pct(none.accuracy)} to ${pct(most.accuracy)} and the cosine from ${f(none.cosine)} to ` +
          `${f(most.cosine)} (the best cosine: λ = ${best.lambda}). ${front.length} of the ` +
          `${points.length} networks are on the front${front.length === points.length ? ': each λ is a different, unbeaten compromise' : ''}.`
      : 'The study has no λ = 0 network to compare with.',
    !trade,
  );
  const png = pngs[`../../docs/results/${s.file.replace('.json', '.png')}`];
  const img = $('pareto-digits') as HTMLImageElement;
  if (png) {
    img.src = png;
    img.alt = 'Class means, then the digits generated by the network of each λ';
  } else img.closest('figure')!.remove();
  return { points, front };
}

function showTaper(pareto: { points: Point[]; front: Point[] } | undefined): void {
  const s = study('taper');
  if (!s) {
    notRun('taper-chart', 'taper');
    return;
  }
  const points = s.data.results.points as Point[];
  const tapering = s.data.results.tapering as {
    lambda: number;
    schedule: string;
    accuracyGain: number;
    cosineGain: number;
    dominatesConstant: boolean;
  }[];
  const schedules = [...new Set(points.map((p) => p.schedule!))];
  const series: Series[] = [
    ...(pareto ? paretoSeries(pareto.points, pareto.front, true) : []),
    ...schedules.map((name) => ({
      name,
      colour: SCHEDULE_COLOURS[name] ?? 'var(--fg)',
      points: points
        .filter((p) => p.schedule === name)
        .map((p) => ({ x: p.accuracy, y: p.cosine, label: `λ0 = ${p.lambda}` })),
    })),
  ];
  $('taper-chart').append(
    chart(series, {
      xLabel: ACCURACY,
      yLabel: COSINE,
      title: `Taper study: accuracy against cosine for the schedules ${schedules.join(', ')}`,
    }),
    legend(series),
  );
  source('taper-source', s);
  table(
    'taper-table',
    ['schedule', 'λ0', 'accuracy', 'cosine'],
    points.map((p) => [p.schedule!, p.lambda, pct(p.accuracy), f(p.cosine)]),
  );
  const wins = tapering.filter((t) => t.dominatesConstant);
  const gains = tapering
    .map(
      (t) =>
        `${t.schedule} from ${t.lambda}: accuracy ${t.accuracyGain >= 0 ? '+' : ''}${(100 * t.accuracyGain).toFixed(1)} points, ` +
        `cosine ${t.cosineGain >= 0 ? '+' : ''}${f(t.cosineGain)}`,
    )
    .join('; ');
  answer(
    'taper-answer',
    wins.length === 0
      ? `Negative: no taper beats the constant λ0 in both measures. Tapering buys accuracy with cosine, ` +
          `moving along the front rather than past it (${gains}).`
      : `Tapering helps: ${wins.map((t) => `${t.schedule} from ${t.lambda}`).join(', ')} beat the ` +
          `constant λ0 in both measures (${gains}).`,
    wins.length === 0,
  );
}

/** A summary of any study's results we have no chart for: each field, briefly. */
function dump(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(4)) : v),
    1,
  );
}

function showConstrained(): void {
  const s = study('constrained');
  const body = $('constrained-body');
  if (!s) return notRun('constrained-body', 'constrained');
  const r = s.data.results as {
    linear?: { lambdaX: number; distance: number; norm: number }[];
    minNorm?: { norm: number; centroidDistance: number; sampleSpread: number };
    tanh?: Record<
      string,
      {
        generated?: { cosine?: { avg: number } };
        constrained?: { cosine?: { avg: number } };
        agreement?: number[];
      }
    >;
  };
  const fig = document.createElement('figure');
  body.append(fig);
  if (Array.isArray(r.linear) && r.linear.length > 0) {
    const rows = [...r.linear].sort((a, b) => a.lambdaX - b.lambdaX);
    const series: Series[] = [
      {
        name: '‖x(1) − x*(1)‖: distance of decay’s sample to the min-norm solution',
        colour: 'var(--decay)',
        points: rows.map((p) => ({ x: p.lambdaX, y: p.distance, label: `${p.lambdaX}` })),
        line: true,
      },
    ];
    fig.append(
      chart(series, {
        xLabel: 'activity decay λx',
        yLabel: 'distance to the constrained solution',
        title:
          'Constrained study, linear network: distance of the decay sample to the minimum-norm solution against λx',
      }),
      legend(series),
    );
    const cap = document.createElement('figcaption');
    cap.textContent = `docs/results/${s.file}. Theorem 1: as λx → 0 activity decay's sample tends to the constrained (minimum-norm) solution.`;
    fig.append(cap);
  }
  const p = document.createElement('p');
  p.className = 'answer';
  const parts: string[] = [];
  if (Array.isArray(r.linear) && r.linear.length > 1) {
    const rows = [...r.linear].sort((a, b) => a.lambdaX - b.lambdaX);
    const small = rows[0];
    const large = rows[rows.length - 1];
    parts.push(
      `Linear: at λx = ${small.lambdaX} decay's sample is ${f(small.distance, 4)} from the minimum-norm solution, at λx = ${large.lambdaX} ${f(large.distance, 4)}` +
        (small.distance < large.distance
          ? ' — it approaches it as λx → 0, as Theorem 1 says.'
          : ' — it does not approach it as λx → 0 (negative).'),
    );
  }
  if (r.tanh) {
    for (const [name, t] of Object.entries(r.tanh)) {
      const g = t.generated?.cosine?.avg;
      const c = t.constrained?.cosine?.avg;
      const a = t.agreement ? t.agreement.reduce((x, y) => x + y, 0) / t.agreement.length : NaN;
      if (g !== undefined && c !== undefined) {
        parts.push(
          `tanh ${name}: decay's digits ${f(g)} to the class means, the constrained solution's ${f(c)}, their agreement ${f(a)}.`,
        );
      }
    }
  }
  p.textContent = parts.length ? parts.join(' ') : 'The results, as committed:';
  body.append(p);
  if (!parts.length) {
    const pre = document.createElement('pre');
    pre.textContent = dump(s.data.results);
    body.append(pre);
  }
}

function showAdversarial(): void {
  const s = study('adversarial');
  const body = $('adversarial-body');
  if (!s) return notRun('adversarial-body', 'adversarial');
  const networks = (s.data.results.networks ?? {}) as Record<
    string,
    {
      curve: { epsilon: number; accuracy: number }[];
      detector?: { epsilon: number; auc: number; baselineAuc?: number }[];
    }
  >;
  const names = Object.keys(networks);
  const colours = [
    'var(--decay)',
    'var(--nodecay)',
    'var(--fg)',
    'var(--class-0)',
    'var(--class-2)',
    'var(--accent)',
  ];
  const byNetwork = [...new Set(names.map((n) => n.split('/')[0]))];
  const series: Series[] = names.map((name) => ({
    name,
    colour: colours[byNetwork.indexOf(name.split('/')[0]) % colours.length],
    points: networks[name].curve.map((p) => ({ x: p.epsilon, y: p.accuracy })),
    line: true,
    dashed: name.includes('pgd'),
  }));
  const fig = document.createElement('figure');
  fig.append(
    chart(series, {
      xLabel: 'attack size ε',
      yLabel: 'accuracy under attack',
      title: `Adversarial study: accuracy against ε for ${names.join(', ')}`,
    }),
    legend(series),
  );
  const cap = document.createElement('figcaption');
  cap.textContent = `docs/results/${s.file}. Solid: FGSM, dashed: PGD; network/attack/where the gradient is taken.`;
  fig.append(cap);
  body.append(fig);
  const rows: (string | number)[][] = [];
  for (const name of names) {
    for (const d of networks[name].detector ?? []) {
      rows.push([name, d.epsilon, f(d.auc), d.baselineAuc === undefined ? '–' : f(d.baselineAuc)]);
    }
  }
  if (rows.length) {
    const t = document.createElement('table');
    t.className = 'numbers';
    t.id = 'adversarial-table';
    body.append(t);
    table(
      'adversarial-table',
      ['network/attack/gradient', 'ε', 'AUC of ‖ε‖ at equilibrium', 'AUC of the output alone'],
      rows,
    );
    const aucs = rows.map((r) => Number(r[2]));
    const p = document.createElement('p');
    p.className = 'answer';
    const best = Math.max(...aucs);
    p.textContent =
      best > 0.75
        ? `The error nodes flag attacked inputs: the best ROC AUC of ‖ε‖ is ${f(best)}.`
        : `Negative: ‖ε‖ at equilibrium is a weak detector (best ROC AUC ${f(best)}; 0.5 is chance).`;
    p.classList.toggle('negative', best <= 0.75);
    body.insertBefore(p, fig);
  }
}

const pareto = showPareto();
showTaper(pareto);
showConstrained();
showAdversarial();
document.querySelector('main')!.dataset.ready = '';
