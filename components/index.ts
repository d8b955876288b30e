/**
 * pc-network's elements: the public surface, with no side effects. Import
 * `components/define.ts` to register the tags.
 */
export { PcNetwork } from './pc-network/pc-network';
export { PcPlot } from './pc-plot/pc-plot';
export { TRAINED } from './pc-network/trained';
export type { TrainedNetwork } from './pc-network/trained';
export type {
  PcClampChangeDetail,
  PcDivergedDetail,
  PcErrorDetail,
  PcLoadDetail,
  PcModeChangeDetail,
  PcNetworkEventMap,
  PcTickDetail,
  PcDataDetail,
  PcTrainEndDetail,
  PcTrainProgressDetail,
} from './pc-network/events';
export type {
  EvaluateOptions,
  EvaluationResult,
  TrainOptions,
  TrainResult,
} from './pc-network/training';
export { SessionController } from './controllers/session-controller';
export type { FrameScheduler, SessionControllerOptions } from './controllers/session-controller';
export type { Engine } from './pc-network/engine';
export type {
  DivergenceInfo,
  Simulation,
  SimulationCallbacks,
  SimulationSnapshot,
  Weights,
} from './controllers/simulation';
