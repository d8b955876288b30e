/**
 * TensorFlow.js for the benchmarks, in Node: tfjs-core with its WebAssembly backend (XNNPACK,
 * SIMD build, threads off) and its plain-JavaScript CPU backend, loaded on demand so that the
 * rest of the bench runs without them. Production mode (no debug checks or warnings), as a
 * shipped page would run it.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs-core';
import type { Network } from '../src/model/network';
import type { Candidate } from './timing';
import { TfNetwork } from './tfjs-network';

export type Tf = typeof TF;

/** A TensorFlow.js contender: its name in the tables, its backend, weights stored transposed. */
export interface TfVariant {
  name: string;
  backend: 'wasm' | 'cpu';
  transposed: boolean;
}

export const TF_VARIANTS: readonly TfVariant[] = [
  { name: 'tfjs-wasm', backend: 'wasm', transposed: false },
  { name: 'tfjs-wasm-T', backend: 'wasm', transposed: true },
  { name: 'tfjs-cpu', backend: 'cpu', transposed: false },
];

export interface LoadedTf {
  tf: Tf;
  version: string;
  /** Which of the package's binaries the wasm backend runs: `simd` (or plain `wasm`). */
  wasmBinary: string;
  threads: boolean;
}

/** Loads tfjs-core and both backends, and initialises the wasm one from the package's dist/. */
export async function loadTf(): Promise<LoadedTf> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const pkg = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  wasm.setWasmPaths(join(dirname(pkg), 'dist') + '/');
  tf.enableProdMode();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the wasm backend failed');
  if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js: the cpu backend failed');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return {
    tf,
    version: tf.version_core,
    wasmBinary: simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm',
    threads: Boolean(threads),
  };
}

/** A TfNetwork on the variant's backend, copying `net`'s weights, input, target and state. */
export async function tfNetwork(tf: Tf, variant: TfVariant, net: Network): Promise<TfNetwork> {
  await tf.setBackend(variant.backend);
  return new TfNetwork(tf, net, variant.transposed);
}

/**
 * Ticks of the TensorFlow.js network as a race candidate; every round from the starting state
 * and weights, like `networkCandidate`. Its global backend is switched in before each round.
 * Call `dispose` when done.
 */
export async function tfCandidate(
  tf: Tf,
  variant: TfVariant,
  net: Network,
): Promise<Candidate & { dispose(): void }> {
  const tfNet = await tfNetwork(tf, variant, net);
  return {
    name: variant.name,
    enter: async () => {
      await tf.setBackend(variant.backend);
    },
    run: (ticks) => {
      tfNet.reset();
      const start = performance.now();
      tfNet.step(ticks);
      return (performance.now() - start) / 1000;
    },
    dispose: () => tfNet.dispose(),
  };
}
