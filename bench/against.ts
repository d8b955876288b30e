/**
 * `npm run bench -- --against <git-ref> [ticks small streams] [--rounds=N]`: the tick rates of
 * this checkout against those of another commit's build, in the same run. The ref is checked
 * out as a detached `git worktree` in a temporary folder (node_modules linked from here), its
 * WebAssembly is built there (and here) with `node scripts/build-wasm.mjs`, then
 * bench/tick-timing.ts times both trees through their public API, interleaved (old, new, old,
 * new, new, old, ...), each run in a fresh process. The table gives, per measure, the best
 * round of each tree, new/old, and the noise: how far the median round falls below the best,
 * the larger of the two trees'. The worktree is removed at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from './suite';

/** The groups of measures bench/tick-timing.ts knows, named as the cases they mirror. */
export const TICK_GROUPS: readonly string[] = ['ticks', 'small', 'streams'];

interface Timing {
  backends: string[];
  rates: Record<string, number>;
  errors: Record<string, string>;
}

export interface AgainstRow {
  measure: string;
  old: number;
  new: number;
  ratio: number;
  noise: number;
  verdict: 'slower' | 'faster' | 'same within noise';
}

export async function compareAgainst(
  ref: string,
  options: { groups: readonly string[]; rounds: number },
): Promise<AgainstRow[]> {
  const here = fileURLToPath(new URL('..', import.meta.url));
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: here, encoding: 'utf8', stdio: 'pipe' }).trim();
  const sha = git('rev-parse', '--verify', `${ref}^{commit}`);
  const describe = git('log', '-1', '--format=%h %s', sha).slice(0, 90);
  const head = git('log', '-1', '--format=%h', 'HEAD');
  const dirty = git('status', '--porcelain', '--untracked-files=no') !== '';
  const temp = mkdtempSync(join(tmpdir(), 'pc-bench-against-'));
  const old = join(temp, 'tree');
  console.log(`old: ${describe}`);
  console.log(`new: this checkout (${head}${dirty ? ' with uncommitted changes' : ''})`);
  git('worktree', 'add', '--detach', old, sha);
  try {
    symlinkSync(join(here, 'node_modules'), join(old, 'node_modules'), 'dir');
    for (const tree of [old, here]) {
      execFileSync(process.execPath, ['scripts/build-wasm.mjs'], {
        cwd: tree,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    const script = fileURLToPath(new URL('./tick-timing.ts', import.meta.url));
    const time = (tree: string): Timing => {
      const child = spawnSync(
        process.execPath,
        ['--experimental-wasm-relaxed-simd', '--import', 'tsx', script, tree, ...options.groups],
        { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 24 },
      );
      if (child.status !== 0) {
        throw new Error(`tick-timing.ts failed on ${tree}:\n${child.stderr}`);
      }
      return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Timing;
    };
    const runs: { old: Timing[]; new: Timing[] } = { old: [], new: [] };
    for (let r = 0; r < options.rounds; r++) {
      process.stderr.write(`round ${r + 1} of ${options.rounds}\r`);
      // Old first in even rounds, new first in odd ones, so that a drift in the machine's load
      // falls on both alike.
      const order = r % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
      for (const side of order) runs[side].push(time(side === 'old' ? old : here));
    }
    process.stderr.write('\n');
    const rows = table(runs);
    print(rows, runs, options.rounds);
    return rows;
  } finally {
    git('worktree', 'remove', '--force', old);
    rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * The best of a tree's rounds (on a shared machine the fastest round is the one the other
 * tenants disturbed least), and the spread of its rounds: how far the median round falls
 * below the best, as a fraction of the best.
 */
function bestAndNoise(values: number[]): { best: number; noise: number } {
  const s = values.slice().sort((a, b) => b - a);
  const m = s.length >> 1;
  const median = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  return { best: s[0], noise: (s[0] - median) / s[0] };
}

function table(runs: { old: Timing[]; new: Timing[] }): AgainstRow[] {
  const measures = Object.keys(runs.new[0].rates).filter((m) => m in runs.old[0].rates);
  return measures.map((measure) => {
    const o = bestAndNoise(runs.old.map((t) => t.rates[measure]));
    const n = bestAndNoise(runs.new.map((t) => t.rates[measure]));
    const ratio = n.best / o.best;
    const noise = Math.max(o.noise, n.noise);
    const verdict =
      ratio < 1 - noise ? 'slower' : ratio > 1 + noise ? 'faster' : 'same within noise';
    return { measure, old: o.best, new: n.best, ratio, noise, verdict };
  });
}

function print(rows: AgainstRow[], runs: { old: Timing[]; new: Timing[] }, rounds: number): void {
  console.log(
    `\nbest of ${rounds} rounds (old new, new old, old new, ...; each a fresh process, best of ` +
      '5 repetitions); 784-600-600-10 in sample-ticks/s, the rest in ticks/s; noise: how far ' +
      "the median round falls below the best, the larger of the two trees'",
  );
  const w = Math.max(...rows.map((r) => r.measure.length));
  console.log(
    `${'measure'.padEnd(w)}  ${'old'.padStart(8)}  ${'new'.padStart(8)}  new/old  noise  verdict`,
  );
  for (const r of rows) {
    console.log(
      `${r.measure.padEnd(w)}  ${format(r.old).padStart(8)}  ${format(r.new).padStart(8)}  ` +
        `${r.ratio.toFixed(3).padStart(7)}  ${(100 * r.noise).toFixed(0).padStart(4)}%  ${r.verdict}`,
    );
  }
  for (const [side, timings] of Object.entries(runs)) {
    for (const [m, e] of Object.entries(timings[0].errors)) console.log(`${side} ${m}: ${e}`);
  }
  const slower = rows.filter((r) => r.verdict === 'slower');
  console.log(
    slower.length
      ? `slower beyond noise: ${slower.map((r) => r.measure).join('; ')}`
      : 'no measure slower beyond noise',
  );
}
