/**
 * pc-network's engine: the public surface. Everything not exported here is internal.
 * The engine imports no DOM API and runs in a page, a worker and Node alike.
 */
export { Network, MODE_CLAMPS } from './model/network';
export type { LiveParams, StepReport } from './model/network';
export {
  ACTIVATIONS,
  DEFAULT_SPEC,
  MODES,
  PARAMS,
  SpecError,
  parseLayers,
  resolveSpec,
} from './model/spec';
export type {
  Activation,
  InputClamp,
  Learning,
  Mode,
  NetworkSpec,
  NetworkSpecInput,
  Param,
} from './model/spec';
export { DivergenceError } from './model/errors';
export {
  checkMemoryBudget,
  DEFAULT_MEMORY_BUDGET_MIB,
  formatBytes,
  isMemoryBudget,
  MemoryBudgetError,
  networkBytes,
  setDefaultMemoryBudget,
} from './model/budget';
export { DEFAULT_ACCELERATED, relaxAccelerated, trainAccelerated } from './model/accelerated';
export type { AcceleratedOptions, RelaxGuard } from './model/accelerated';
export { Adam, DEFAULT_ADAM, type AdamOptions } from './model/optimizer';
export { Random } from './random';
export { PRESETS, getPreset } from './presets';
export type { Preset, PresetData } from './presets';
export { decodeNetwork, encodeNetwork, WeightsFileError } from './io/safetensors';
export type { DecodeLimits, WeightsFileReason } from './io/safetensors';
export type { Backend, BackendFactory, Kernels } from './kernels/backend';
export { jsBackend, getDefaultBackend, setDefaultBackend } from './kernels/backend';
export {
  autoBackend,
  bestBackend,
  initWasm,
  wasmAvailable,
  wasmBackend,
  wasmRelaxedBackend,
} from './kernels/wasm';
export {
  Clock,
  DISPLAY_FPS,
  LayerGraph,
  LayerNode,
  toDisplayRate,
  YieldScheduler,
} from './streams/index';
export type {
  ClampsState,
  ClockOptions,
  ClockTarget,
  EquilibriumEvent,
  NodeOptions,
  RunCondition,
  RunResult,
  TickRate,
} from './streams/index';
export {
  argmax,
  LocalSimulation,
  LONG_STEP_TICKS,
  SimulationClient,
  SimulationSession,
  SNAPSHOT_WEIGHT_LIMIT,
  WorkerFailedError,
} from './worker/index';
// Training and evaluating on a data set in a simulation (issue 15, the element's side).
export {
  checkTrainOptions,
  dataShapeProblem,
  EvaluationTally,
  fitLayers,
  imageShape,
  prepareTraining,
  TrainingRun,
} from './worker/index';
export type {
  DataMeta,
  Evaluation,
  ImageShape,
  JobData,
  PreparedData,
  PrepareOptions,
  TrainJob,
  TrainProgress,
  TrainRunOptions,
  TrainSummary,
} from './worker/index';
export type {
  BuildOptions,
  ClientEvent,
  DivergenceInfo,
  LinkRequest,
  LocalSimulationOptions,
  NetworkInfo,
  RestoreState,
  SessionHost,
  SimulationClientOptions,
  SimulationEvent,
  SimulationLink,
  SimulationSessionOptions,
  SimulationSnapshot,
  Snapshot,
  WeightSet,
} from './worker/index';
export { JobPool } from './pool/index';
export type { PoolOptions, PoolWorker, RunOptions } from './pool/index';
export { createBrowserPool } from './pool/browser';
export {
  createSplitNetwork,
  sharedMemoryAvailable,
  SplitNetwork,
  type SplitNetworkOptions,
  type SplitPath,
  type SplitWorker,
} from './pool/split';

// The user's own data (issue 15): a data set, its preprocessing, and the CSV and JSON readers.
export {
  activationRange,
  applyScaling,
  DataError,
  DEFAULT_LIMITS,
  fitScaling,
  splitDataset,
  unscale,
} from './data/dataset';
export type { Dataset, DataErrorReason, ReadOptions, Scaling } from './data/dataset';
export { parseCsv, readCsv } from './data/csv';
export type { CsvOptions } from './data/csv';
export { parseJsonData, readJsonData } from './data/json-data';
// Images as a data set (issue 15): grey, resized to a grid, inverted; the class folders' layout;
// zips listed before they are inflated. Decoding is the caller's (components/data in a page).
export { defaultScalingPer } from './data/dataset';
export type { ScalingPer } from './data/dataset';
export {
  DEFAULT_GRID,
  imageLayout,
  imageOptions,
  imagesToDataset,
  LUMA_601,
  parseGrid,
  pngSize,
  resizeArea,
  toGrey,
} from './data/images';
export type { DecodedImage, Grid, ImageOptions, LayoutEntry, LayoutImage } from './data/images';
export { inflateImages, listZip } from './data/zip';
export type { ZipListing } from './data/zip';
