/**
 * λ over training, for the `taper` study (the paper's closing section: "tapering the decay
 * during training"). A schedule gives the weight decay λM = λW of each batch from the fraction
 * of training done, t = j / (J − 1) for batch j of J (0 for the first batch, 1 for the last, so
 * the last batch trains with λ = 0 exactly). Per batch, not per epoch: with the quick study's
 * one epoch a per-epoch schedule would never change λ. The weights follow eqs. 2.9, 2.10 and 3.12
 * with the batch's λ at every Euler step of its hold.
 */

/** The schedules the taper study compares. */
export const SCHEDULES = ['constant', 'linear', 'exponential'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** A schedule of λ from λ0 to 0 (constant: λ0 throughout). */
export interface LambdaSchedule {
  name: ScheduleName;
  /** λ at the start of training. */
  lambda0: number;
  /**
   * The exponential schedule's rate k (see {@link lambdaAt}); unused by the others. The paper
   * gives no schedule; k = 5 halves λ in the first 14% of training.
   */
  rate: number;
}

/** The default rate k of the exponential schedule. */
export const EXPONENTIAL_RATE = 5;

/**
 * λ at fraction t ∈ [0, 1] of training:
 * - constant: λ0;
 * - linear: λ0 (1 − t);
 * - exponential: λ0 (e^(−k t) − e^(−k)) / (1 − e^(−k)), an exponential decay shifted so that it
 *   reaches 0 at t = 1 (a plain λ0 e^(−k t) never does).
 */
export function lambdaAt(schedule: LambdaSchedule, t: number): number {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`lambdaAt: t must be in [0, 1], got ${t}`);
  const { name, lambda0, rate } = schedule;
  if (name === 'constant') return lambda0;
  if (name === 'linear') return lambda0 * (1 - t);
  if (name === 'exponential') {
    if (!(rate > 0))
      throw new RangeError(`lambdaAt: the exponential rate must be > 0, got ${rate}`);
    const end = Math.exp(-rate);
    return Math.max(0, (lambda0 * (Math.exp(-rate * t) - end)) / (1 - end));
  }
  throw new RangeError(
    `lambdaAt: unknown schedule "${String(name)}"; known: ${SCHEDULES.join(', ')}`,
  );
}

/** The fraction of training done at the start of batch `batch` (from 0) of `batches`. */
export function batchFraction(batch: number, batches: number): number {
  return batches > 1 ? batch / (batches - 1) : 0;
}
