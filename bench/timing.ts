/**
 * Timing helpers for the benchmarks: best-of-N wall-clock rates, no allocation per call. They
 * use only `performance.now()`, so they run alike in Node and in a page.
 */

/**
 * Seconds per call of `fn`: after a warm-up, `fn` runs in rounds of a size chosen to last
 * about `seconds / trials`; the fastest round wins (the others caught a GC, a page fault, the
 * other tenant of a shared core).
 */
export function secondsPerCall(fn: () => void, seconds = 0.3, trials = 3): number {
  fn();
  let calls = 1;
  let elapsed = time(fn, calls);
  while (elapsed < seconds / trials / 4) {
    calls *= 2;
    elapsed = time(fn, calls);
  }
  calls = Math.max(1, Math.round((calls * (seconds / trials)) / elapsed));
  let best = Infinity;
  for (let t = 0; t < trials; t++) best = Math.min(best, time(fn, calls) / calls);
  return best;
}

/** Seconds taken by `calls` calls of `fn`. */
export function time(fn: () => void, calls: number): number {
  const start = performance.now();
  for (let i = 0; i < calls; i++) fn();
  return (performance.now() - start) / 1000;
}

/**
 * One contender of a measurement: `run(n)` does n units of work (calls, ticks) and returns the
 * seconds they took, leaving out any set-up it does first (resetting a network, say). `enter`
 * runs before every round, untimed (switching TensorFlow.js's global backend, say).
 */
export interface Candidate {
  name: string;
  run(units: number): number;
  enter?: () => void | Promise<void>;
}

export interface RaceOptions {
  /** About how long each candidate runs in all, after its warm-up (seconds). */
  seconds: number;
  /** Rounds per candidate; the fastest counts. */
  trials: number;
  /** At most this many units a round (a network trained on a fixed input drifts away). */
  maxUnits: number;
}

/**
 * Seconds per unit of every candidate, best of `trials` rounds of about `seconds / trials`
 * each. The rounds are interleaved (round 1 of every candidate, then round 2 of every one...),
 * so that a slow spell of this shared machine lands on every candidate rather than on one:
 * their ratios are what these figures are for. Each candidate first runs one unit to warm up
 * (compile, page in, pack weights), then rounds of doubling length up to a quarter of a round
 * to size its rounds. A candidate whose single unit takes longer than `seconds` is timed on
 * one more unit only, the faster of the two counting (so that the slowest contender does not
 * take minutes).
 */
export async function race(
  candidates: readonly Candidate[],
  options: RaceOptions,
): Promise<Record<string, number>> {
  const { seconds, trials, maxUnits } = options;
  const round = seconds / trials;
  const units: number[] = [];
  const best: number[] = [];
  const spent: number[] = [];
  for (const c of candidates) {
    await c.enter?.();
    const warm = c.run(1);
    if (warm >= seconds) {
      units.push(0);
      best.push(Math.min(warm, c.run(1)));
      spent.push(0);
      await pause();
      continue;
    }
    let n = 1;
    let elapsed = c.run(n);
    while (n < maxUnits && elapsed < round / 4) {
      n = Math.min(maxUnits, 2 * n);
      elapsed = c.run(n);
    }
    const per = elapsed / n;
    units.push(Math.max(1, Math.min(maxUnits, Math.round(round / per))));
    // A calibration round as long as half a round is a fair measurement too.
    best.push(elapsed >= round / 2 ? per : Infinity);
    spent.push(elapsed >= round / 2 ? elapsed : 0);
    await pause();
  }
  for (let t = 0; t < trials; t++) {
    for (let i = 0; i < candidates.length; i++) {
      if (units[i] === 0 || (spent[i] >= seconds && best[i] < Infinity)) continue;
      await candidates[i].enter?.();
      const elapsed = candidates[i].run(units[i]);
      best[i] = Math.min(best[i], elapsed / units[i]);
      spent[i] += elapsed;
    }
    await pause();
  }
  return Object.fromEntries(candidates.map((c, i) => [c.name, best[i]]));
}

/** Lets a page breathe between rounds (and its driver read progress); a macrotask. */
export function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * `a / b` for pairs of named figures: every ordered pair (b before a in `figures`), e.g.
 * `wasm-simd/js`, or only the pairs `[a, b]` given.
 */
export function ratios(
  figures: Record<string, number>,
  pairs?: readonly (readonly [string, string])[],
): Record<string, number> {
  const out: Record<string, number> = {};
  const names = Object.keys(figures);
  if (pairs) {
    for (const [a, b] of pairs) {
      if (a in figures && b in figures) out[`${a}/${b}`] = figures[a] / figures[b];
    }
    return out;
  }
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      out[`${names[j]}/${names[i]}`] = figures[names[j]] / figures[names[i]];
    }
  }
  return out;
}
