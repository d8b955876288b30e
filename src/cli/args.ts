/** Command-line helpers shared by the `pcnet` commands. */

/** A bad command line: printed with the usage, exit status 2. */
export class UsageError extends Error {}

/** Parses a numeric option, or throws a {@link UsageError} naming it. */
export function num(
  values: Record<string, unknown>,
  name: string,
  fallback?: number,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(v)) {
    throw new UsageError(`--${name} must be a number, got "${String(raw)}"`);
  }
  return v;
}
