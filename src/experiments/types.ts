/** What every experiment of the paper returns (the CLI prints it; `--json` prints it as is). */
export interface ExperimentReport<R = unknown> {
  /** E1 … E7. */
  experiment: string;
  /** Every setting used, the paper's and ours (where the paper is silent). */
  settings: Record<string, unknown>;
  /** Our numbers, with the same keys as `paper`. */
  results: R;
  /** The paper's numbers (null where the paper gives none, only a figure). */
  paper: unknown;
  /** Wall time in seconds. */
  seconds: number;
  /** Further measurements that have no counterpart in the paper's table. */
  extra?: Record<string, unknown>;
}

/** Options every experiment takes. */
export interface ExperimentOptions {
  /** The seed of the data and of the first network (network k uses seed + k). */
  seed: number;
  /** Keep the protocol but shrink it (fewer networks, samples, epochs). */
  quick: boolean;
  /** E5 to E7: this many passes over the data instead of the protocol's (or `quick`'s). */
  epochs?: number;
  /** Progress: fraction done in [0, 1] and a short label; return false to cancel. */
  onProgress?: (fraction: number, label: string) => boolean | void;
}

/** Thrown when `onProgress` returns false. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** Splits [0, 1] progress across `parts` sequential stages. */
export function stageProgress(
  options: ExperimentOptions,
  stage: number,
  stages: number,
  label: string,
): (fraction: number) => boolean {
  return (fraction) => {
    const ok = options.onProgress?.((stage + fraction) / stages, label);
    if (ok === false) throw new CancelledError();
    return true;
  };
}
