/**
 * The simulation worker: exposes one {@link Simulation} to the thread that created it.
 * Start it with `new SimulationClient()` (client.ts), which creates this module worker.
 */
import { expose } from 'comlink';
import { Simulation } from './simulation';

expose(new Simulation());
