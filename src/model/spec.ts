/**
 * The network specification: everything that defines a PC network apart from its weights and
 * state. Every choice the paper leaves open is a named field here with a documented default.
 * Symbols follow the paper (Orchard et al., "A discriminative and generative PC net").
 */

/** The activation σ of every layer. The paper uses identity (linear), tanh and logistic. */
export type Activation = 'identity' | 'tanh' | 'logistic' | 'relu';
export const ACTIVATIONS: readonly Activation[] = ['identity', 'tanh', 'logistic', 'relu'];

/**
 * The three modes of section 2.2 to 2.4 and section 4:
 * - `train`: α = 1, β = 0 (X pulls layer 1, x(n) = Y), weights learn with λM, λW.
 * - `classify` (the paper's discriminative mode): α = 1, β = 1, weights fixed, no decay.
 * - `generate`: α = 0, β = 0 (x(n) = Y, layer 1 free), weights fixed, activity decay λx.
 */
export type Mode = 'train' | 'classify' | 'generate';
export const MODES: readonly Mode[] = ['train', 'classify', 'generate'];

/**
 * How the weights follow eqs. 2.9 and 2.10 (+ 3.12):
 * - `continuous`: every Euler step, rate dt/γ, with the batch-mean Hebbian term (E1 to E6).
 * - `accumulate`: each step adds dt/γ times the derivative to an accumulator, and
 *   `commitWeights()` applies the sum at once (the weights stay fixed while a batch is held).
 */
export type Learning = 'continuous' | 'accumulate';
export const LEARNINGS: readonly Learning[] = ['continuous', 'accumulate'];

/**
 * How the input X acts on layer 1 while α = 1:
 * - `pull`: eq. 3.2 as written, x(1) is pulled towards X through ε(1) (the default).
 * - `hold`: x(1) is held exactly at X (as in the accelerated method of section 2.2).
 */
export type InputClamp = 'pull' | 'hold';
export const INPUT_CLAMPS: readonly InputClamp[] = ['pull', 'hold'];

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

export const DEFAULT_SPEC: Readonly<Omit<NetworkSpec, 'layers' | 'nu'>> = Object.freeze({
  activation: 'identity',
  tau: 0.05,
  gamma: 0.1,
  dt: 0.001,
  lambdaX: 0,
  lambdaM: 0,
  lambdaW: 0,
  seed: 1,
  mode: 'classify',
  tiedInit: false,
  initStd: null,
  learning: 'continuous',
  inputClamp: 'pull',
  trainActivityDecay: false,
  divergenceLimit: 1e6,
  equilibriumTolerance: 1e-3,
});

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

const MAX_NODES_PER_LAYER = 1 << 20;

/** Parses "784-600-10" (or "784,600,10") into layer sizes, or throws a {@link SpecError}. */
export function parseLayers(text: string | number[]): number[] {
  const shown = typeof text === 'string' ? text : text.join('-');
  const parts = typeof text === 'string' ? text.trim().split(/\s*[-,x]\s*/) : text.map(String);
  const sizes = parts.map((p) => (/^\d+$/.test(String(p)) ? Number(p) : NaN));
  if (
    sizes.length < 2 ||
    sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_NODES_PER_LAYER)
  ) {
    throw new SpecError(
      'layers',
      `layers must be 2 or more positive integers (at most ${MAX_NODES_PER_LAYER}), got "${shown}"`,
    );
  }
  return sizes;
}

function checkNumber(field: string, v: unknown, min: number, strictMin: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || (strictMin ? v <= min : v < min)) {
    const rule = strictMin ? `greater than ${min}` : `at least ${min}`;
    throw new SpecError(
      field,
      `${field} must be a finite number ${rule}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

function checkChoice<T extends string>(field: string, v: unknown, choices: readonly T[]): T {
  if (!choices.includes(v as T)) {
    throw new SpecError(
      field,
      `${field} must be one of ${choices.join(', ')}, got ${JSON.stringify(v)}`,
    );
  }
  return v as T;
}

function checkBoolean(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') {
    throw new SpecError(field, `${field} must be true or false, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** Fills defaults and validates every field; throws a {@link SpecError} naming the first bad one. */
export function resolveSpec(input: NetworkSpecInput): NetworkSpec {
  if (input === null || typeof input !== 'object') {
    throw new SpecError('spec', `a network spec must be an object, got ${JSON.stringify(input)}`);
  }
  const known = new Set([...Object.keys(DEFAULT_SPEC), 'layers', 'nu']);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new SpecError(key, `unknown spec field "${key}"`);
  }
  const layers = parseLayers(input.layers);
  const d = DEFAULT_SPEC;
  const nuIn = input.nu ?? 1;
  const nu = Array.isArray(nuIn) ? nuIn.slice() : layers.map(() => nuIn);
  if (nu.length !== layers.length) {
    throw new SpecError(
      'nu',
      `nu must be one number or one per layer (${layers.length}), got ${nu.length} values`,
    );
  }
  nu.forEach((v, i) => checkNumber(`nu[${i}]`, v, 0, true));
  const initStd = input.initStd ?? d.initStd;
  if (initStd !== null) checkNumber('initStd', initStd, 0, false);
  const seed = input.seed ?? d.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new SpecError(
      'seed',
      `seed must be an integer from 0 to 4294967295, got ${JSON.stringify(seed)}`,
    );
  }
  return {
    layers,
    activation: checkChoice('activation', input.activation ?? d.activation, ACTIVATIONS),
    nu,
    tau: checkNumber('tau', input.tau ?? d.tau, 0, true),
    gamma: checkNumber('gamma', input.gamma ?? d.gamma, 0, true),
    dt: checkNumber('dt', input.dt ?? d.dt, 0, true),
    lambdaX: checkNumber('lambdaX', input.lambdaX ?? d.lambdaX, 0, false),
    lambdaM: checkNumber('lambdaM', input.lambdaM ?? d.lambdaM, 0, false),
    lambdaW: checkNumber('lambdaW', input.lambdaW ?? d.lambdaW, 0, false),
    seed,
    mode: checkChoice('mode', input.mode ?? d.mode, MODES),
    tiedInit: checkBoolean('tiedInit', input.tiedInit ?? d.tiedInit),
    initStd,
    learning: checkChoice('learning', input.learning ?? d.learning, LEARNINGS),
    inputClamp: checkChoice('inputClamp', input.inputClamp ?? d.inputClamp, INPUT_CLAMPS),
    trainActivityDecay: checkBoolean(
      'trainActivityDecay',
      input.trainActivityDecay ?? d.trainActivityDecay,
    ),
    divergenceLimit: checkNumber(
      'divergenceLimit',
      input.divergenceLimit ?? d.divergenceLimit,
      0,
      true,
    ),
    equilibriumTolerance: checkNumber(
      'equilibriumTolerance',
      input.equilibriumTolerance ?? d.equilibriumTolerance,
      0,
      true,
    ),
  };
}
