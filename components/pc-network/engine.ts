/**
 * Where `<pc-network>` runs its network: in a simulation worker by default, so that the page's
 * thread only draws; on the page's thread with `engine="main"`, or where there is no `Worker`.
 * Either way it is one `SimulationSession` (src/worker/session.ts) driving the same
 * `Simulation`, bound to the element by a {@link SessionController}.
 */
import type { ReactiveControllerHost } from 'lit';
import type { NetworkSpec } from '../../src/index';
import { SessionController } from '../controllers/session-controller';
import type { Simulation, SimulationCallbacks } from '../controllers/simulation';

export const ENGINES = ['worker', 'main'] as const;
export type Engine = (typeof ENGINES)[number];

/** The engine to use for the attribute value `engine` (anything but `main` is a worker). */
export function engineFor(engine: string | undefined): Engine {
  return engine === 'main' || typeof Worker === 'undefined' ? 'main' : 'worker';
}

/** The element's simulation on `engine`, connected and disconnected with `host`. */
export function createSimulation(
  host: ReactiveControllerHost,
  engine: Engine,
  spec: NetworkSpec,
  callbacks: SimulationCallbacks,
): Simulation {
  return new SessionController(host, spec, callbacks, { engine }).session;
}
