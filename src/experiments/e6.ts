/** E6 (Table 4): E5's generative protocol on 784-600-600-10 and 50,000 digits. */
import type { MnistData } from './mnist';
import { type CosineResults, type GenerativeSettings, runGenerative } from './e5';
import type { ExperimentOptions, ExperimentReport } from './types';

/** E6: 784-600-600-10 on 50,000 digits for 10 epochs, the constants of E5. */
export function runE6(
  mnist: MnistData,
  options: ExperimentOptions,
): ExperimentReport<CosineResults> {
  return runGenerative('E6', mnist, e6Settings(options), options);
}

/** E6's settings (see {@link runE6}). */
export function e6Settings(
  options: Pick<ExperimentOptions, 'seed' | 'quick' | 'epochs'>,
): GenerativeSettings {
  const q = options.quick;
  return {
    layers: [784, 600, 600, 10],
    digits: q ? 200 : 50000,
    networks: 1,
    epochs: options.epochs ?? (q ? 1 : 10),
    batch: 20,
    holdSeconds: 1,
    dt: 0.01,
    tau: 0.2,
    gamma: 0.8,
    decay: 0.05,
    generateSeconds: q ? 20 : 60,
    generateDt: q ? 0.01 : 0.002,
    seed: options.seed,
  };
}
