/**
 * The network specification: everything that defines a PC network apart from its weights and
 * state. Every choice the paper leaves open is a named field here with a documented default.
 * Symbols follow the paper (Orchard et al., "A discriminative and generative PC net").
 */

import {
  type Activation,
  inInteger,
  inReal,
  type InputClamp,
  type Learning,
  type LiveName,
  type Mode,
  type Param,
  PARAMS,
  type ParamName,
  rangeRule,
} from './params';

export { ACTIVATIONS, INPUT_CLAMPS, LEARNINGS, MODES, PARAMS } from './params';
export type { Activation, InputClamp, Learning, Mode, Param } from './params';

export interface NetworkSpec {
  /** N_1 .. N_n: layer 1 is the input (sensory) layer, layer n the output (class) layer. */
  layers: number[];
  /** σ for every layer (σ is applied to x(i) where it feeds M(i) and W(i)). */
  activation: Activation;
  /** ν(i), the variance of each layer (eq. 2.2); one number for all layers or one per layer. */
  nu: number[];
  /** τ, the time constant of the state and error nodes, in seconds. */
  tau: number;
  /** γ, the time constant of the weights, in seconds (γ ≫ τ). */
  gamma: number;
  /** The Euler step, in seconds. Fixed for a run. */
  dt: number;
  /** λx, activity decay (eq. 3.11). Applied in `generate` mode (and in `train` if `trainActivityDecay`). */
  lambdaX: number;
  /** λM, decay of the forward weights (eq. 3.12). Applied in `train` mode only. */
  lambdaM: number;
  /** λW, decay of the backward weights (the paper's "decay term to the update equation for W"). */
  lambdaW: number;
  /** The seed of the weight initialisation and of every random state. */
  seed: number;
  /** The mode the network starts in. */
  mode: Mode;
  /** Start with W(i) = M(i)ᵀ (section 4.3 does so for its untrained network). Default false. */
  tiedInit: boolean;
  /** Standard deviation of the initial weights; `null` means the paper's 1 / (2 √N_i). */
  initStd: number | null;
  /** See {@link Learning}. Default `continuous`. */
  learning: Learning;
  /** See {@link InputClamp}. Default `pull`. */
  inputClamp: InputClamp;
  /** Apply λx during training too (the paper's procedure says λx = 0 there). Default false. */
  trainActivityDecay: boolean;
  /** A state or error magnitude above this counts as divergence. Default 1e6. */
  divergenceLimit: number;
  /** Equilibrium: every |dx/dt| and |dε/dt| below this (units per second). Default 1e-3. */
  equilibriumTolerance: number;
}

/** Every field's default but `layers` (required) and `nu` (1 for every layer): from {@link PARAMS}. */
export const DEFAULT_SPEC: Readonly<Omit<NetworkSpec, 'layers' | 'nu'>> = Object.freeze(
  Object.fromEntries(
    PARAMS.filter((p) => p.name !== 'layers' && p.name !== 'nu').map((p) => [p.name, p.default]),
  ) as unknown as Omit<NetworkSpec, 'layers' | 'nu'>,
);

// The table and the interface name the same fields (a field missing from either fails here).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameFields: Same<ParamName, keyof NetworkSpec> = true;
void sameFields;

/**
 * The parameters that may change on a live network without a reset: the `live` rows of
 * {@link PARAMS} but `mode`, which changes through `setMode` (it sets α and β as well).
 */
export type LiveParams = Partial<
  Pick<NetworkSpec, Exclude<LiveName, 'mode' | 'nu'>> & { nu: number | number[] }
>;

/** What a caller may pass: only `layers` is required; `nu` may be one number. */
export type NetworkSpecInput = Partial<Omit<NetworkSpec, 'layers' | 'nu'>> & {
  layers: number[] | string;
  nu?: number | number[];
};

/** An invalid specification field: names the field and the bad value. */
export class SpecError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SpecError';
  }
}

const layersRange = PARAMS[0].range;

/** Parses "784-600-10" (or "784,600,10") into layer sizes, or throws a {@link SpecError}. */
export function parseLayers(text: string | number[]): number[] {
  const shown = typeof text === 'string' ? text : text.join('-');
  const parts = typeof text === 'string' ? text.trim().split(/\s*[-,x]\s*/) : text.map(String);
  const sizes = parts.map((p) => (/^\d+$/.test(String(p)) ? Number(p) : NaN));
  const { min, max, minCount } = layersRange;
  if (sizes.length < minCount || sizes.some((n) => !Number.isInteger(n) || n < min || n > max)) {
    throw new SpecError('layers', `layers must be ${rangeRule(layersRange)}, got "${shown}"`);
  }
  return sizes;
}

const fail = (field: string, rule: string, v: unknown): SpecError =>
  new SpecError(field, `${field} must be ${rule}, got ${JSON.stringify(v)}`);

/**
 * Checks one value against its row's range (`layers`: the sizes, for `nu`'s count) and returns
 * it as the spec holds it; throws a {@link SpecError} `<field> must be <rule>, got <value>`.
 */
export function checkParam(p: Param, v: unknown, layers: readonly number[]): unknown {
  const r = p.range;
  switch (r.kind) {
    case 'real':
      if ((v === null && r.nullable) || inReal(r, v)) return v;
      throw fail(p.name, rangeRule(r), v);
    case 'integer':
      if (inInteger(r, v)) return v;
      throw fail(p.name, rangeRule(r), v);
    case 'choice':
      if (r.choices.includes(v as string)) return v;
      throw fail(p.name, rangeRule(r), v);
    case 'boolean':
      if (typeof v === 'boolean') return v;
      throw fail(p.name, rangeRule(r), v);
    case 'layers':
      return parseLayers(v as string | number[]);
    case 'perLayer': {
      const list = Array.isArray(v) ? v.slice() : layers.map(() => v);
      if (list.length !== layers.length) {
        throw new SpecError(
          p.name,
          `${p.name} must be one number or one per layer (${layers.length}), got ${list.length} values`,
        );
      }
      list.forEach((x, i) => {
        if (!inReal(r, x)) throw fail(`${p.name}[${i}]`, rangeRule(r), x);
      });
      return list;
    }
  }
}

/**
 * Fills defaults and validates every field against {@link PARAMS}; throws a {@link SpecError}
 * naming the first bad one.
 */
export function resolveSpec(input: NetworkSpecInput): NetworkSpec {
  if (input === null || typeof input !== 'object') {
    throw new SpecError('spec', `a network spec must be an object, got ${JSON.stringify(input)}`);
  }
  const known = new Set<string>(PARAMS.map((p) => p.name));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new SpecError(key, `unknown spec field "${key}"`);
  }
  const given = input as unknown as Record<string, unknown>;
  const layers = parseLayers(input.layers);
  const spec: Record<string, unknown> = {};
  for (const p of PARAMS) {
    spec[p.name] = p.name === 'layers' ? layers : checkParam(p, given[p.name] ?? p.default, layers);
  }
  return spec as unknown as NetworkSpec;
}
