/**
 * The parameters of a network, one row each: the single source from which the spec's defaults
 * and checks (`resolveSpec`), the live parameters, the element's attributes and parameter
 * panel, the CLI's flags and usage text, and the API reference's "Parameters" table are all
 * derived. Symbols and equation numbers follow the paper (Orchard et al., "A discriminative and
 * generative PC net"). This module imports nothing, so that scripts/api-reference.mjs can read
 * it without a build.
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

/** The most nodes one layer may have. */
export const MAX_NODES_PER_LAYER = 1 << 20;

/**
 * What values a parameter takes, one kind per checker:
 * - `real`: a finite number above (or from) `min` and below (or up to) `max`; `nullable`
 *   allows `null` as well.
 * - `integer`: an integer from `min` to `max`, both included.
 * - `choice`: one of `choices`.
 * - `boolean`: true or false.
 * - `layers`: `minCount` or more integers from `min` to `max` (text "784-600-10" or a list).
 * - `perLayer`: one number for every layer, or one per layer, each as `real`.
 */
export type Range =
  | {
      readonly kind: 'real';
      readonly min: number;
      readonly minExclusive: boolean;
      readonly max: number;
      readonly maxExclusive: boolean;
      readonly nullable?: boolean;
    }
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'choice'; readonly choices: readonly string[] }
  | { readonly kind: 'boolean' }
  | {
      readonly kind: 'layers';
      readonly min: number;
      readonly max: number;
      readonly minCount: number;
    }
  | {
      readonly kind: 'perLayer';
      readonly min: number;
      readonly minExclusive: boolean;
      readonly max: number;
      readonly maxExclusive: boolean;
    };

/** One parameter of the network spec. */
export interface Param {
  /** The field of `NetworkSpec`. */
  readonly name: string;
  /** The element's attribute (kebab-case), or null where the element has none. */
  readonly attribute: string | null;
  /** The `pcnet train` flag, or null where the CLI has none. */
  readonly flag: string | null;
  /** The paper's symbol, or '' where the paper has none. */
  readonly symbol: string;
  /** The paper's equations the parameter enters. */
  readonly equations: readonly string[];
  /** The default; null for `layers` (required) and for `initStd` (the paper's 1 / (2 √N_i)). */
  readonly default: number | string | boolean | null;
  readonly range: Range;
  /** 's' (seconds), '1/s' (per second) or null (none). */
  readonly unit: 's' | '1/s' | null;
  /** A few words, as the parameter panel labels it. */
  readonly label: string;
  /** One line: what it is. */
  readonly doc: string;
  /** `live`: changes a running network without a reset; `structural`: builds a new network. */
  readonly change: 'live' | 'structural';
}

const above = (min: number) =>
  ({ kind: 'real', min, minExclusive: true, max: Infinity, maxExclusive: false }) as const;
const atLeast = (min: number) =>
  ({ kind: 'real', min, minExclusive: false, max: Infinity, maxExclusive: false }) as const;

/** Every field of `NetworkSpec`, in its order (the order a weights file's spec is written in). */
export const PARAMS = [
  {
    name: 'layers',
    attribute: 'layers',
    flag: '--layers',
    symbol: 'N_1..N_n',
    equations: [],
    default: null,
    range: { kind: 'layers', min: 1, max: MAX_NODES_PER_LAYER, minCount: 2 },
    unit: null,
    label: 'layer sizes',
    doc: 'Layer sizes, input (sensory) layer first, output (class) layer last ("784-600-10"); required.',
    change: 'structural',
  },
  {
    name: 'activation',
    attribute: 'activation',
    flag: '--activation',
    symbol: 'σ',
    equations: ['2.3', '2.9', '2.10'],
    default: 'identity',
    range: { kind: 'choice', choices: ACTIVATIONS },
    unit: null,
    label: 'activation',
    doc: 'The activation σ of every layer, applied to x(i) where it feeds M(i) and W(i).',
    change: 'structural',
  },
  {
    name: 'nu',
    attribute: 'nu',
    flag: '--nu',
    symbol: 'ν',
    equations: ['2.2', '2.4', '2.7'],
    default: 1,
    range: { kind: 'perLayer', min: 0, minExclusive: true, max: Infinity, maxExclusive: false },
    unit: null,
    label: 'variance (one, or per layer)',
    doc: 'ν(i), the variance of each layer’s errors: one number for every layer, or one per layer.',
    change: 'live',
  },
  {
    name: 'tau',
    attribute: 'tau',
    flag: '--tau',
    symbol: 'τ',
    equations: ['2.2', '2.3', '3.2', '3.4'],
    default: 0.05,
    range: above(0),
    unit: 's',
    label: 'time constant',
    doc: 'τ, the time constant of the state and error nodes.',
    change: 'live',
  },
  {
    name: 'gamma',
    attribute: 'gamma',
    flag: '--gamma',
    symbol: 'γ',
    equations: ['2.9', '2.10'],
    default: 0.1,
    range: above(0),
    unit: 's',
    label: 'weight time constant',
    doc: 'γ, the time constant of the weights (γ ≫ τ; train mode).',
    change: 'live',
  },
  {
    name: 'dt',
    attribute: 'dt',
    flag: '--dt',
    symbol: 'dt',
    equations: [],
    default: 0.001,
    range: above(0),
    unit: 's',
    label: 'time step',
    doc: 'The Euler step; fixed for a run.',
    change: 'live',
  },
  {
    name: 'lambdaX',
    attribute: 'lambda-x',
    flag: '--lambda-x',
    symbol: 'λx',
    equations: ['3.11'],
    default: 0,
    range: atLeast(0),
    unit: null,
    label: 'activity decay',
    doc: 'λx, activity decay of the state nodes (generate mode, and train with trainActivityDecay).',
    change: 'live',
  },
  {
    name: 'lambdaM',
    attribute: 'lambda-m',
    flag: '--lambda-m',
    symbol: 'λM',
    equations: ['3.12'],
    default: 0,
    range: atLeast(0),
    unit: null,
    label: 'M weight decay',
    doc: 'λM, decay of the forward weights M (train mode).',
    change: 'live',
  },
  {
    name: 'lambdaW',
    attribute: 'lambda-w',
    flag: '--lambda-w',
    symbol: 'λW',
    equations: ['2.10'],
    default: 0,
    range: atLeast(0),
    unit: null,
    label: 'W weight decay',
    doc: 'λW, decay of the backward weights W (train mode; the paper’s decay term on W).',
    change: 'live',
  },
  {
    name: 'seed',
    attribute: 'seed',
    flag: '--seed',
    symbol: '',
    equations: [],
    default: 1,
    range: { kind: 'integer', min: 0, max: 0xffffffff },
    unit: null,
    label: 'seed',
    doc: 'The seed of the weight initialisation and of every random state.',
    change: 'structural',
  },
  {
    name: 'mode',
    attribute: 'mode',
    flag: null,
    symbol: 'α, β',
    equations: ['3.2', '3.4'],
    default: 'classify',
    range: { kind: 'choice', choices: MODES },
    unit: null,
    label: 'mode',
    doc: 'train (α = 1, β = 0), classify (α = β = 1) or generate (α = β = 0); set by setMode, the state kept.',
    change: 'live',
  },
  {
    name: 'tiedInit',
    attribute: null,
    flag: '--tied',
    symbol: 'W(i) = M(i)ᵀ',
    equations: [],
    default: false,
    range: { kind: 'boolean' },
    unit: null,
    label: 'tied initial weights',
    doc: 'Start with W(i) = M(i)ᵀ, as section 4.3 does for its untrained network.',
    change: 'structural',
  },
  {
    name: 'initStd',
    attribute: null,
    flag: null,
    symbol: '',
    equations: [],
    default: null,
    range: { ...atLeast(0), nullable: true },
    unit: null,
    label: 'initial weight spread',
    doc: 'Standard deviation of the initial weights; null: the paper’s 1 / (2 √N_i).',
    change: 'structural',
  },
  {
    name: 'learning',
    attribute: null,
    flag: null,
    symbol: '',
    equations: ['2.9', '2.10', '3.12'],
    default: 'continuous',
    range: { kind: 'choice', choices: LEARNINGS },
    unit: null,
    label: 'learning',
    doc: 'continuous: the weights follow every Euler step; accumulate: summed, applied by commitWeights().',
    change: 'live',
  },
  {
    name: 'inputClamp',
    attribute: null,
    flag: '--input-clamp',
    symbol: '',
    equations: ['3.2'],
    default: 'pull',
    range: { kind: 'choice', choices: INPUT_CLAMPS },
    unit: null,
    label: 'input clamp',
    doc: 'pull: X pulls x(1) through ε(1), as eq. 3.2; hold: x(1) is held at X (section 2.2).',
    change: 'live',
  },
  {
    name: 'trainActivityDecay',
    attribute: null,
    flag: null,
    symbol: 'λx',
    equations: ['3.11'],
    default: false,
    range: { kind: 'boolean' },
    unit: null,
    label: 'activity decay in training',
    doc: 'Apply λx during training too (the paper’s procedure has λx = 0 there).',
    change: 'live',
  },
  {
    name: 'divergenceLimit',
    attribute: null,
    flag: null,
    symbol: '',
    equations: [],
    default: 1e6,
    range: above(0),
    unit: null,
    label: 'divergence limit',
    doc: 'A state or error magnitude above this counts as divergence.',
    change: 'live',
  },
  {
    name: 'equilibriumTolerance',
    attribute: null,
    flag: null,
    symbol: '',
    equations: [],
    default: 1e-3,
    range: above(0),
    unit: '1/s',
    label: 'equilibrium tolerance',
    doc: 'Equilibrium: every |dx/dt| and |dε/dt| below this.',
    change: 'live',
  },
] as const satisfies readonly Param[];

export type ParamName = (typeof PARAMS)[number]['name'];
/** The parameters that change a running network without a reset. */
export type LiveName = Extract<(typeof PARAMS)[number], { change: 'live' }>['name'];
/** The parameters that the element has an attribute for. */
export type AttributeName = Exclude<(typeof PARAMS)[number], { attribute: null }>['name'];

/** The row of `name`. */
export function param(name: ParamName): Param {
  return PARAMS.find((p) => p.name === name)!;
}

/** A range as a rule: "a finite number greater than 0", "an integer from 0 to 4294967295". */
export function rangeRule(range: Range): string {
  switch (range.kind) {
    case 'real':
    case 'perLayer': {
      const parts: string[] = [];
      if (range.min > -Infinity) {
        parts.push(range.minExclusive ? `greater than ${range.min}` : `at least ${range.min}`);
      }
      if (range.max < Infinity) {
        parts.push(range.maxExclusive ? `less than ${range.max}` : `at most ${range.max}`);
      }
      return `a finite number ${parts.join(' and ')}`.trim();
    }
    case 'integer':
      return `an integer from ${range.min} to ${range.max}`;
    case 'choice':
      return `one of ${range.choices.join(', ')}`;
    case 'boolean':
      return 'true or false';
    case 'layers':
      return `${range.minCount} or more positive integers (at most ${range.max})`;
  }
}

/** A range in a few symbols, for tables and the usage text: "> 0", "≥ 0", "0 to 4294967295". */
export function rangeShort(range: Range): string {
  switch (range.kind) {
    case 'real':
    case 'perLayer': {
      const lo = range.minExclusive ? `> ${range.min}` : `≥ ${range.min}`;
      const hi = range.maxExclusive ? `< ${range.max}` : `≤ ${range.max}`;
      const text = [range.min > -Infinity ? lo : '', range.max < Infinity ? hi : '']
        .filter(Boolean)
        .join(', ');
      if (range.kind === 'perLayer') return `${text} (one, or one per layer)`;
      return range.nullable ? `${text}, or null` : text;
    }
    case 'integer':
      return `${range.min} to ${range.max}`;
    case 'choice':
      return range.choices.join(' | ');
    case 'boolean':
      return 'true | false';
    case 'layers':
      return `${range.minCount}+ sizes, ${range.min} to ${range.max}`;
  }
}

/** Whether `v` lies in a `real` or `perLayer` range (null aside). */
export function inReal(range: Extract<Range, { kind: 'real' | 'perLayer' }>, v: unknown): boolean {
  return (
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (range.minExclusive ? v > range.min : v >= range.min) &&
    (range.maxExclusive ? v < range.max : v <= range.max)
  );
}

/** Whether `v` lies in an `integer` range. */
export function inInteger(range: Extract<Range, { kind: 'integer' }>, v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= range.min && v <= range.max;
}
