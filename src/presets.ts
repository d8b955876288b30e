import type { NetworkSpecInput } from './model/spec';

/** Where a preset's training data comes from. */
export type PresetData =
  | { kind: 'synthetic'; classes: number; dim: number; samples: number; seed: number }
  | { kind: 'mnist'; digits: number };

/**
 * How a preset is trained: `continuous`, the continuous-time dynamics (eqs. 2.2 to 3.12), each
 * batch held `holdSeconds`; `accelerated`, the accelerated equilibrium of section 2.2 (as E7;
 * `holdSeconds` unused).
 */
export type PresetMethod = 'continuous' | 'accelerated';

/** A named network of the paper: its spec, its data and how it is trained. */
export interface Preset {
  name: string;
  description: string;
  spec: NetworkSpecInput;
  data: PresetData;
  train: { epochs: number; holdSeconds: number; batch: number; method?: PresetMethod };
}

/** Table 3's 784-600-10 tanh network: E5's constants (every λ = 0.05 in the decay version). */
const MNIST_SPEC: NetworkSpecInput = {
  layers: '784-600-10',
  activation: 'tanh',
  tau: 0.2,
  gamma: 0.8,
  dt: 0.01,
};

/**
 * The paper's networks, PC-decay versions (weight decay in training, activity decay in
 * generation), with the constants of the experiment each comes from.
 */
export const PRESETS: Readonly<Record<string, Preset>> = Object.freeze({
  'shallow-3-2': {
    name: 'shallow-3-2',
    description: 'Figs. 4 and 5: the shallow linear 3-2 network on two gaussian classes in 3-D',
    spec: {
      layers: [3, 2],
      activation: 'identity',
      tau: 0.05,
      gamma: 0.1,
      dt: 0.001,
      lambdaM: 0.05,
      lambdaW: 0.05,
      lambdaX: 0.05,
    },
    data: { kind: 'synthetic', classes: 2, dim: 3, samples: 200, seed: 1 },
    train: { epochs: 10, holdSeconds: 2, batch: 20 },
  },
  'deep-10-5-3': {
    name: 'deep-10-5-3',
    description: 'Table 2: the deep linear 10-5-3 network on three prototypes in 10-D',
    spec: {
      layers: [10, 5, 3],
      activation: 'identity',
      tau: 0.02,
      gamma: 0.1,
      dt: 0.001,
      lambdaM: 0.05,
      lambdaW: 0.05,
      lambdaX: 0.01,
    },
    data: { kind: 'synthetic', classes: 3, dim: 10, samples: 200, seed: 1 },
    train: { epochs: 10, holdSeconds: 5, batch: 20 },
  },
  mnist: {
    name: 'mnist',
    description: 'Table 3: the 784-600-10 tanh network on 1,000 MNIST digits, with decay',
    spec: { ...MNIST_SPEC, lambdaM: 0.05, lambdaW: 0.05, lambdaX: 0.05 },
    data: { kind: 'mnist', digits: 1000 },
    train: { epochs: 8, holdSeconds: 1, batch: 20 },
  },
  'mnist-nodecay': {
    name: 'mnist-nodecay',
    description: 'Table 3: the 784-600-10 tanh network on 1,000 MNIST digits, without decay',
    spec: { ...MNIST_SPEC, lambdaM: 0, lambdaW: 0, lambdaX: 0 },
    data: { kind: 'mnist', digits: 1000 },
    train: { epochs: 8, holdSeconds: 1, batch: 20 },
  },
  'mnist-classifier': {
    name: 'mnist-classifier',
    description:
      'A 784-300-10 tanh classifier trained by the accelerated equilibrium (section 2.2, as E7) on 50,000 MNIST digits',
    // ν(3) = 10 weights the output's error 10×; tied initial weights (W = Mᵀ); x(1) held at X,
    // as the accelerated method holds it while it trains (merely pulled, it oscillates).
    spec: {
      layers: [784, 300, 10],
      activation: 'tanh',
      nu: [1, 1, 10],
      tiedInit: true,
      inputClamp: 'hold',
      lambdaM: 0,
      lambdaW: 0,
      lambdaX: 0,
    },
    data: { kind: 'mnist', digits: 50000 },
    train: { epochs: 10, holdSeconds: 1, batch: 20, method: 'accelerated' },
  },
});

/** The preset called `name`, or an error listing the known ones. */
export function getPreset(name: string): Preset {
  const preset = Object.prototype.hasOwnProperty.call(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset) {
    throw new Error(`unknown preset "${name}"; known presets: ${Object.keys(PRESETS).join(', ')}`);
  }
  return preset;
}
