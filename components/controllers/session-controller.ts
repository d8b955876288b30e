import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  LocalSimulation,
  type NetworkSpec,
  SimulationClient,
  type SimulationClientOptions,
  SimulationSession,
} from '../../src/index';
import type { SimulationCallbacks } from './simulation';

/** Where display frames come from; injectable so that a test can count or drive them. */
export interface FrameScheduler {
  request(callback: (now: number) => void): number;
  cancel(id: number): void;
}

export const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (id) => cancelAnimationFrame(id),
};

export interface SessionControllerOptions {
  /** `worker` (default): a simulation worker; `main`: the same simulation on this thread. */
  engine?: 'worker' | 'main';
  scheduler?: FrameScheduler;
  /** Ticks per second of real time. Default 200. */
  speed?: number;
  /** Snapshots per second at most. Default 30. */
  fps?: number;
  /** Makes the client and its worker (a test can count or break them). */
  createClient?: (options: SimulationClientOptions) => SimulationClient;
  /** Worker crashes within a minute that are restarted; the next one is not. Default 3. */
  maxRestarts?: number;
  /** MiB a network may take (see `networkBytes`). Default `DEFAULT_MEMORY_BUDGET_MIB`. */
  memoryBudget?: number;
}

/** Missed heartbeats fail a worker (see `SimulationClient`): pings every 2 s, 5 s to answer. */
const HEARTBEAT = { heartbeatMs: 2000, pingTimeoutMs: 5000 };
/** On this thread, the clock yields after this many ms, leaving the rest of a frame to the page. */
const MAIN_BUDGET_MS = 8;
const FALLBACK = '(engine="main" runs the network on the page\'s thread.)';

/**
 * Binds a {@link SimulationSession} to an element's life cycle (as Lit's ResizeController
 * binds an observer): the session connects when the host does and lets go when it
 * disconnects, and each snapshot the session has waiting is published on the next display
 * frame, which redraws the host and calls its `frame` callback. Everything else, the
 * commands, restore, snapshot order and a worker's crash policy, is the session's.
 */
export class SessionController implements ReactiveController {
  /** The session, which the element drives through {@link Simulation}. */
  readonly session: SimulationSession;
  private readonly scheduler: FrameScheduler;
  private frameId: number | null = null;

  constructor(
    host: ReactiveControllerHost,
    spec: NetworkSpec,
    callbacks: SimulationCallbacks,
    options: SessionControllerOptions = {},
  ) {
    this.scheduler = options.scheduler ?? animationFrames;
    const main = options.engine === 'main';
    const createClient = options.createClient ?? ((o) => new SimulationClient(o));
    this.session = new SimulationSession(
      spec,
      {
        changed: () => host.requestUpdate(),
        snapshotWaiting: () => (this.frameId ??= this.scheduler.request(this.onFrame)),
        frame: (snapshot, previous) => callbacks.frame(snapshot, previous),
        diverged: (info) => callbacks.diverged(info),
        failed: (message) => callbacks.failed(message),
      },
      {
        connect: (request) =>
          main
            ? new LocalSimulation({
                ...request,
                simulation: { chooseKernels: false, budgetMs: MAIN_BUDGET_MS },
              })
            : createClient({ ...request, ...HEARTBEAT }),
        speed: options.speed,
        fps: options.fps,
        maxRestarts: options.maxRestarts,
        memoryBudget: options.memoryBudget,
        fallbackHint: main ? undefined : FALLBACK,
      },
    );
    host.addController(this);
  }

  hostConnected(): void {
    this.session.connect();
  }

  hostDisconnected(): void {
    if (this.frameId !== null) this.scheduler.cancel(this.frameId);
    this.frameId = null;
    this.session.disconnect();
  }

  private readonly onFrame = (): void => {
    this.frameId = null;
    this.session.publish();
  };
}
