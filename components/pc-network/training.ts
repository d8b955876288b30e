/**
 * `<pc-network>`'s data and training (issue 15): the data set the element holds (dropped,
 * fetched from `data`, or given to `loadData`), what its network knows of the data it learned
 * (class names, the scaling, an image shape: from `train`, or from a weights file's
 * `__metadata__.dataset`), and `train` and `evaluate`, which run in the element's simulation
 * (its worker, or this thread for engine="main") through `src/worker/training.ts`, the same
 * split, scaling, training and counting as `pcnet train --data` and `pcnet evaluate --data`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  applyScaling,
  checkTrainOptions,
  type DataMeta,
  type Dataset,
  dataShapeProblem,
  type Evaluation,
  fitLayers,
  type ImageShape,
  imageShape,
  type LiveParams,
  type NetworkSpec,
  prepareTraining,
  resolveSpec,
  type Scaling,
  type TrainProgress,
  type TrainSummary,
} from '../../src/index';
import type { Simulation } from '../controllers/simulation';
import { SourceLoader } from '../controllers/source-loader';
import type { PathedFile } from '../data/read-data-file';
import { DataDrop, readDataBytes, readDataFiles, urlName } from './data-drop';
import type { PcDataDetail, PcTrainEndDetail } from './events';

/** What `train` takes; every field is optional. */
export interface TrainOptions {
  /** Passes over the train split, an integer from 1. Default 10 (as `pcnet train --data`). */
  epochs?: number;
  /** Samples simulated at once, an integer from 1. Default 20. */
  batch?: number;
  /** Simulated seconds each batch is held, above 0. Default 2. */
  hold?: number;
  /** Rows held back for testing, from 0 to below 1 (stratified). Default 0.2. */
  testFraction?: number;
  /** The seed of the split and of the shuffles. Default: the network's `seed`. */
  seed?: number;
  /**
   * When the network's input or output layer does not fit the data: false (default) rejects
   * with an error naming both sizes and changes nothing; true rebuilds the network with
   * N_1 = the features and N_n = the classes, keeping its hidden layers and every other
   * setting (fresh weights from `seed`; the `layers` attribute then says the new sizes).
   */
  fit?: boolean;
  /** Live parameters to set first (λx, λM, λW, ν, τ, γ, dt), as their attributes would. */
  params?: LiveParams;
  /** Aborting it cancels the training after the batch in progress. */
  signal?: AbortSignal;
  /** Called with each progress report (as `pc-train-progress`, at most 10 a second). */
  onProgress?: (progress: TrainProgress) => void;
}

/** What `train` resolves with: the engine's summary, with the class names learned. */
export interface TrainResult extends TrainSummary {
  classNames: string[];
  /** Rows of the train and test splits. */
  rows: { train: number; test: number };
}

/** What `evaluate` takes. */
export interface EvaluateOptions {
  /** Aborting it cancels the evaluation after the chunk (1000 rows) in progress. */
  signal?: AbortSignal;
  /** Called with the fraction of rows done, at most 10 times a second. */
  onProgress?: (fraction: number) => void;
}

/** What `evaluate` resolves with: accuracy (a fraction), confusion, per-class counts. */
export interface EvaluationResult extends Omit<Evaluation, 'completed'> {
  /** The names of the rows and columns of `confusion` (the network's classes). */
  classNames: string[];
}

/** What the network knows of the data it learned. */
interface NetworkData {
  classNames: string[];
  scaling?: Scaling;
  shape?: ImageShape;
  /** `__metadata__.dataset` as saved: the JSON of a {@link DataMeta}. */
  json: string;
}

/** What the element gives its data controller. */
export interface TrainingHooks {
  sim(): Simulation;
  /** Rebuilds the network with `layers`, all else kept (throws, changing nothing, if refused). */
  rebuild(layers: number[]): void;
  /** Sets live parameters as their attributes would. */
  setParams(params: LiveParams): void;
  /** Loads a weights file dropped on the element. */
  loadWeights(bytes: Uint8Array, name: string): void;
  loaded(detail: PcDataDetail): void;
  progress(progress: TrainProgress): void;
  ended(detail: PcTrainEndDetail): void;
  failed(message: string): void;
}

/** The error a cancelled `train` or `evaluate` rejects with (name `AbortError`, as `fetch`'s). */
export function abortError(message: string, extra: object = {}): DOMException {
  return Object.assign(new DOMException(message, 'AbortError'), extra);
}

const percent = (f: number) => `${Math.floor(f * 100)}%`;

/** The data, the network's knowledge of it, and the train or evaluate job in progress. */
export class DataController implements ReactiveController {
  /** The data set held (null: none yet), and where it came from. */
  data: Dataset | null = null;
  source: string | null = null;
  /** The job in progress, as the status line shows it. */
  job: { kind: 'train' | 'evaluate'; text: string } | null = null;
  private known: NetworkData | null = null;
  private readonly loader: SourceLoader;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly hooks: TrainingHooks,
  ) {
    host.addController(this);
    this.loader = new SourceLoader(host, {
      loaded: (bytes, url) =>
        void this.take(() => readDataBytes(bytes, url), urlName(url)).catch(() => undefined),
      failed: (message) => hooks.failed(message),
    });
    new DataDrop(host, (files) => void this.drop(files));
  }

  hostConnected(): void {}

  /** `data="url"`: fetched while connected (a new URL aborts the fetch in flight). */
  setUrl(url: string | undefined): void {
    this.loader.set(url);
  }

  /**
   * Reads `input` (a File, the files of a drop, or a Dataset as it is) and holds it; a bad
   * file rejects with its DataError and keeps the data held before.
   */
  async load(
    input: Dataset | File | readonly (File | PathedFile)[],
    name?: string,
  ): Promise<PcDataDetail> {
    if (input instanceof File || Array.isArray(input)) {
      const files: readonly (File | PathedFile)[] = input instanceof File ? [input] : input;
      const first = files[0];
      const named = first instanceof File ? first.name : first?.path.split('/')[0];
      return this.take(() => readDataFiles(files), name ?? named ?? 'drop');
    }
    return this.take(() => input as Dataset, name ?? 'data');
  }

  /** A drop: a weights file loads the network; anything else is read as data. */
  private async drop(files: readonly PathedFile[]): Promise<void> {
    const one = files.length === 1 ? files[0].file : null;
    if (one && /\.safetensors$/i.test(one.name)) {
      this.hooks.loadWeights(new Uint8Array(await one.arrayBuffer()), one.name);
      return;
    }
    await this.load(files).catch(() => undefined); // reported by take
  }

  /** Holds what `read` returns, or reports its error (`pc-error`) and keeps what was held. */
  private async take(
    read: () => Dataset | Promise<Dataset>,
    source: string,
  ): Promise<PcDataDetail> {
    let data: Dataset;
    try {
      data = await read();
      if (!(data.count > 0 && data.dim > 0 && data.classNames.length > 0)) {
        throw new RangeError(`${source}: no rows, features or classes`);
      }
    } catch (e) {
      this.hooks.failed(`Could not read the data: ${(e as Error).message}`);
      throw e;
    }
    this.data = data;
    this.source = source;
    const detail = this.summary(data, source);
    this.hooks.loaded(detail);
    this.host.requestUpdate();
    return detail;
  }

  summary(data: Dataset, source: string): PcDataDetail {
    const shape = imageShape(data);
    return {
      source,
      rows: data.count,
      features: data.dim,
      classes: data.classNames.length,
      classNames: data.classNames.slice(),
      featureNames: data.featureNames.slice(),
      ...(shape && { shape: { ...shape } }),
    };
  }

  /** The network's class names, when it has as many outputs as names (else null). */
  classNames(spec: Readonly<NetworkSpec>): string[] | null {
    const names = this.known?.classNames;
    return names && names.length === spec.layers[spec.layers.length - 1] ? names : null;
  }

  /** The width × height the input layer is drawn as, if the data are images of its size. */
  inputShape(spec: Readonly<NetworkSpec>): ImageShape | null {
    const n = spec.layers[0];
    const fits = (s: ImageShape | undefined) => (s && s.width * s.height === n ? s : null);
    return fits(this.known?.shape) ?? fits(this.data ? imageShape(this.data) : undefined);
  }

  /** Features in the data's units, scaled as the network learned them (as given without). */
  scale(features: ArrayLike<number>, spec: Readonly<NetworkSpec>): ArrayLike<number> {
    const s = this.known?.scaling;
    return s && s.min.length === spec.layers[0] ? applyScaling(features, s) : features;
  }

  /** The weights file's `__metadata__` entries that say what the network learned. */
  metadata(): Record<string, string> | undefined {
    return this.known ? { dataset: this.known.json } : undefined;
  }

  /** A network was replaced: what it knew goes (`train` and `load` then say what it knows). */
  networkReplaced(): void {
    this.known = null;
  }

  /**
   * A weights file was loaded: its `__metadata__.dataset` (as `pcnet train --data` writes it)
   * gives the class names, the scaling and an image shape, each kept when it fits the layers.
   */
  weightsLoaded(metadata: Readonly<Record<string, string>>, layers: readonly number[]): void {
    this.known = null;
    if (metadata.dataset === undefined) return;
    let m: Partial<DataMeta>;
    try {
      m = JSON.parse(metadata.dataset) as Partial<DataMeta>;
    } catch {
      return;
    }
    const outputs = layers[layers.length - 1];
    const names = m?.classNames;
    if (!Array.isArray(names) || names.length !== outputs) return;
    const s = m.scaling;
    const scaling =
      s?.method === 'min-max' && Array.isArray(s.min) && s.min.length === layers[0] ? s : undefined;
    const shape = m.shape && m.shape.width * m.shape.height === layers[0] ? m.shape : undefined;
    this.known = { classNames: names.map(String), scaling, shape, json: metadata.dataset };
  }

  /** Class `k` by index or by name; an unknown one throws, naming the ones there are. */
  classIndex(k: number | string, spec: Readonly<NetworkSpec>): number {
    if (typeof k === 'number') return k;
    const names = this.classNames(spec);
    const i = names?.indexOf(k) ?? -1;
    if (i < 0) {
      const known = names
        ? names.map((n) => `"${n}"`).join(', ')
        : 'none (the network has no class names)';
      throw new RangeError(`class must be one of ${known} or an integer, got "${k}"`);
    }
    return i;
  }

  /** Trains the network on `data` (see the element's `train`). */
  async train(data: Dataset, options: TrainOptions = {}): Promise<TrainResult> {
    this.notBusy();
    const { signal } = options;
    if (signal?.aborted) throw abortError('Training was cancelled before it started');
    const sim = this.hooks.sim();
    const job = {
      epochs: options.epochs ?? 10,
      batch: options.batch ?? 20,
      holdSeconds: options.hold ?? 2,
      shuffleSeed: options.seed ?? sim.spec.seed,
    };
    checkTrainOptions(job);
    const source = data === this.data && this.source ? this.source : 'data';
    const problem = dataShapeProblem(data, sim.spec.layers);
    const layers = problem ? fitLayers(sim.spec.layers, data) : sim.spec.layers.slice();
    if (problem && !options.fit) {
      throw new RangeError(
        `Cannot train on ${source}: ${problem}. Give { fit: true } to rebuild the network as ` +
          `${layers.join('-')}, or set layers to fit.`,
      );
    }
    // Everything is checked before anything changes.
    const spec = resolveSpec({ ...sim.spec, ...options.params, layers });
    const prepared = prepareTraining(data, spec, {
      seed: job.shuffleSeed,
      testFraction: options.testFraction,
      file: source,
    });
    if (problem) this.hooks.rebuild(layers);
    if (options.params) this.hooks.setParams(options.params);
    const generation = sim.generation;
    const { train, test } = prepared;
    const rows = { train: train.count, test: test.count };
    const classNames = prepared.meta.classNames;
    this.setJob('train', `Training: epoch 1 of ${job.epochs}, 0%`);
    const onAbort = () => sim.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let summary: TrainSummary;
    // A worker's reports travel by a port of their own: the last may come after the answer.
    let last: TrainProgress | null = null;
    let over = false;
    const report = (p: TrainProgress) => {
      if (over) return;
      last = p;
      this.setJob('train', `Training: epoch ${p.epoch} of ${p.epochs}, ${percent(p.fraction)}`);
      this.hooks.progress(p);
      options.onProgress?.(p);
    };
    try {
      summary = await sim.train(
        { inputs: train.inputs, targets: train.targets, labels: train.labels, count: train.count },
        {
          ...job,
          progressMs: 100,
          test: { inputs: test.inputs, labels: test.labels, count: test.count },
        },
        report,
      );
      if ((last as TrainProgress | null)?.batches !== summary.batches) {
        const { batches, totalBatches, samples, ticks } = summary;
        const perEpoch = totalBatches / job.epochs;
        const epoch = Math.min(job.epochs, Math.floor(batches / perEpoch) + 1);
        const fraction = batches / totalBatches;
        report({ epoch, epochs: job.epochs, batches, totalBatches, fraction, samples, ticks });
      }
      over = true;
    } catch (e) {
      this.hooks.ended({ status: 'failed', message: (e as Error).message });
      throw e;
    } finally {
      over = true;
      signal?.removeEventListener('abort', onAbort);
      this.setJob(null);
    }
    const replaced = sim.generation !== generation;
    // Cancelled or not, the weights learned these data's classes (unless a new network came).
    if (!replaced) {
      this.known = {
        classNames,
        scaling: prepared.meta.scaling,
        shape: prepared.meta.shape,
        json: JSON.stringify(prepared.meta),
      };
    }
    const result: TrainResult = { ...summary, classNames, rows };
    if (summary.completed) {
      this.hooks.ended({ status: 'done', summary: result });
      return result;
    }
    const message = replaced
      ? 'Training stopped: a new network replaced the one training'
      : `Training was cancelled after ${summary.batches} of ${summary.totalBatches} batches; ` +
        `the network keeps the weights after batch ${summary.batches}`;
    this.hooks.ended({ status: 'cancelled', summary: result, message });
    throw abortError(message, { summary: result });
  }

  /** The classify-mode accuracy and confusion of the network on `data`. */
  async evaluate(data: Dataset, options: EvaluateOptions = {}): Promise<EvaluationResult> {
    this.notBusy();
    const { signal } = options;
    if (signal?.aborted) throw abortError('Evaluation was cancelled before it started');
    const sim = this.hooks.sim();
    const layers = sim.spec.layers;
    const outputs = layers[layers.length - 1];
    if (data.dim !== layers[0]) {
      throw new RangeError(
        `Cannot evaluate: the data have ${data.dim} features, the network ${layers[0]} inputs ` +
          `(layers ${layers.join('-')})`,
      );
    }
    const names = this.classNames(sim.spec);
    const map = data.classNames.map((name, k) => {
      const i = names ? names.indexOf(name) : k < outputs ? k : -1;
      if (i < 0) {
        throw new RangeError(
          names
            ? `Cannot evaluate: class "${name}" is not one the network knows (${names.join(', ')})`
            : `Cannot evaluate: the data have ${data.classNames.length} classes, the network ${outputs} outputs`,
        );
      }
      return i;
    });
    // Copies: the arrays are given up to the simulation.
    const inputs = Float32Array.from(this.scale(data.inputs, sim.spec));
    const labels = Uint8Array.from(data.labels, (l) => map[l]);
    this.setJob('evaluate', 'Evaluating: 0%');
    const onAbort = () => sim.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    let result: Evaluation;
    try {
      result = await sim.evaluate({ inputs, labels, count: data.count }, (f) => {
        this.setJob('evaluate', `Evaluating: ${percent(f)}`);
        options.onProgress?.(f);
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.setJob(null);
    }
    if (!result.completed) {
      throw abortError(`Evaluation was cancelled after ${result.rows} of ${data.count} rows`);
    }
    const { accuracy, confusion, counts, correct, rows } = result;
    const classNames = names ?? Array.from({ length: outputs }, (_, k) => String(k));
    return { accuracy, confusion, counts, correct, rows, classNames };
  }

  /** Cancels the train or evaluate job in progress (the Cancel button). */
  cancel(): void {
    if (this.job) this.hooks.sim().cancel();
  }

  private notBusy(): void {
    if (this.job) {
      throw new Error(
        `pc-network is ${this.job.kind === 'train' ? 'training' : 'evaluating'}: cancel it or wait`,
      );
    }
  }

  private setJob(kind: 'train' | 'evaluate' | null, text = ''): void {
    this.job = kind ? { kind, text } : null;
    this.host.requestUpdate();
  }
}
