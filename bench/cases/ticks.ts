/**
 * Whole Euler ticks of the 784-600-600-10 tanh network, train and classify, B = 1 and 128, on
 * our backends and on TensorFlow.js (WebAssembly/XNNPACK as written, the same with the weights
 * stored transposed, and its CPU backend), with the targets.
 */
import type { Mode } from '../../src/model/spec';
import type { BenchCase } from '../case';
import { type Row, TICK_BATCHES, TICK_MODES, tickRow } from '../suite';
import { tfCandidate, TF_VARIANTS } from '../tfjs';

export const ticks: BenchCase = {
  name: 'ticks',
  measures: '784-600-600-10 sample-ticks/s, B = 1 and 128, train and classify: ours and TF.js',
  part: 'node',
  usesTf: true,
  async run({ backends, ours, tfjs, log, print }) {
    log('784-600-600-10 tanh network (λM = λW = 0.05), Euler ticks: sample-ticks/s = ticks/s × B');
    const pairs: [string, string][] = [
      [ours, 'js'],
      [ours, 'tfjs-wasm'],
      [ours, 'tfjs-wasm-T'],
      [ours, 'tfjs-cpu'],
      ['tfjs-wasm', 'js'],
    ];
    if (ours !== 'wasm-simd') pairs.splice(1, 0, ['wasm-simd', 'js']);
    const rows: Row[] = [];
    for (const batch of [...TICK_BATCHES]) {
      for (const mode of TICK_MODES) {
        const disposers: (() => void)[] = [];
        const row = await tickRow(backends, batch, mode, {
          pairs,
          extra: async (net) => {
            if (!tfjs) return [];
            const cands = [];
            for (const v of TF_VARIANTS) cands.push(await tfCandidate(tfjs.tf, v, net));
            disposers.push(...cands.map((c) => () => c.dispose()));
            return cands;
          },
        });
        disposers.forEach((d) => d());
        rows.push(print(row));
      }
    }
    log();
    return tfjs ? { ticks: rows, targets: targets(rows, ours, log) } : { ticks: rows };
  },
};

/** The targets, from the tick rows: reported, not asserted. */
function targets(rows: Row[], ours: string, log: (line?: string) => void): unknown[] {
  const list: {
    what: string;
    ratio: number;
    target: number;
    met: boolean;
  }[] = [];
  const fig = (batch: number, mode: Mode, name: string): number =>
    rows.find((r) => r.what === `B = ${batch}, ${mode}`)?.figures[name] ?? NaN;
  for (const mode of TICK_MODES) {
    for (const [batch, against, target] of [
      [128, 'tfjs-wasm', 1.5],
      [1, 'tfjs-wasm', 5],
      [1, 'js', 6],
    ] as const) {
      const ratio = fig(batch, mode, ours) / fig(batch, mode, against);
      list.push({
        what: `${ours} / ${against}, B = ${batch}, ${mode}`,
        ratio,
        target,
        met: ratio >= target,
      });
    }
  }
  log(`targets (${ours} is what bestBackend() picks; reported, not asserted)`);
  for (const t of list) {
    log(
      `${t.what.padEnd(46)} ${t.ratio.toFixed(2)}x   target ≥ ${t.target}x   ${t.met ? 'met' : 'MISSED'}`,
    );
  }
  log();
  return list;
}
