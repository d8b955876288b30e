import type { ExperimentReport } from '../experiments/types';

/** Flattens nested objects into dotted keys: {decay: {avg: 1}} -> {"decay.avg": 1}. */
function flatten(
  value: unknown,
  prefix = '',
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out[prefix] = value;
  return out;
}

function show(v: unknown): string {
  if (typeof v === 'number')
    return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2);
  if (v === null || v === undefined) return '-';
  return String(v);
}

/** Our numbers beside the paper's, one row per key, then the settings and the wall time. */
export function formatReport(report: ExperimentReport): string {
  const ours = flatten(report.results);
  const paper = flatten(report.paper);
  const keys = Object.keys(ours);
  const width = Math.max(12, ...keys.map((k) => k.length));
  const lines = [`${report.experiment}: ours beside the paper's`, ''];
  lines.push(`${'measure'.padEnd(width)}  ${'ours'.padStart(12)}  ${'paper'.padStart(12)}`);
  for (const k of keys)
    lines.push(`${k.padEnd(width)}  ${show(ours[k]).padStart(12)}  ${show(paper[k]).padStart(12)}`);
  for (const k of Object.keys(paper)) if (!(k in ours)) lines.push(`paper ${k}: ${show(paper[k])}`);
  if (report.extra) {
    const extra = flatten({
      ...report.extra,
      generatedImagesFirstNetwork: undefined,
      cosines: undefined,
    });
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) lines.push(`${k}: ${show(v)}`);
  }
  lines.push(
    '',
    `settings: ${JSON.stringify(report.settings)}`,
    `wall time: ${report.seconds.toFixed(1)} s`,
  );
  return lines.join('\n');
}

let started = 0;
let lastPrint = 0;
let lastTenth = -1;
let lastPercent = -1;
let active = false;

/** Progress on stderr: a live line on a terminal, a line per 10% otherwise; with time left. */
export function progressPrinter(id: string): (fraction: number, label: string) => void {
  started = Date.now();
  lastPrint = 0;
  lastTenth = -1;
  lastPercent = -1;
  active = true;
  const tty = process.stderr.isTTY;
  return (fraction, label) => {
    const now = Date.now();
    // On a terminal, every half second; in a log, each tenth, and each percent 30 s apart.
    const tenth = Math.floor(fraction * 10);
    const percent = Math.floor(fraction * 100);
    const due = tty
      ? now - lastPrint >= 500
      : tenth !== lastTenth || (percent !== lastPercent && now - lastPrint >= 30_000);
    if (!due) return;
    lastPrint = now;
    lastTenth = tenth;
    lastPercent = percent;
    const elapsed = (now - started) / 1000;
    const left = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : NaN;
    const eta = Number.isFinite(left) ? `, about ${formatSeconds(left)} left` : '';
    const line = `${id} ${(fraction * 100).toFixed(0)}% (${label})${eta}`;
    if (tty) process.stderr.write(`\r${line.padEnd(70)}`);
    else process.stderr.write(`${line}\n`);
  };
}

progressPrinter.done = (): void => {
  if (active && process.stderr.isTTY) process.stderr.write('\r'.padEnd(72) + '\r');
  active = false;
};

function formatSeconds(s: number): string {
  return s < 90
    ? `${Math.round(s)} s`
    : s < 5400
      ? `${Math.round(s / 60)} min`
      : `${(s / 3600).toFixed(1)} h`;
}
