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
export type { SimulationSnapshot } from './view';
export type {
  BuildOptions,
  Callback,
  NetworkInfo,
  RestoreState,
  SimulationApi,
  SimulationEvent,
  Snapshot,
  WeightSet,
} from './protocol';
