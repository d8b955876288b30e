/**
 * From the element's attributes to a network spec: a preset (or the default layers) overlaid
 * with every attribute that is set, validated by the engine's `resolveSpec`. Errors name the
 * attribute as the page wrote it (`lambda-x`, not `lambdaX`).
 */
import type { ComplexAttributeConverter } from 'lit';
import { resolveSpec, SpecError, type NetworkSpec, type NetworkSpecInput } from '../../src/index';
import { getPreset } from '../../src/index';

/** The attributes that define the network (properties; undefined: the preset's or default). */
export interface NetworkConfig {
  preset?: string;
  layers?: string;
  activation?: string;
  mode?: string;
  dt?: number;
  tau?: number;
  gamma?: number;
  nu?: number | number[];
  lambdaX?: number;
  lambdaM?: number;
  lambdaW?: number;
  seed?: number;
}

/** The layers of a network given neither `layers` nor `preset`. */
export const DEFAULT_LAYERS = '10-5-3';

/** Changing one of these builds a new network (new weights); the others change a live one. */
export const STRUCTURAL_KEYS = ['preset', 'layers', 'activation', 'seed'] as const;
export const LIVE_KEYS = ['dt', 'tau', 'gamma', 'nu', 'lambdaX', 'lambdaM', 'lambdaW'] as const;
const SPEC_KEYS = ['layers', 'activation', 'mode', 'seed', ...LIVE_KEYS] as const;
export type ConfigKey = (typeof STRUCTURAL_KEYS)[number] | (typeof LIVE_KEYS)[number] | 'mode';
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

const attributeName = (field: string): string =>
  field.replace(/\[\d+\]$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The spec the attributes describe, or a {@link ConfigError}. */
export function resolveConfig(config: NetworkConfig): NetworkSpec {
  let base: NetworkSpecInput = { layers: DEFAULT_LAYERS };
  if (config.preset !== undefined && config.preset !== null && config.preset !== '') {
    try {
      base = getPreset(config.preset).spec;
    } catch (e) {
      throw new ConfigError('preset', (e as Error).message);
    }
  }
  const input: Record<string, unknown> = { ...base };
  for (const key of SPEC_KEYS) if (config[key] !== undefined) input[key] = config[key];
  try {
    return resolveSpec(input as NetworkSpecInput);
  } catch (e) {
    if (e instanceof SpecError) throw new ConfigError(attributeName(e.field), e.message);
    throw e;
  }
}

/**
 * Checks that `spec` with `key` set to `value` is valid, as the engine's `setParams` would; a
 * {@link ConfigError} names the attribute.
 */
export function checkLiveParam(
  spec: Readonly<NetworkSpec>,
  key: (typeof LIVE_KEYS)[number],
  value: unknown,
): void {
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
