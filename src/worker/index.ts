/**
 * A simulation session and what it drives: the protocol (`protocol.ts`), the simulation
 * (`simulation.ts`, exposed in a worker by `simulation.worker.ts`, or called on this thread by
 * `link.ts`'s `LocalSimulation`), the worker's client (`client.ts`) and the session that
 * drives either (`session.ts`).
 */
export { SimulationClient, WorkerFailedError } from './client';
export type { ClientEvent, SimulationClientOptions } from './client';
export { LocalSimulation } from './link';
export type { LocalSimulationOptions, SimulationLink } from './link';
export { LONG_STEP_TICKS, SimulationSession } from './session';
export type { DivergenceInfo, LinkRequest, SessionHost, SimulationSessionOptions } from './session';
export { SNAPSHOT_WEIGHT_LIMIT, argmax } from './view';
export {
  checkTrainOptions,
  classifyRows,
  dataShapeProblem,
  EvaluationTally,
  fitLayers,
  imageShape,
  prepareTraining,
  TrainingRun,
} from './training';
export type {
  DataMeta,
  Evaluation,
  ImageShape,
  PreparedData,
  PrepareOptions,
  TrainProgress,
  TrainRunOptions,
  TrainSummary,
} from './training';
export type { SimulationSnapshot } from './view';
export type {
  BuildOptions,
  Callback,
  JobData,
  NetworkInfo,
  RestoreState,
  SimulationApi,
  SimulationEvent,
  Snapshot,
  TrainJob,
  WeightSet,
} from './protocol';
