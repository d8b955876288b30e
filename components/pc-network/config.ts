/**
 * From the element's attributes to a network spec: a preset (or the default layers) overlaid
 * with every attribute that is set, each validated on its own by the engine's `resolveSpec`, so
 * that one bad attribute is rejected alone and the good ones apply. Errors name the attribute
 * as the page wrote it (`lambda-x`, not `lambdaX`) and the bad value.
 */
import type { ComplexAttributeConverter } from 'lit';
import {
  PARAMS,
  resolveSpec,
  SpecError,
  type NetworkSpec,
  type NetworkSpecInput,
} from '../../src/index';
import { getPreset } from '../../src/index';

type Row = (typeof PARAMS)[number];
/** The spec fields the element has an attribute for (from the engine's PARAMS table). */
type AttributeRow = Exclude<Row, { attribute: null }>;
type SpecKey = AttributeRow['name'];
type LiveKey = Exclude<Extract<AttributeRow, { change: 'live' }>['name'], 'mode'>;
type StructuralKey = Extract<AttributeRow, { change: 'structural' }>['name'];

/** An attribute's property: text for layers and choices, numbers, ν one number or a list. */
type ConfigValue<R extends Row> = R['range']['kind'] extends 'real' | 'integer'
  ? number
  : R['range']['kind'] extends 'perLayer'
    ? number | number[]
    : string;

/** The attributes that define the network (properties; undefined: the preset's or default). */
export type NetworkConfig = { preset?: string } & {
  [R in AttributeRow as R['name']]?: ConfigValue<R>;
};

/** The layers of a network given neither `layers` nor `preset`. */
export const DEFAULT_LAYERS = '10-5-3';

const attributeRows = PARAMS.filter((p): p is AttributeRow => p.attribute !== null);
/** The spec attributes in the order they are checked (`layers` first, so `nu` can count). */
const SPEC_KEYS: readonly SpecKey[] = attributeRows.map((p) => p.name);
/** Changing one of these builds a new network (new weights); the others change a live one. */
export const STRUCTURAL_KEYS = [
  'preset',
  ...attributeRows.filter((p) => p.change === 'structural').map((p) => p.name as StructuralKey),
] as const;
export const LIVE_KEYS: readonly LiveKey[] = attributeRows
  .filter((p) => p.change === 'live' && p.name !== 'mode')
  .map((p) => p.name as LiveKey);
export type ConfigKey = 'preset' | StructuralKey | LiveKey | 'mode';
export const CONFIG_KEYS: readonly ConfigKey[] = [...STRUCTURAL_KEYS, ...LIVE_KEYS, 'mode'];

/** A rejected attribute: `attribute` is its name in HTML. */
export class ConfigError extends Error {
  constructor(
    readonly attribute: string,
    message: string,
  ) {
    super(`Invalid ${attribute}: ${message}`);
    this.name = 'ConfigError';
  }
}

/**
 * The HTML name of a config key or spec field, from PARAMS (`lambdaX` and `nu[2]` → `lambda-x`,
 * `nu`); kebab-case for a key that is not a spec field (`preset`, `stepSize`).
 */
export function attributeName(field: string): string {
  const name = field.replace(/\[\d+\]$/, '');
  const row = PARAMS.find((p) => p.name === name);
  return row?.attribute ?? name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** What {@link resolveConfig} found: the spec, the values it used, and what it rejected. */
export interface ResolvedConfig {
  spec: NetworkSpec;
  /** The value of each key that the spec was built from (undefined: the preset's or default). */
  accepted: NetworkConfig;
  /** One error per rejected key, keyed by the property name (`lambdaX`). */
  rejected: Map<keyof NetworkConfig, ConfigError>;
}

const isUnset = (v: unknown): boolean => v === undefined || v === null || v === '';

/**
 * The spec the attributes describe, each attribute checked on its own: `preset` first, then
 * `layers`, then every other field over what was accepted before it. A key whose value is
 * rejected falls back to its value in `fallback` (the last good one), else to the preset's or
 * the default; only the page's own value is reported, so a fallback that no longer fits (a `nu`
 * of three values after `layers` became two) is dropped silently after the one report.
 */
export function resolveConfig(config: NetworkConfig, fallback: NetworkConfig = {}): ResolvedConfig {
  const accepted: NetworkConfig = {};
  const rejected = new Map<keyof NetworkConfig, ConfigError>();
  let base: NetworkSpecInput = { layers: DEFAULT_LAYERS };
  for (const preset of [config.preset, fallback.preset, undefined]) {
    if (isUnset(preset)) break;
    try {
      base = getPreset(preset!).spec;
      accepted.preset = preset;
      break;
    } catch (e) {
      if (preset === config.preset)
        rejected.set('preset', new ConfigError('preset', (e as Error).message));
    }
  }
  let input = { ...base } as NetworkSpecInput;
  let spec = resolveSpec(input);
  for (const key of SPEC_KEYS) {
    for (const value of [config[key], fallback[key], undefined]) {
      if (value === undefined) break;
      try {
        const next = { ...input, [key]: value } as NetworkSpecInput;
        spec = resolveSpec(next);
        input = next;
        (accepted as Record<string, unknown>)[key] = value;
        break;
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        if (value === config[key] && !rejected.has(key)) {
          rejected.set(key, new ConfigError(attributeName(key), e.message));
        }
      }
    }
  }
  return { spec, accepted, rejected };
}

/** The most ticks one `step(n)` (or the "Step N" button) takes: `step-size` is bounded alike. */
export const MAX_STEP_TICKS = 1_000_000;

/**
 * Why `ticks` is not a number of ticks to step (an integer from 1 to {@link MAX_STEP_TICKS}),
 * naming `what` (`step-size`, `ticks`); null when it is one.
 */
export function ticksProblem(what: string, ticks: unknown): string | null {
  if (
    typeof ticks === 'number' &&
    Number.isInteger(ticks) &&
    ticks >= 1 &&
    ticks <= MAX_STEP_TICKS
  ) {
    return null;
  }
  return `Invalid ${what}: must be an integer from 1 to ${MAX_STEP_TICKS}, got ${JSON.stringify(ticks)}`;
}

/**
 * Checks that `spec` with `key` set to `value` is valid, as the engine's `setParams` would; a
 * {@link ConfigError} names the attribute.
 */
export function checkLiveParam(spec: Readonly<NetworkSpec>, key: LiveKey, value: unknown): void {
  try {
    resolveSpec({ ...spec, layers: spec.layers.slice(), nu: spec.nu.slice(), [key]: value });
  } catch (e) {
    if (e instanceof SpecError) throw new ConfigError(attributeName(e.field), e.message);
    throw e;
  }
}

/** Two specs whose networks have the same shape and the same initial weights. */
export function sameStructure(a: Readonly<NetworkSpec>, b: Readonly<NetworkSpec>): boolean {
  return (
    a.activation === b.activation &&
    a.seed === b.seed &&
    a.layers.length === b.layers.length &&
    a.layers.every((n, i) => n === b.layers[i])
  );
}

/**
 * A number attribute. Text that is not a number stays text, so that the error names what the
 * page wrote (`got "abc"` rather than `got NaN`).
 */
export const numberAttribute: ComplexAttributeConverter<number | undefined> = {
  fromAttribute(value: string | null): number | undefined {
    if (value === null) return undefined;
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : (value as unknown as number);
  },
  toAttribute: (value: number | undefined) => (value === undefined ? null : String(value)),
};

/** `nu`: one variance for every layer ("1") or one per layer ("1 1 10" or "1,1,10"). */
export const nuAttribute: ComplexAttributeConverter<number | number[] | undefined> = {
  fromAttribute(value: string | null): number | number[] | undefined {
    if (value === null) return undefined;
    const parts = value.trim().split(/[\s,]+/);
    const numbers = parts.map((p) => numberAttribute.fromAttribute!(p) as number);
    return numbers.length === 1 ? numbers[0] : numbers;
  },
  toAttribute: (value: number | number[] | undefined) =>
    value === undefined ? null : Array.isArray(value) ? value.join(' ') : String(value),
};
