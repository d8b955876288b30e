/** Timing helpers for the benchmarks: best-of-N wall-clock rates, no allocation per call. */

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

function time(fn: () => void, calls: number): number {
  const start = performance.now();
  for (let i = 0; i < calls; i++) fn();
  return (performance.now() - start) / 1000;
}

/** `a / b` for every ordered pair of named figures (b ≠ a), e.g. `wasm-simd/js`. */
export function ratios(figures: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  const names = Object.keys(figures);
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      out[`${names[j]}/${names[i]}`] = figures[names[j]] / figures[names[i]];
    }
  }
  return out;
}
