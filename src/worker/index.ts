/**
 * A simulation in a Web Worker: the protocol (`protocol.ts`), the worker's side
 * (`simulation.ts`, exposed by `simulation.worker.ts`) and the main thread's (`client.ts`).
 */
export { SimulationClient, WorkerFailedError } from './client';
export type { ClientEvent, SimulationClientOptions } from './client';
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
