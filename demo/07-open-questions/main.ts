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

// A study's whole report only: the parts of a sharded run (study-NAME-shard-IofN.json) are for
// pcnet merge.
const jsons = import.meta.glob<StudyFile>(
  ['../../docs/results/study-*.json', '!../../docs/results/study-*-shard-*.json'],
  {
    eager: true,
    import: 'default',
  },
);
const pngs = import.meta.glob<string>('../../docs/results/study-*.png', {
  eager: true,
  query: '?url',
  import: 'default',
});

/**
 * A study's committed result: the full run where there is one, else the quick one (`quick`
 * given: only that one).
 */
function study(
  name: string,
  only?: boolean,
): { data: StudyFile; file: string; quick: boolean } | undefined {
  for (const quick of only === undefined ? [false, true] : [only]) {
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
    `${layers ? `, network ${layers}` : ''}, ${f(s.data.seconds, 0)} s of wall time.`;
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

function showPareto(): void {
  const s = study('pareto');
  if (!s) {
    notRun('pareto-chart', 'pareto');
    return;
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
  const beatNone = none
    ? points.filter(
        (p) =>
          p !== none &&
          p.accuracy >= none.accuracy &&
          p.cosine >= none.cosine &&
          (p.accuracy > none.accuracy || p.cosine > none.cosine),
      )
    : [];
  const free =
    beatNone.length > 0
      ? ` λ = 0 is not even an end of the trade-off: λ = ${beatNone.map((p) => p.lambda).join(', ')} ` +
        `${beatNone.length > 1 ? 'beat' : 'beats'} λ = 0 in both measures (up to ` +
        `${(100 * Math.max(...beatNone.map((p) => p.accuracy - none!.accuracy))).toFixed(1)} points of accuracy).`
      : '';
  answer(
    'pareto-answer',
    none
      ? `${trade ? 'A trade-off: ' : 'No clean trade-off: '}from λ = 0 to λ = ${most.lambda} the accuracy goes ` +
          `from ${pct(none.accuracy)} to ${pct(most.accuracy)} and the cosine from ${f(none.cosine)} to ` +
          `${f(most.cosine)} (the best cosine: λ = ${best.lambda}). ${front.length} of the ` +
          `${points.length} networks are on the front${front.length === points.length ? ': each λ is a different, unbeaten compromise' : ''}.` +
          free
      : 'The study has no λ = 0 network to compare with.',
    !trade,
  );
  const png = pngs[`../../docs/results/${s.file.replace('.json', '.png')}`];
  const img = $('pareto-digits') as HTMLImageElement;
  if (png) {
    img.src = png;
    img.alt = 'Class means, then the digits generated by the network of each λ';
  } else img.closest('figure')!.remove();
}

function showTaper(): void {
  const s = study('taper');
  if (!s) {
    notRun('taper-chart', 'taper');
    return;
  }
  // The pareto networks of the same protocol (quick with quick, full with full).
  const same = study('pareto', s.quick);
  const pareto = same && {
    points: same.data.results.points as Point[],
    front: same.data.results.front as Point[],
  };
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
  if (same) $('taper-source').append(` In grey: docs/results/${same.file}, the same protocol.`);
  table(
    'taper-table',
    ['schedule', 'λ0', 'accuracy', 'cosine'],
    points.map((p) => [p.schedule!, p.lambda, pct(p.accuracy), f(p.cosine)]),
  );
  const wins = tapering.filter((t) => t.dominatesConstant);
  const beats = (q: Point, p: Point) =>
    q.accuracy >= p.accuracy &&
    q.cosine >= p.cosine &&
    (q.accuracy > p.accuracy || q.cosine > p.cosine);
  // Only the tapered networks (a constant schedule is pareto's own network of that λ), and only
  // against the front (every network beats λ = 0 there).
  const beyond = pareto
    ? points
        .filter((t) => t.schedule !== 'constant')
        .flatMap((t) =>
          pareto.front
            .filter((p) => beats(t, p))
            .map(
              (p) =>
                `${t.schedule} from ${t.lambda} beats the constant λ = ${p.lambda} by ` +
                `${(100 * (t.accuracy - p.accuracy)).toFixed(1)} points and ${f(t.cosine - p.cosine)}`,
            ),
        )
    : [];
  const against = pareto
    ? beyond.length
      ? ` Against the pareto study's front: ${beyond.join('; ')}.`
      : ' No taper beats any network on the pareto study’s front either.'
    : '';
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
      ? `Negative: no taper beats the constant λ0 in both measures. Tapering buys accuracy with cosine ` +
          `(${gains}).` +
          against
      : `Tapering helps: ${wins.map((t) => `${t.schedule} from ${t.lambda}`).join(', ')} beat the ` +
          `constant λ0 in both measures (${gains}).` +
          against,
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
    tanh?: Record<
      string,
      {
        generated?: { cosine?: { avg: number } };
        constrained?: { cosine?: { avg: number } };
        agreement?: number[];
      }
    >;
  };
  const parts: string[] = [];
  const positive = (r.linear ?? [])
    .filter((p) => p.lambdaX > 0)
    .sort((a, b) => b.lambdaX - a.lambdaX);
  if (positive.length > 0) {
    const series: Series[] = [
      {
        name: 'distance of decay’s sample to the minimum-norm solution x*',
        colour: 'var(--decay)',
        points: positive.map((p) => ({
          x: Math.log10(p.lambdaX),
          y: p.distance,
          label: `λx = ${p.lambdaX}`,
        })),
        line: true,
      },
    ];
    const fig = document.createElement('figure');
    fig.append(
      chart(series, {
        xLabel: 'log₁₀ λx (activity decay)',
        yLabel: '‖x(1) − x*(1)‖',
        title:
          'Constrained study, linear network: distance of the decay sample to the minimum-norm solution against λx',
      }),
      legend(series),
    );
    const cap = document.createElement('figcaption');
    cap.textContent = `docs/results/${s.file}. Linear network: x* is min ‖x‖ subject to the network’s equations, solved directly.`;
    fig.append(cap);
    body.append(fig);
    const large = positive[0];
    const small = positive[positive.length - 1];
    const zero = (r.linear ?? []).find((p) => p.lambdaX === 0);
    parts.push(
      `Linear: decay's sample is ${f(large.distance, 3)} from x* at λx = ${large.lambdaX} and ${f(small.distance, 3)} at λx = ${small.lambdaX}` +
        (small.distance < large.distance
          ? ': it tends to the constrained solution as λx → 0, as Theorem 1 says'
          : ': it does not tend to the constrained solution as λx → 0 (negative)') +
        (zero
          ? `; at λx = 0 exactly it lands anywhere on the solutions (${f(zero.distance, 3)} away).`
          : '.'),
    );
  }
  for (const [name, t] of Object.entries(r.tanh ?? {})) {
    const g = t.generated?.cosine?.avg;
    const c = t.constrained?.cosine?.avg;
    const a = t.agreement?.length
      ? t.agreement.reduce((x, y) => x + y, 0) / t.agreement.length
      : NaN;
    if (g !== undefined && c !== undefined) {
      parts.push(
        `Tanh MNIST, ${name === 'noDecay' ? 'no decay' : name}: its generated digits have cosine ${f(g)} to the class means, the constrained solution's ${f(c)}; the two agree to ${f(a)}.`,
      );
    }
  }
  const p = document.createElement('p');
  p.className = 'answer';
  p.textContent = parts.length ? parts.join(' ') : 'The results, as committed:';
  body.prepend(p);
  if (!parts.length) {
    const pre = document.createElement('pre');
    pre.textContent = dump(s.data.results);
    body.append(pre);
  }
}

/** Whether the PC networks hold more accuracy than the backprop one under the same attack. */
function robustness(
  firsts: { net: string; curve: { epsilon: number; accuracy: number }[] }[],
  at: (curve: { epsilon: number; accuracy: number }[]) => number,
): string {
  const bp = firsts.find((x) => x.net === 'backprop');
  if (!bp) return '';
  const pc = firsts.filter((x) => x !== bp);
  const ahead = pc.filter((x) => at(x.curve) - at(bp.curve) > 0.05);
  return ahead.length
    ? `The ${ahead.map((x) => (x.net === 'noDecay' ? 'no-decay' : x.net)).join(' and ')} network${ahead.length > 1 ? 's' : ''} ` +
        `${ahead.length > 1 ? 'hold' : 'holds'} more than 5 points above backprop there.`
    : 'Negative: the generative PC networks are no more robust than the backprop network (within 5 points).';
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
  const colours: Record<string, string> = {
    decay: 'var(--decay)',
    noDecay: 'var(--nodecay)',
    backprop: 'var(--fg)',
  };
  const named = new Set<string>();
  const series: Series[] = names.map((name) => {
    const net = name.split('/')[0];
    const first = !named.has(net);
    named.add(net);
    return {
      name: first ? (net === 'noDecay' ? 'no decay' : net) : '',
      colour: colours[net] ?? 'var(--accent)',
      points: networks[name].curve.map((p) => ({ x: p.epsilon, y: p.accuracy })),
      line: true,
      dashed: name.includes('pgd'),
    };
  });
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
  cap.textContent = `docs/results/${s.file}. Solid: FGSM, dashed: PGD; each with the gradient by backprop and through the relaxation (the lines lie on each other).`;
  fig.append(cap);
  body.append(fig);
  const rows: (string | number)[][] = [];
  let gain = -Infinity;
  let best = -Infinity;
  for (const name of names) {
    for (const d of networks[name].detector ?? []) {
      rows.push([name, d.epsilon, f(d.auc), d.baselineAuc === undefined ? '–' : f(d.baselineAuc)]);
      best = Math.max(best, d.auc);
      if (d.baselineAuc !== undefined) gain = Math.max(gain, d.auc - d.baselineAuc);
    }
  }
  // Accuracy at a middle ε of each network's FGSM curve (its first), decay against backprop.
  const firsts = [...named].map((net) => ({
    net,
    curve: networks[names.find((n) => n.startsWith(`${net}/`))!].curve,
  }));
  const eps = firsts[0]?.curve.map((c) => c.epsilon).filter((e) => e > 0) ?? [];
  const mid = eps[Math.floor((eps.length - 1) / 2)];
  const at = (curve: { epsilon: number; accuracy: number }[], e: number) =>
    curve.find((c) => c.epsilon === e)?.accuracy ?? NaN;
  const last = eps[eps.length - 1];
  const worst = Math.max(...names.map((n) => at(networks[n].curve, last)));
  const parts = [
    mid === undefined
      ? ''
      : `At ε = ${mid}: ${firsts.map((x) => `${x.net === 'noDecay' ? 'no decay' : x.net} ${pct(at(x.curve, mid))}`).join(', ')} (FGSM); ` +
        `at ε = ${last} every network is at ${pct(worst)} or less. ` +
        robustness(firsts, (c) => at(c, mid)),
  ];
  const p = document.createElement('p');
  p.className = 'answer';
  if (rows.length) {
    parts.push(
      gain < 0.02
        ? `Negative for the error nodes: ‖ε‖ at equilibrium separates attacked from clean inputs (ROC AUC up to ${f(best)}) but no better than the output alone (at most ${f(gain)} above it).`
        : `The error nodes add to the output: ‖ε‖'s ROC AUC is up to ${f(gain)} above the output-only score (best ${f(best)}).`,
    );
  }
  p.textContent = parts.join(' ');
  p.classList.toggle('negative', rows.length > 0 && gain < 0.02);
  body.prepend(p);
  if (rows.length) {
    const details = document.createElement('details');
    details.innerHTML = '<summary>The detector’s ROC AUC at every ε</summary>';
    const t = document.createElement('table');
    t.className = 'numbers';
    t.id = 'adversarial-table';
    details.append(t);
    body.append(details);
    table(
      'adversarial-table',
      ['network/attack/gradient', 'ε', 'AUC of ‖ε‖', 'AUC of the output alone'],
      rows,
    );
  }
}

showPareto();
showTaper();
showConstrained();
showAdversarial();
document.querySelector('main')!.dataset.ready = '';
