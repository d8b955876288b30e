/**
 * The trained networks that ship with the element (components/pc-network/weights/, made by
 * `npm run weights`), and the presets that load them. Each URL is written as
 * `new URL('./weights/<file>', import.meta.url)` with a literal path, the form that Vite and
 * other bundlers recognise and emit as an asset; unbundled (dist/lib, dist/bundle, the test
 * server) it resolves beside the module, where the build copies the files. Nothing is fetched
 * until an element asks for a preset's weights.
 */
import { decodeNetwork, getPreset, type NetworkSpec, resolveSpec } from '../../src/index';

/** A shipped network: its file, what it was trained on and how well it does. */
export interface TrainedNetwork {
  /** The preset that loads it (src/presets.ts holds its spec). */
  preset: string;
  /** The file's name in weights/. */
  file: string;
  /** Where it is fetched from, beside this module. */
  url: URL;
  /** The data and method it was trained with. */
  trainedOn: string;
  /** Accuracy on the 10,000 MNIST test digits (`pcnet evaluate --weights FILE`). */
  testAccuracy: number;
  /**
   * Cosine similarity of the digit generated for each class (from the zero state, 60 s at
   * dt = 0.002) to the class-mean training digit: average and maximum over the classes.
   */
  cosine?: { mean: number; max: number };
}

/** The trained presets, by preset name. */
export const TRAINED: Readonly<Record<string, TrainedNetwork>> = Object.freeze({
  mnist: {
    preset: 'mnist',
    file: 'mnist-decay.safetensors',
    url: new URL('./weights/mnist-decay.safetensors', import.meta.url),
    trainedOn:
      'the first 1,000 MNIST training digits, E5 protocol (batches of 20 held 1 s, 8 epochs), every λ = 0.05',
    testAccuracy: 0.623,
    cosine: { mean: 0.455, max: 0.596 },
  },
  'mnist-nodecay': {
    preset: 'mnist-nodecay',
    file: 'mnist-nodecay.safetensors',
    url: new URL('./weights/mnist-nodecay.safetensors', import.meta.url),
    trainedOn:
      'the first 1,000 MNIST training digits, E5 protocol (batches of 20 held 1 s, 8 epochs), every λ = 0',
    testAccuracy: 0.653,
    cosine: { mean: -0.035, max: -0.002 },
  },
  'mnist-classifier': {
    preset: 'mnist-classifier',
    file: 'mnist-classifier.safetensors',
    url: new URL('./weights/mnist-classifier.safetensors', import.meta.url),
    trainedOn:
      '50,000 MNIST training digits, the accelerated equilibrium (section 2.2, as E7), 10 epochs, Adam',
    testAccuracy: 0.953,
  },
});

/**
 * The URL of the weights that `preset` loads into a network of `spec`: undefined for an
 * untrained preset, or when the attributes made the network another shape (other layers or
 * activation), for which the weights would not fit.
 */
export function trainedWeightsUrl(
  preset: string | null | undefined,
  spec: Readonly<NetworkSpec>,
): string | undefined {
  if (!preset || !Object.hasOwn(TRAINED, preset)) return undefined;
  return shape(resolveSpec(getPreset(preset).spec)) === shape(spec)
    ? TRAINED[preset].url.href
    : undefined;
}

const shape = (s: Readonly<NetworkSpec>) => `${s.layers.join('-')} ${s.activation}`;

/**
 * The weights in `bytes` (a shipped safetensors file), for a network of `spec`: the file must
 * hold a network of the same layers and activation, else the error names both.
 */
export function trainedWeights(
  bytes: Uint8Array,
  spec: Readonly<NetworkSpec>,
): { M: Float32Array[]; W: Float32Array[] } {
  const file = decodeNetwork(bytes);
  if (shape(file.spec) !== shape(spec)) {
    throw new Error(`the trained weights are ${shape(file.spec)}, the network ${shape(spec)}`);
  }
  return { M: file.M, W: file.W };
}
