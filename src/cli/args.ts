/**
 * Command-line helpers shared by the `pcnet` commands: every flag is checked here, before any
 * work starts, and a bad one is a {@link UsageError} (`--flag must be <rule>, got <value>`,
 * then the usage, exit status 2). The network's flags come from the engine's PARAMS table.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  inInteger,
  inReal,
  PARAMS,
  type Param,
  type ParamName,
  type Range,
  rangeRule,
  rangeShort,
} from '../model/params';
import { type NetworkSpec, type NetworkSpecInput, resolveSpec, SpecError } from '../model/spec';

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

/** A command's own option (not a spec field): its flag, range and what it is. */
export interface OptionBound {
  readonly flag: string;
  readonly range: Extract<Range, { kind: 'real' | 'integer' }>;
  readonly doc: string;
}

const integer = (min: number, max: number) => ({ kind: 'integer', min, max }) as const;
const seconds = (max: number) =>
  ({ kind: 'real', min: 0, minExclusive: true, max, maxExclusive: false }) as const;
const positive = {
  kind: 'real',
  min: 0,
  minExclusive: true,
  max: Infinity,
  maxExclusive: false,
} as const;

/**
 * The bounds of the commands' own options, checked before any work starts (an epoch count or
 * a run length past them would run for hours) and listed in the usage text.
 */
export const OPTIONS = {
  epochs: { flag: '--epochs', range: integer(1, 10000), doc: 'passes over the data (train)' },
  reproduceEpochs: {
    flag: '--epochs',
    range: integer(1, 1000),
    doc: 'passes over the data (reproduce E5 to E7)',
  },
  hold: { flag: '--hold', range: seconds(3600), doc: 'seconds each batch is held (train)' },
  batch: { flag: '--batch', range: integer(1, 65536), doc: 'samples simulated at once (train)' },
  samples: { flag: '--samples', range: integer(1, 1_000_000), doc: 'training samples (train)' },
  iterations: {
    flag: '--iterations',
    range: integer(1, 10000),
    doc: 'relaxation iterations (train --method accelerated)',
  },
  rate: { flag: '--rate', range: positive, doc: 'relaxation rate (accelerated)' },
  learningRate: {
    flag: '--learning-rate',
    range: positive,
    doc: 'weight step (accelerated)',
  },
  lrDecay: { flag: '--lr-decay', range: positive, doc: 'weight step factor per epoch' },
  seconds: {
    flag: '--seconds',
    range: seconds(3600),
    doc: 'simulated seconds (generate, evaluate)',
  },
  initStd: {
    flag: '--init-std',
    range: { kind: 'real', min: 0, minExclusive: false, max: Infinity, maxExclusive: false },
    doc: 'spread of the random initial state (generate)',
  },
  workers: {
    flag: '--workers',
    range: integer(0, 64),
    doc: 'worker threads (reproduce E4 to E7, study)',
  },
} as const satisfies Record<string, OptionBound>;

/** The value of a command option, checked against its bound; `fallback` when not given. */
export function option(
  values: Record<string, unknown>,
  bound: OptionBound,
  fallback?: number,
): number | undefined {
  const v = num(values, bound.flag.slice(2));
  if (v === undefined) return fallback;
  const r = bound.range;
  if (r.kind === 'integer' ? !inInteger(r, v) : !inReal(r, v)) {
    throw new UsageError(`${bound.flag} must be ${rangeRule(r)}, got ${v}`);
  }
  return v;
}

/** A spec field's error as the CLI says it: the flag in place of the field. */
function flagMessage(e: SpecError): string {
  const index = /\[(\d+)\]$/.exec(e.field);
  const name = e.field.replace(/\[\d+\]$/, '');
  const flag = PARAMS.find((p) => p.name === name)?.flag;
  if (!flag || !e.message.startsWith(`${e.field} `)) return e.message;
  const which = index ? ` value ${Number(index[1]) + 1}` : '';
  return `${flag}${which}${e.message.slice(e.field.length)}`;
}

/** `resolveSpec`, its errors as usage errors naming the flag (`--tau must be …, got 0`). */
export function checkSpec(spec: NetworkSpecInput): NetworkSpec {
  try {
    return resolveSpec(spec);
  } catch (e) {
    if (e instanceof SpecError) throw new UsageError(flagMessage(e));
    throw e;
  }
}

/**
 * The spec fields given as flags among `names` (their PARAMS rows' flags), as the spec takes
 * them: numbers, `--nu 1,1,10` as a list, `--tied` as true. Only the text is read here; the
 * values are checked by {@link checkSpec}, once.
 */
export function specFlags(
  values: Record<string, unknown>,
  names: readonly ParamName[],
): Partial<NetworkSpecInput> {
  const out: Record<string, unknown> = {};
  for (const p of PARAMS as readonly Param[]) {
    if (!p.flag || !names.includes(p.name as ParamName)) continue;
    const key = p.flag.slice(2);
    const raw = values[key];
    if (raw === undefined || raw === false) continue;
    const kind = p.range.kind;
    if (kind === 'real' || kind === 'integer') out[p.name] = num(values, key);
    else if (kind === 'perLayer') {
      const list = String(raw).split(',');
      if (String(raw).trim() === '' || list.some((t) => t.trim() === '' || isNaN(Number(t)))) {
        throw new UsageError(`${p.flag} must be numbers separated by commas, got "${raw}"`);
      }
      out[p.name] = list.map(Number);
    } else out[p.name] = raw;
  }
  return out as Partial<NetworkSpecInput>;
}

/** The parseArgs options of the spec fields among `names`. */
export function specOptions(
  names: readonly ParamName[],
): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(
    (PARAMS as readonly Param[])
      .filter((p) => p.flag && names.includes(p.name as ParamName))
      .map((p) => [p.flag!.slice(2), { type: p.range.kind === 'boolean' ? 'boolean' : 'string' }]),
  );
}

/** The usage lines of the spec fields' flags: flag, symbol, range, unit, default, what. */
export function specUsage(): string {
  return (PARAMS as readonly Param[])
    .filter((p) => p.flag)
    .map((p) => {
      const arg = p.range.kind === 'boolean' ? '' : p.name === 'layers' ? ' L' : ' V';
      const facts = [
        p.symbol,
        p.range.kind === 'boolean' ? '' : rangeShort(p.range),
        p.unit ?? '',
        p.default === null || p.default === false ? '' : `default ${p.default}`,
        p.change,
      ].filter(Boolean);
      return `  ${(p.flag + arg).padEnd(16)} ${facts.join('; ')}`;
    })
    .join('\n');
}

/** The usage lines of the commands' bounded options. */
export function optionUsage(): string {
  return Object.values(OPTIONS as Record<string, OptionBound>)
    .map((o) => `  ${o.flag.padEnd(16)} ${rangeShort(o.range)}: ${o.doc}`)
    .join('\n');
}

/**
 * Throws a usage error now, not after a long run, unless `path` can be written: its folder
 * exists and is writable, and `path` is not a folder.
 */
export async function assertWritable(path: string, option: string): Promise<void> {
  const folder = dirname(resolve(path));
  try {
    await access(folder, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${option}: cannot write "${path}" (${(e as Error).message})`);
  }
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) {
    throw new UsageError(`${option}: cannot write "${path}" (it is a folder)`);
  }
}
