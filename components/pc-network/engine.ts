/**
 * Where `<pc-network>` runs its network: in a simulation worker by default, so that the page's
 * thread only draws; on the page's thread with `engine="main"`, or where there is no `Worker`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { NetworkSpec } from '../../src/index';
import type { Simulation, SimulationCallbacks } from '../controllers/simulation';
import { SimulationController } from '../controllers/simulation-controller';
import { WorkerSimulationController } from '../controllers/worker-simulation-controller';

export const ENGINES = ['worker', 'main'] as const;
export type Engine = (typeof ENGINES)[number];

export type ElementSimulation = Simulation & ReactiveController;

/** The engine to use for the attribute value `engine` (anything but `main` is a worker). */
export function engineFor(engine: string | undefined): Engine {
  return engine === 'main' || typeof Worker === 'undefined' ? 'main' : 'worker';
}

export function createSimulation(
  host: ReactiveControllerHost,
  engine: Engine,
  spec: NetworkSpec,
  callbacks: SimulationCallbacks,
): ElementSimulation {
  return engine === 'main'
    ? new SimulationController(host, spec, callbacks)
    : new WorkerSimulationController(host, spec, callbacks);
}
