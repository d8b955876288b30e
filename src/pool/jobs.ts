/**
 * The jobs a pool can run: each is a pure function of a structured-cloneable description, so
 * the same job gives the same result on the main thread, in any worker, in a page or in Node.
 */
import { type E4Job, runE4Job } from '../experiments/e4';
import { type GenerativeJob, runGenerativeJob } from '../experiments/e5';
import { type E7Job, runE7Job } from '../experiments/e7';
import type { MnistData } from '../experiments/mnist';

let mnistLoader: (() => Promise<MnistData>) | null = null;
let mnistData: Promise<MnistData> | null = null;

/** How this worker gets MNIST (from disk in Node, by URL in a page); loaded once, on demand. */
export function setMnistLoader(loader: () => Promise<MnistData>): void {
  mnistLoader = loader;
  mnistData = null;
}

function mnist(): Promise<MnistData> {
  if (!mnistLoader) throw new Error('this worker has no MNIST loader (setMnistLoader)');
  return (mnistData ??= mnistLoader());
}

const generative = async (job: GenerativeJob, onProgress: (fraction: number) => void) =>
  runGenerativeJob(await mnist(), job, onProgress);

/** Runs one job; `onProgress` receives the fraction done. */
export type JobRunner = (job: never, onProgress: (fraction: number) => void) => unknown;

/** Test-only jobs that misbehave on purpose, to check that a pool survives them. */
const faults = {
  /** Throws from the worker's global scope, as a crash does. */
  'test:crash': () =>
    new Promise(() => {
      setTimeout(() => {
        throw new Error('test:crash: a deliberate crash');
      });
    }),
  /** Never finishes. */
  'test:hang': () => new Promise(() => undefined),
  /** Doubles a number: the smallest honest job. */
  'test:double': (job: number) => job * 2,
};

export const JOB_RUNNERS = {
  E4: (job: E4Job, onProgress: (fraction: number) => void) => runE4Job(job, onProgress),
  E5: generative,
  E6: generative,
  E7: async (job: E7Job, onProgress: (fraction: number) => void) =>
    runE7Job(await mnist(), job, onProgress),
  ...faults,
} satisfies Record<string, JobRunner>;

export type JobKind = keyof typeof JOB_RUNNERS;

/** Runs a job of `kind` here (the worker side of a pool, or a pool of size 0). */
export async function runJob(
  kind: string,
  job: unknown,
  onProgress: (fraction: number) => void = () => undefined,
): Promise<unknown> {
  if (!Object.prototype.hasOwnProperty.call(JOB_RUNNERS, kind)) {
    throw new Error(`unknown job kind "${kind}"; known: ${Object.keys(JOB_RUNNERS).join(', ')}`);
  }
  const runner = JOB_RUNNERS[kind as JobKind] as (job: unknown, p: typeof onProgress) => unknown;
  return runner(job, onProgress);
}
