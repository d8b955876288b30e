/**
 * The studies of the paper's open questions (`pcnet study NAME`): each an
 * {@link ExperimentUnits}, so `--shard I/N --out FILE` and `pcnet merge` handle a study as they
 * handle an experiment. Each study's `reduce` returns an ExperimentReport whose `experiment` is
 * the study's name and whose `paper` is null.
 */
import type { ExperimentUnits } from '../experiments/units';
import { adversarialUnits } from './adversarial';
import type { StudyOptions } from './common';
import { constrainedUnits } from './constrained';
import { paretoUnits } from './pareto';
import { taperUnits } from './taper';

export type { StudyOptions } from './common';

/** Every study, by name: its units from `{seed, quick}`. */
export const STUDIES: Record<string, (options: StudyOptions) => ExperimentUnits> = {
  pareto: (o) => paretoUnits(o) as unknown as ExperimentUnits,
  taper: (o) => taperUnits(o) as unknown as ExperimentUnits,
  constrained: (o) => constrainedUnits(o) as unknown as ExperimentUnits,
  adversarial: (o) => adversarialUnits(o) as unknown as ExperimentUnits,
};

/** The names {@link studyUnits} knows. */
export const STUDY_NAMES = Object.keys(STUDIES);

/** Study `name`'s units. */
export function studyUnits(name: string, options: StudyOptions): ExperimentUnits {
  const make = Object.prototype.hasOwnProperty.call(STUDIES, name) ? STUDIES[name] : undefined;
  if (!make) throw new Error(`unknown study "${name}"; known: ${STUDY_NAMES.join(', ')}`);
  return make(options);
}
