/**
 * The events `<pc-network>` sends. Every one is a `CustomEvent` that bubbles and is composed,
 * and is sent only for the user's or the simulation's own activity, never to echo a property
 * the host set (a rejected attribute or property is reported with `pc-error` all the same).
 */
import type { Mode, TrainProgress } from '../../src/index';
import type { TrainResult } from './training';

export interface PcTickDetail {
  tick: number;
  /** Simulated seconds. */
  time: number;
  /** F (eq. 2.7). */
  energy: number;
}

export interface PcDivergedDetail {
  /** 0-based layer index (the paper's layer `layer + 1`). */
  layer: number;
  tick: number;
  message: string;
}

export interface PcModeChangeDetail {
  mode: Mode;
}

export interface PcClampChangeDetail {
  /** 0-based layer index. */
  layer: number;
  /** The nodes clamped or released (0-based). */
  indices: number[];
  /** The values they are held at (empty when released). */
  values: number[];
  clamped: boolean;
}

export interface PcErrorDetail {
  message: string;
}

export interface PcLoadDetail {
  /** Where the network came from: the `src` URL, or the name of the file the user chose. */
  source: string;
}

/** A data set the element now holds (dropped, fetched from `data`, or given to `loadData`). */
export interface PcDataDetail {
  /** The file's name (a URL's last part), or the name given. */
  source: string;
  rows: number;
  features: number;
  classes: number;
  classNames: string[];
  featureNames: string[];
  /** Image data's width × height. */
  shape?: { width: number; height: number };
}

/** Where a `train` is (the engine's `TrainProgress`). */
export interface PcTrainProgressDetail extends TrainProgress {
  /** The epoch being trained, from 1 (`epochs` once done). */
  epoch: number;
  epochs: number;
  /** Batches completed, of `totalBatches`. */
  batches: number;
  totalBatches: number;
  /** batches / totalBatches. */
  fraction: number;
  /** Samples trained on so far (batches × batch). */
  samples: number;
  /** Euler ticks taken. */
  ticks: number;
}

/** A `train` ended: done, cancelled (the weights of the last whole batch kept), or failed. */
export interface PcTrainEndDetail {
  status: 'done' | 'cancelled' | 'failed';
  /** The summary (done or cancelled). */
  summary?: TrainResult;
  /** Why it stopped (cancelled or failed). */
  message?: string;
}

export interface PcNetworkEventMap {
  /** Ticks ran; sent at most once per display frame. */
  'pc-tick': CustomEvent<PcTickDetail>;
  /** The dynamics reached equilibrium (every rate below the spec's tolerance). */
  'pc-equilibrium': CustomEvent<PcTickDetail>;
  /** The dynamics diverged; the clock is paused and the last finite state kept. */
  'pc-diverged': CustomEvent<PcDivergedDetail>;
  /** The user changed the mode. */
  'pc-mode-change': CustomEvent<PcModeChangeDetail>;
  /** The user clamped or released nodes. */
  'pc-clamp-change': CustomEvent<PcClampChangeDetail>;
  /** A network was loaded from `src` or from a file the user chose (not from `load()`). */
  'pc-load': CustomEvent<PcLoadDetail>;
  /** A bad attribute, property or file was rejected; the last good network is kept. */
  'pc-error': CustomEvent<PcErrorDetail>;
  /** A data set was read (a drop, `data`, `loadData`); it does not train by itself. */
  'pc-data': CustomEvent<PcDataDetail>;
  /** Training progressed; at most 10 a second, and once at the end. */
  'pc-train-progress': CustomEvent<PcTrainProgressDetail>;
  /** Training ended, however it ended. */
  'pc-train-end': CustomEvent<PcTrainEndDetail>;
}

/**
 * Sends the `pc-*` event `type` from `target`, bubbling and composed. A function beside the
 * event types rather than a method, so that the manifest reads the events from `@fires` only.
 */
export function emit<K extends keyof PcNetworkEventMap>(
  target: EventTarget,
  type: K,
  detail: PcNetworkEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends PcNetworkEventMap {}
}
