import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  type Dataset,
  type LiveParams,
  type Mode,
  type NetworkSpec,
  resolveSpec,
  SpecError,
} from '../../src/index';
import { decodeNetwork } from '../../src/index';
import { DEFAULT_MEMORY_BUDGET_MIB, isMemoryBudget } from '../../src/index';
import type { DivergenceInfo, Simulation, SimulationSnapshot } from '../controllers/simulation';
import { SourceLoader } from '../controllers/source-loader';
import {
  attributeName,
  CONFIG_KEYS,
  DEFAULT_LAYERS,
  LIVE_KEYS,
  type NetworkConfig,
  nuAttribute,
  numberAttribute,
  resolveConfig,
  sameStructure,
  STRUCTURAL_KEYS,
  ticksProblem,
} from './config';
import { emit, type PcNetworkEventMap } from './events';
import { styles } from './pc-network.styles';
import {
  classButtonsView,
  clearWinner,
  controlsView,
  inputNumber,
  oneHot,
  statusView,
} from './views/controls';
import { DigitDrawing } from './drawing';
import { createSimulation, engineFor, ENGINES } from './engine';
import { gridNodeAt, keyAction, nodeOf, TouchPress } from './interaction';
import { formatValue } from './views/colour';
import { GLOSSARY, glossaryView, term, type Term, termOf } from './views/glossary';
import { chosenFile, downloadBytes, fileView, SAVE_NAME } from './views/file';
import { GridPainter } from './views/grid-painter';
import { layersView } from './views/layers';
import { parametersView, readParameter } from './views/params';
import { PlotFeed } from './views/plot-panel';
import { trainedWeights, trainedWeightsUrl } from './trained';
import {
  DataController,
  type EvaluateOptions,
  type EvaluationResult,
  type TrainOptions,
  type TrainResult,
} from './training';
import type { PcDataDetail } from './events';
import { dataView } from './views/data';

/**
 * A predictive-coding network, simulated tick by tick and drawn node by node: every state node
 * x and error node ε of every layer, coloured on a diverging scale, with the M/W connections of
 * small networks. The network comes from `preset` and/or the spec attributes; people can play,
 * step, reset, switch mode and clamp nodes; pages can do the same through the methods.
 *
 * Keyboard, while focus is inside the element: Space plays or pauses (on a node too), Right
 * arrow steps one tick; on a node, Enter clamps or releases it, Up/Down arrows move a clamped
 * node's value by 0.1 (1 with Shift). With a mouse or pen, hovering over a node reads it and a
 * click clamps or releases it; on a touch screen a tap reads a node and a long press (half a
 * second) clamps or releases it. A click, long press or Enter holds a free node at its current
 * value, or at 1 when it rests near 0 (|x| < 0.05), so that a network at rest shows something.
 * Numbering: layers count from 1, as in the paper; nodes count from 0 within a layer, so that
 * output node k is class k, as the class buttons and the methods count (the methods' `layer`
 * is 0-based, as in the engine: layer 1 is `layer` 0).
 *
 * Attributes are checked one by one: a bad one is reported (`pc-error`, and its message shown
 * until it is set again) and its property goes back to its last good value (undefined when
 * it had none: the preset's or the default), while the attribute keeps the text the page wrote;
 * the good ones apply. So a property always reads what runs, and `spec` reads the whole of it.
 *
 * Under the network, two plots follow the energy F and each layer's ‖ε(i)‖ over the last 600
 * frames. An input layer of 784 nodes (MNIST) can be drawn on with a mouse, pen or finger: the
 * drawing is clamped as the input X when the stroke ends, through `clampInput` (and generate
 * mode, where X does nothing, gives way to classify). The "Parameters" panel changes dt, τ, λx,
 * λM, λW and ν on the running network; Save and Load write and read a safetensors file, and
 * `src` loads one from a URL.
 *
 * The maths runs in a Web Worker (`engine="worker"`, the default): this thread sends commands
 * and draws the worker's snapshots, at most 30 a second. `engine="main"` runs it on this thread
 * instead (the fallback where `Worker` does not exist). Removing the element ends its worker
 * and stops its clock; putting it back starts a new worker with the same network, state
 * included, playing if it was (commands sent meanwhile run then). If the worker crashes or
 * hangs, a new one takes over from the last state received, paused, and the element says so
 * (`pc-error`); after three crashes in a minute it stays stopped until the network changes.
 *
 * Your own data: drop a CSV, JSON or zip file of images (or a folder of class folders of
 * images) on the element, set `data` to a URL, or call `loadData`; then `train(dataset)` trains
 * the network on it in its worker, with progress events and cancel, and `evaluate(dataset)`
 * scores it (training.ts). Loading data never trains by itself: call `train`, or press the Train
 * button that appears. After training, or after loading a weights file that says them, the
 * output nodes carry the data's class names (`classNames`, the class buttons, `generate(name)`,
 * `classifyFeatures`), Save writes them into the file, and image data's input layer is drawn as
 * its width × height grid.
 *
 * @fires pc-tick - Ticks ran; at most once per display frame. `{tick, time, energy}`
 * @fires pc-equilibrium - The dynamics reached equilibrium. `{tick, time, energy}`
 * @fires pc-diverged - The dynamics diverged; the clock paused. `{layer, tick, message}`
 * @fires pc-mode-change - The user changed the mode. `{mode}`
 * @fires pc-clamp-change - The user clamped or released nodes, or drew an input. `{layer, indices, values, clamped}`
 * @fires pc-load - A network was loaded from `src` or from a file the user chose. `{source}`
 * @fires pc-error - A bad attribute, property or file was rejected, or the worker failed; the last good network is kept. `{message}`
 * @fires pc-data - A data set was read from a drop, the `data` URL or `loadData`; it does not train by itself. `{source, rows, features, classes, classNames, featureNames, shape?}`
 * @fires pc-train-progress - Training progressed; at most 10 a second, and at the end. `{epoch, epochs, batches, totalBatches, fraction, samples, ticks}`
 * @fires pc-train-end - Training ended: done, cancelled (the weights after the last whole batch kept) or failed. `{status, summary?, message?}`
 *
 * @csspart controls - The toolbar.
 * @csspart button - Every button.
 * @csspart input - Every input and select.
 * @csspart status - The mode, tick, time, energy and equilibrium line.
 * @csspart stage - The focusable area holding the layers.
 * @csspart layer - One layer.
 * @csspart nodes - A small layer's SVG.
 * @csspart edges - The M/W connections between two layers.
 * @csspart grid - A large layer's canvas.
 * @csspart classes - The output-class buttons.
 * @csspart readout - The values of the node read last, or the meaning of a term.
 * @csspart announcer - The live region.
 * @csspart error - The message shown for bad input or divergence.
 * @csspart plot - Each of the two `<pc-plot>`s (energy; error norms).
 * @csspart parameters - The collapsible "Parameters" panel.
 * @csspart file - The Save and Load buttons.
 * @csspart data - The data held, with the Train (or Cancel) button.
 *
 * @cssproperty --pc-positive - Colour of positive values.
 * @cssproperty --pc-negative - Colour of negative values.
 * @cssproperty --pc-zero - Colour of zero (default: between the background and the text).
 * @cssproperty --pc-node-size - Diameter of a state node of a small layer, while the layer has room for it (default 22px; 44px at least on touch screens).
 * @cssproperty --pc-font - The CSS `font` shorthand, size and family at least (default `0.875rem/1.4 system-ui, sans-serif`).
 * @cssproperty --pc-font-family - The font family alone, at the default size (default `system-ui, sans-serif`).
 * @cssproperty --pc-bg - Background colour.
 * @cssproperty --pc-fg - Text and outline colour.
 * @cssproperty --pc-focus - Focus ring colour.
 */
export class PcNetwork extends LitElement {
  static override styles = styles;

  /**
   * A network of the paper, which the other attributes override. Trained, with their weights
   * shipped beside the module: `mnist` (Table 3's 784-600-10 tanh network with decay, trained
   * on MNIST), `mnist-nodecay` (the same without decay) and `mnist-classifier` (a 784-300-10
   * classifier, about 95% on the MNIST test digits). Untrained architectures (weights drawn from
   * `seed`): `shallow-3-2` (Figs. 4, 5) and `deep-10-5-3` (Table 2).
   */
  @property() preset?: string;
  /**
   * Layer sizes N_1..N_n, input first, 2 or more integers from 1 to 1048576, joined by `-`.
   * A preset may set its own.
   * @default "10-5-3"
   */
  @property() layers?: string;
  /**
   * σ, the activation of every layer: `identity` (linear), `tanh`, `logistic` or `relu`.
   * A preset may set its own.
   * @default "identity"
   */
  @property() activation?: string;
  /**
   * `train`, `classify` (the paper's discriminative mode) or `generate`. Switching keeps the state.
   * @default "classify"
   */
  @property() mode?: Mode;
  /**
   * The Euler step dt, in seconds; above 0.
   * A preset may set its own.
   * @default 0.001
   */
  @property({ converter: numberAttribute }) dt?: number;
  /**
   * τ, the time constant of the state and error nodes, in seconds; above 0.
   * A preset may set its own.
   * @default 0.05
   */
  @property({ converter: numberAttribute }) tau?: number;
  /**
   * γ, the time constant of the weights (train mode), in seconds; above 0.
   * A preset may set its own.
   * @default 0.1
   */
  @property({ converter: numberAttribute }) gamma?: number;
  /**
   * ν, the variance of each layer's errors (eq. 2.2), above 0: one number for every layer, or
   * one per layer ("1 1 10").
   * @default 1
   */
  @property({ converter: nuAttribute }) nu?: number | number[];
  /**
   * λx, activity decay (eq. 3.11, generate mode); 0 or more.
   * A preset may set its own.
   * @default 0
   */
  @property({ attribute: 'lambda-x', converter: numberAttribute }) lambdaX?: number;
  /**
   * λM, decay of the forward weights M (eq. 3.12, train mode); 0 or more.
   * A preset may set its own.
   * @default 0
   */
  @property({ attribute: 'lambda-m', converter: numberAttribute }) lambdaM?: number;
  /**
   * λW, decay of the backward weights W (train mode); 0 or more.
   * A preset may set its own.
   * @default 0
   */
  @property({ attribute: 'lambda-w', converter: numberAttribute }) lambdaW?: number;
  /**
   * The seed of the initial weights, an integer from 0 to 4294967295.
   * @default 1
   */
  @property({ converter: numberAttribute }) seed?: number;
  /**
   * Ticks per second of real time while playing; above 0.
   * @default 200
   */
  @property({ converter: numberAttribute }) speed = 200;
  /**
   * Ticks taken by the "Step N" button: an integer from 1 to 1000000, the bounds of `step(n)`.
   * @default 100
   */
  @property({ attribute: 'step-size', converter: numberAttribute }) stepSize = 100;
  /**
   * The output class held while the network runs: an integer from 0 to N_n − 1 that holds the
   * output layer at one-hot k, as `clampOutput(k)` does (in generate mode the network then
   * draws class k). Applied to every new network; removing it releases the output.
   */
  @property({ converter: numberAttribute }) target?: number;
  /** Start playing when first connected. */
  @property({ type: Boolean }) autoplay = false;
  /** A weights file (safetensors) to load, fetched when connected and whenever it changes. */
  @property() src?: string;
  /**
   * A data file to read (CSV or JSON, by the URL's extension, else by its first character),
   * fetched when connected and whenever it changes; `pc-data` says what it holds, a bad file
   * `pc-error` (the data held before are kept). It does not train by itself: see `train`.
   */
  @property() data?: string;
  /**
   * Where the maths runs: `worker` (a Web Worker) or `main` (this thread). Read once, when
   * the element first needs its network (when it first connects, or a method is first called).
   * @default "worker"
   */
  @property() engine?: string;
  /**
   * MiB a network may take (its weights M and W, states and errors; `networkBytes`), checked
   * before anything is allocated: a larger `layers`, preset or file is refused with `pc-error`
   * and the network keeps running; above 0.
   * @default 1024
   */
  @property({ attribute: 'memory-budget', converter: numberAttribute })
  memoryBudget: number = DEFAULT_MEMORY_BUDGET_MIB;

  /** The message of each rejected attribute (by its HTML name), until it is set again. */
  @state() private errors: ReadonlyMap<string, string> = new Map();
  @state() private runError: string | null = null;
  /** The divergence shown until the network runs past it (or is reset or replaced). */
  @state() private divergence: DivergenceInfo | null = null;
  @state() private announcement = '';
  @state() private inspected: { layer: number; index: number } | null = null;
  /** The glossary term shown in the readout (a term was focused or tapped), if any. */
  @state() private explained: Term | null = null;
  @state() private touchSeen = false;

  /** The last good value of each network attribute (undefined: the preset's or the default). */
  private accepted: NetworkConfig = {};
  private goodStepSize = this.stepSize;
  private goodEngine: string | undefined = undefined;
  /** The class the `target` attribute holds on the network now (null: none). */
  private heldTarget: number | null = null;

  private simulation: Simulation | null = null;

  private readonly painter = new GridPainter();
  private readonly plots = new PlotFeed();

  private readonly drawing = new DigitDrawing(this, {
    inputSize: () => this.sim.spec.layers[0],
    paint: (canvas, image) => this.painter.paintCanvas(canvas, image),
    commit: (image) => this.commitDrawing(image),
  });

  private readonly loader = new SourceLoader(this, {
    loaded: async (bytes, url) => {
      const trained = !this.src && url === trainedWeightsUrl(this.preset, this.sim.spec);
      if (trained ? this.loadTrained(bytes) : await this.load(bytes)) {
        this.emit('pc-load', { source: url });
      }
    },
    failed: (message) => this.fail('run', message),
  });

  private readonly training = new DataController(this, {
    sim: () => this.sim,
    rebuild: (layers) => this.rebuild(layers),
    setParams: (params) => this.setLive(params),
    loadWeights: (bytes, name) =>
      void this.load(bytes).then((ok) => ok && this.emit('pc-load', { source: name })),
    loaded: (detail) => this.emit('pc-data', detail),
    progress: (p) => this.emit('pc-train-progress', p),
    ended: (detail) => this.emit('pc-train-end', detail),
    failed: (message) => this.fail('run', message),
  });

  constructor() {
    super();
    this.addEventListener('keydown', this.onKeyDown);
    this.addEventListener('click', this.onTerm);
    this.addEventListener('focusin', this.onTerm);
  }

  /**
   * The kernels the network runs on: `wasm-relaxed-simd` or `wasm-simd` (WebAssembly SIMD, for
   * networks of 2,000 floats or more where the browser has it), else `js`; empty until the
   * worker has built the network.
   */
  get kernels(): string {
    return this.sim.kernels;
  }

  /** The network's spec now: the attributes resolved, with the live parameters and the mode. */
  get spec(): Readonly<NetworkSpec> {
    return this.sim.spec;
  }

  /**
   * What the element shows, as of the last display frame: every node's x and ε, X, Y, clamps,
   * mode, tick, time, energy, equilibrium (a new object each frame; treat it as read-only).
   */
  get snapshot(): SimulationSnapshot {
    return this.sim.snapshot;
  }

  /** Whether the clock is playing (it still stops while the element is disconnected). */
  get running(): boolean {
    return this.sim.running;
  }

  /**
   * Takes `ticks` Euler steps now: an integer from 1 to 1000000 (`MAX_STEP_TICKS`), as
   * `step-size`. Anything else is reported as every bad attribute is (`pc-error` and the message
   * shown), and nothing runs; it never throws.
   */
  step(ticks = 1): void {
    const problem = ticksProblem('step(ticks)', ticks);
    if (problem) return this.fail('config', problem, 'step');
    this.clearError('step');
    this.sim.step(ticks);
  }

  play(): void {
    this.sim.play();
  }

  pause(): void {
    this.sim.pause();
  }

  /** Every state and error node to zero, tick 0; weights and clamps are kept. */
  reset(): void {
    this.runError = null;
    this.divergence = null;
    this.drawing.hide();
    this.sim.reset();
  }

  /** Sets the input X (μ(1)), which pulls layer 1 while α = 1 (train and classify modes). */
  clampInput(values: ArrayLike<number>): void {
    this.sim.setInput(values);
    this.drawing.sync(values);
  }

  /** Holds the output layer at a one-hot class or a vector (also the target Y). */
  clampOutput(target: number | ArrayLike<number>): number[] {
    const top = this.sim.spec.layers.length - 1;
    const n = this.sim.spec.layers[top];
    if (typeof target === 'number' && !(Number.isInteger(target) && target >= 0 && target < n)) {
      throw new SpecError('class', `class must be an integer from 0 to ${n - 1}, got ${target}`);
    }
    const y = typeof target === 'number' ? oneHot(target, n) : Array.from(target);
    this.sim.setTarget(y);
    y.forEach((v, i) => this.sim.clampNode(top, i, v));
    return y;
  }

  /** Holds node `index` of `layer` (0-based) at `value` until released. */
  clampNode(layer: number, index: number, value: number): void {
    this.sim.clampNode(layer, index, value);
  }

  /** Releases one node, one layer or (with no arguments) every clamped node. */
  release(layer?: number, index?: number): void {
    this.sim.release(layer, index);
  }

  /**
   * Classify mode, input X, the feed-forward equilibrium; resolves to argmax x(n), the class
   * index (its name is `classNames[k]` when the network has class names).
   */
  async classify(input: ArrayLike<number>): Promise<number> {
    this.mode = 'classify';
    const k = await this.sim.classify(input);
    this.drawing.sync(input);
    this.announcement = `Classified as ${this.classLabel(k)}`;
    return k;
  }

  /**
   * Classifies one row of data in its own units (a CSV's row without the label): scaled as the
   * network's training data were (unscaled when it has no scaling), then as `classify`.
   * Resolves to the class index and its name (the index as text without class names).
   */
  async classifyFeatures(features: ArrayLike<number>): Promise<{ index: number; name: string }> {
    const index = await this.classify(this.training.scale(features, this.sim.spec));
    return { index, name: this.classNames?.[index] ?? String(index) };
  }

  /**
   * Generate mode with the output held at class `k` (an index, or one of `classNames`), from a
   * zero state; starts the clock. An unknown class name throws, naming the known ones.
   */
  generate(k: number | string): void {
    const index = this.training.classIndex(k, this.sim.spec);
    this.mode = 'generate';
    this.sim.setMode('generate');
    this.clampOutput(index);
    this.reset();
    this.play();
  }

  /**
   * The spec and weights as safetensors bytes (see `src/io/safetensors.ts`); a network trained
   * on data adds `__metadata__.dataset` (class names, feature names, scaling, split), as
   * `pcnet train --data` writes it.
   */
  async save(): Promise<Uint8Array> {
    return this.sim.save(this.training.metadata());
  }

  /**
   * Trains the network on `dataset` in its worker (on this thread for engine="main"), by the
   * continuous-time rules of the paper (eqs. 2.2 to 3.12), as `pcnet train --data` does: a
   * seeded stratified split (`testFraction`, default 0.2), min-max scaling to σ's range fitted
   * on the train split, `epochs` (10) passes of batches of `batch` (20) samples held `hold` (2)
   * simulated seconds each. The network shown keeps running and shows the weights as they
   * learn; playing pauses when training starts. Sends `pc-train-progress` at most 10 times a
   * second and `pc-train-end` at the end; resolves with the summary (epochs, batches,
   * seconds, train and test accuracy, class names).
   *
   * Cancel by aborting `options.signal` (or the Cancel button): it rejects with an `AbortError`
   * (a DOMException whose `summary` says how far it got), and the network keeps the weights
   * after the last completed batch. If the network's input and output sizes do not fit the data
   * (inputs = features, outputs = classes), it rejects with an error naming both, changing
   * nothing, unless `fit: true` rebuilds the network to fit (the hidden layers kept). One
   * training or evaluation at a time.
   */
  train(dataset: Dataset, options?: TrainOptions): Promise<TrainResult> {
    return this.training.train(dataset, options);
  }

  /**
   * The network's classify-mode accuracy (a fraction), confusion matrix (rows: true class,
   * columns: predicted) and per-class counts on `dataset`, as `pcnet evaluate --data` counts
   * them: the rows scaled as the training data were, classes matched by name when the network
   * has class names. Progress by `onProgress`; cancel by `signal` (an `AbortError`).
   */
  evaluate(dataset: Dataset, options?: EvaluateOptions): Promise<EvaluationResult> {
    return this.training.evaluate(dataset, options);
  }

  /**
   * Reads a data set (a File: CSV, JSON or a zip of images; the files of a folder of class
   * folders of images; or a Dataset as it is) and holds it as `trainingData`, as a drop does;
   * resolves with the `pc-data` summary. A bad file rejects (and sends `pc-error`) and keeps
   * the data held before.
   */
  loadData(input: Dataset | File | readonly File[], name?: string): Promise<PcDataDetail> {
    return this.training.load(input, name);
  }

  /** The data set last read (dropped, from `data`, or `loadData`), or null. */
  get trainingData(): Dataset | null {
    return this.training.data;
  }

  /** The output nodes' class names (after `train`, or from a weights file), else null. */
  get classNames(): readonly string[] | null {
    return this.training.classNames(this.sim.spec);
  }

  /** Whether a `train` or `evaluate` is running. */
  get busy(): boolean {
    return this.training.job !== null;
  }

  /** Loads safetensors bytes; a bad file is reported (`pc-error`) and the network kept. */
  async load(bytes: Uint8Array | ArrayBuffer): Promise<boolean> {
    try {
      const { spec, M, W, metadata } = decodeNetwork(bytes);
      this.sim.configure(spec, { M, W });
      this.replaced();
      this.training.weightsLoaded(metadata, spec.layers);
      this.describe(spec);
      this.errors = new Map();
      this.runError = null;
      return true;
    } catch (e) {
      this.fail('run', `Could not load the network: ${(e as Error).message}`);
      return false;
    }
  }

  /** The attributes now describe `spec`'s network, so that no later change rebuilds it. */
  private describe(spec: Readonly<NetworkSpec>): void {
    const { layers, activation, seed, mode, dt, tau, gamma, nu, lambdaX, lambdaM, lambdaW } = spec;
    Object.assign(this, { preset: undefined, layers: layers.join('-'), activation, seed, mode });
    Object.assign(this, { dt, tau, gamma, nu, lambdaX, lambdaM, lambdaW });
  }

  /** `train({ fit: true })`: the network rebuilt with `layers`, everything else kept. */
  private rebuild(layers: number[]): void {
    const spec = { ...this.sim.spec, layers };
    this.sim.configure(spec);
    this.replaced();
    this.describe(this.sim.spec);
  }

  /** Live parameters set as their properties (so that they read what runs). */
  private setLive(params: LiveParams): void {
    this.sim.setParams(params);
    Object.assign(this, params);
  }

  /** Class `k`'s name for messages: `setosa (class 0)`, or `class 0` without names. */
  private classLabel(k: number): string {
    const name = this.classNames?.[k];
    return name === undefined ? `class ${k}` : `${name} (class ${k})`;
  }

  /**
   * Fetches `src`, else the preset's trained weights (trained.ts) while the network has the
   * preset's layers and activation; a network rebuilt from the attributes fetches them again.
   */
  private loadSource(): void {
    const trained = trainedWeightsUrl(this.preset, this.sim.spec);
    if (!this.src && trained) this.loader.set(null);
    this.loader.set(this.src || trained);
  }

  /** A trained preset's weights, into the network its attributes describe (they stay set). */
  private loadTrained(bytes: Uint8Array): boolean {
    try {
      this.sim.configure(this.sim.spec, trainedWeights(bytes, this.sim.spec));
      this.replaced();
      this.runError = null;
      return true;
    } catch (e) {
      this.fail('run', `Could not load the ${this.preset} network: ${(e as Error).message}`);
      return false;
    }
  }

  /**
   * A removed attribute takes the preset's or default value, which is good: its message goes
   * too. (Its property may not change, if the bad value had already put it back to that value,
   * so `applyConfig` would not see it.)
   */
  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    if (value === null) this.clearError(name);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.sim; // the engine is chosen now, if no method call chose it before
  }

  /** The controller that runs the network, made when first needed. */
  private get sim(): Simulation {
    this.simulation ??= createSimulation(
      this,
      engineFor(this.engine),
      resolveSpec({ layers: DEFAULT_LAYERS }),
      {
        frame: (snap, previous) => this.onFrame(snap, previous),
        diverged: (info) => this.onDiverged(info),
        failed: (message) => this.fail('run', message),
      },
    );
    return this.simulation;
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    await this.sim.settled();
    return super.getUpdateComplete();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('memoryBudget')) {
      if (isMemoryBudget(this.memoryBudget)) this.sim.memoryBudget = this.memoryBudget;
      else
        this.fail('config', `Invalid memory-budget: must be MiB above 0, got ${this.memoryBudget}`);
    }
    if (CONFIG_KEYS.some((k) => changed.has(k))) this.applyConfig(changed);
    if (changed.has('target')) this.holdTarget();
    if (changed.has('speed')) this.checkSpeed();
    if (changed.has('stepSize')) this.checkStepSize();
    if (changed.has('src') || STRUCTURAL_KEYS.some((k) => changed.has(k))) this.loadSource();
    if (changed.has('engine')) this.checkEngine();
    if (changed.has('data')) this.training.setUrl(this.data);
    if (!this.hasUpdated && this.autoplay) this.sim.play();
  }

  private checkSpeed(): void {
    if (typeof this.speed === 'number' && Number.isFinite(this.speed) && this.speed > 0) {
      this.sim.speed = this.speed;
      this.clearError('speed');
    } else {
      const bad = JSON.stringify(this.speed);
      this.fail('config', `Invalid speed: must be a number above 0 (ticks per second), got ${bad}`);
      this.speed = this.sim.speed;
    }
  }

  private checkStepSize(): void {
    const problem = ticksProblem('step-size', this.stepSize);
    if (problem) {
      this.fail('config', problem);
      this.stepSize = this.goodStepSize;
    } else {
      this.goodStepSize = this.stepSize;
      this.clearError('step-size');
    }
  }

  /** `engine` is read once, when the network is made: a bad one is reported and reverted. */
  private checkEngine(): void {
    const engine = this.engine;
    if (engine && !(ENGINES as readonly string[]).includes(engine)) {
      this.fail('config', `Invalid engine: must be one of worker, main, got "${engine}"`);
      this.engine = this.goodEngine;
    } else {
      this.goodEngine = engine;
      this.clearError('engine');
    }
  }

  /**
   * Holds the output at the `target` class (one-hot, as `clampOutput`), or releases it when
   * `target` was removed. A class outside the output layer is reported and reverted.
   */
  private holdTarget(): void {
    const top = this.sim.spec.layers.length - 1;
    const n = this.sim.spec.layers[top];
    const fits = (k: unknown): k is number =>
      typeof k === 'number' && Number.isInteger(k) && k >= 0 && k < n;
    let k: number | undefined = this.target ?? undefined;
    if (k !== undefined && !fits(k)) {
      const bad = JSON.stringify(k);
      this.fail('config', `Invalid target: must be an integer from 0 to ${n - 1}, got ${bad}`);
      k = this.target = fits(this.heldTarget) ? this.heldTarget : undefined;
    } else {
      this.clearError('target');
    }
    if (k === undefined) {
      if (this.heldTarget !== null) {
        this.sim.release(top);
        this.sim.setTarget(new Float32Array(n));
      }
      this.heldTarget = null;
    } else {
      this.clampOutput(k);
      this.heldTarget = k;
    }
  }

  /**
   * Rebuilds the network if its structure changed, else updates the live one. Each attribute
   * is checked on its own (`resolveConfig`): a rejected one is reported and its property goes
   * back to its last good value; the others apply.
   */
  private applyConfig(changed: PropertyValues<this>): void {
    const { spec, accepted, rejected } = resolveConfig(this, this.accepted);
    for (const key of CONFIG_KEYS) {
      const error = rejected.get(key);
      if (error) {
        this.fail('config', error.message, error.attribute);
        (this as NetworkConfig)[key] = accepted[key] as never;
      } else if (changed.has(key)) {
        this.clearError(attributeName(key));
      }
    }
    try {
      const current = this.sim.spec;
      const structural = STRUCTURAL_KEYS.some((k) => changed.has(k));
      if (structural && !sameStructure(spec, current)) {
        this.sim.configure(spec);
        this.replaced();
        this.runError = null;
      } else {
        const all = changed.has('preset');
        const params = Object.fromEntries(
          LIVE_KEYS.filter(
            (k) => (all || changed.has(k)) && String(spec[k]) !== String(current[k]),
          ).map((k) => [k, spec[k]]),
        );
        if (Object.keys(params).length > 0) this.sim.setParams(params);
        if ((all || changed.has('mode')) && spec.mode !== current.mode) this.sim.setMode(spec.mode);
      }
      this.accepted = accepted;
    } catch (e) {
      // Refused by the engine (a network over the memory budget): the last good one stays, and
      // so do the attributes that describe it.
      this.fail('config', (e as Error).message, 'layers');
      for (const key of STRUCTURAL_KEYS) (this as NetworkConfig)[key] = this.accepted[key] as never;
    }
  }

  /** A new network: its input is zero, so the drawing starts over; `target` holds it again. */
  private replaced(): void {
    this.training.networkReplaced();
    this.drawing.clear();
    this.drawing.hide();
    this.divergence = null;
    this.heldTarget = null;
    this.holdTarget();
  }

  protected override render() {
    const snap = this.sim.snapshot;
    const divergence = this.divergence
      ? `The network diverged and was paused: ${this.divergence.message}`
      : null;
    const message = [...this.errors.values(), divergence, this.runError].filter(Boolean).join(' ');
    return html`${message ? html`<p class="error" part="error" role="alert">${message}</p>` : nothing}
      ${controlsView(
        {
          running: this.sim.running,
          mode: snap.mode,
          speed: this.sim.speed,
          stepSize: this.stepSize,
        },
        this.controls,
      )}
      ${statusView(snap, this.training.job?.text ?? null)}
      <div
        class="stage"
        part="stage"
        tabindex="0"
        role="group"
        aria-label="Network. Space plays or pauses, Right arrow steps one tick, Enter on a node clamps it."
        @click=${this.onStageClick}
        @pointerover=${this.onInspect}
        @focusin=${this.onInspect}
        @pointermove=${this.onGridPointer}
        @pointerdown=${this.touch.down}
        @pointerup=${this.touch.end}
        @pointercancel=${this.touch.end}
        @contextmenu=${this.touch.contextMenu}
      >
        <p class="legend">
          <span class="key-x"></span> state x <span class="key-eps"></span> error ε ·
          ${snap.weights ? html`lines: ${term('lines', 'M (left) and W (right) weights')} · ` : ''}colour:
          warm positive, cool negative
        </p>
        ${layersView(snap, this.clearDrawing, {
          classNames: this.classNames,
          inputShape: this.training.inputShape(this.sim.spec),
        })}
      </div>
      ${classButtonsView(snap, this.controls, this.classNames)}
      <p class="readout" part="readout">${this.readout(snap)}</p>
      ${this.plots.view(snap.sizes.length)} ${glossaryView()}
      <div class="settings">
        ${parametersView(this.sim.spec, this.onParamChange)}
        ${fileView({ save: this.saveFile, load: this.loadFile })}
        ${dataView(
          {
            data: this.training.data
              ? this.training.summary(this.training.data, this.training.source ?? 'data')
              : null,
            job: this.training.job,
          },
          this.dataControls,
        )}
      </div>
      <p class="announcer" part="announcer" role="status">${this.announcement}</p>`;
  }

  protected override updated(): void {
    const snap = this.sim.snapshot;
    this.painter.paint(this.renderRoot, snap, this.drawing.overlay(snap.tick));
    this.plots.feed(this.renderRoot, snap, this.sim.generation);
  }

  /** The node read last (layer 1-based, node 0-based), a term's meaning, or how to read one. */
  private readout(snap: SimulationSnapshot): string {
    if (this.explained) return GLOSSARY[this.explained];
    const at = this.inspected;
    if (!at || !(at.layer < snap.x.length && at.index < snap.x[at.layer].length)) {
      return this.touchSeen || matchMedia('(pointer: coarse)').matches
        ? 'Tap a node to read its values; press and hold it to clamp or release it.'
        : 'Hover over or focus a node to read its values; click it or press Enter to clamp it.';
    }
    const x = formatValue(snap.x[at.layer][at.index]);
    const eps = formatValue(snap.eps[at.layer][at.index]);
    const held = snap.clamped[at.layer][at.index] ? ' (clamped)' : '';
    return `Layer ${at.layer + 1} node ${at.index}: x = ${x}, ε = ${eps}${held}`;
  }

  private onFrame(snap: SimulationSnapshot, previous: SimulationSnapshot): void {
    if (snap.tick === previous.tick) return;
    // Past the tick that diverged with finite values: the run is good again (dt was fixed).
    if (this.divergence && snap.tick >= this.divergence.tick) this.divergence = null;
    const detail = { tick: snap.tick, time: snap.time, energy: snap.energy };
    this.emit('pc-tick', detail);
    if (snap.equilibrium && !previous.equilibrium) {
      this.emit('pc-equilibrium', detail);
      const k = snap.mode === 'classify' ? clearWinner(snap.x[snap.sizes.length - 1]) : null;
      if (k !== null) this.announcement = `Classified as ${this.classLabel(k)}`;
    }
  }

  private onDiverged(info: DivergenceInfo): void {
    this.divergence = info;
    this.emit('pc-diverged', info);
  }

  /**
   * Reports a rejected input (`config`: shown until `key` is set again; `key` is the
   * attribute, read from "Invalid <key>:" when not given) or a failed run (`run`).
   */
  private fail(kind: 'config' | 'run', message: string, key?: string): void {
    if (kind === 'config') {
      const name = key ?? /^Invalid ([\w-]+):/.exec(message)?.[1] ?? 'config';
      this.errors = new Map(this.errors).set(name, message);
    } else {
      this.runError = message;
    }
    this.emit('pc-error', { message });
  }

  private clearError(key: string): void {
    if (!this.errors.has(key)) return;
    const errors = new Map(this.errors);
    errors.delete(key);
    this.errors = errors;
  }

  private emit<K extends keyof PcNetworkEventMap>(type: K, detail: PcNetworkEventMap[K]['detail']) {
    emit(this, type, detail);
  }

  /** A user clamp or release of node `index` of `layer`. */
  private toggleClamp(layer: number, index: number, nudge = 0): void {
    const held = this.sim.clampValue(layer, index);
    if (held !== null && nudge === 0) {
      this.sim.release(layer, index);
      this.emit('pc-clamp-change', { layer, indices: [index], values: [], clamped: false });
      return;
    }
    const now = this.sim.snapshot.x[layer][index];
    // A free node is held where it is; at 1 if it rests near 0, so that a click shows something.
    const value = held !== null ? held + nudge : Math.abs(now) < 0.05 ? 1 : now;
    this.sim.clampNode(layer, index, value);
    this.emit('pc-clamp-change', { layer, indices: [index], values: [value], clamped: true });
  }

  private readonly controls = {
    togglePlay: () => (this.sim.running ? this.pause() : this.play()),
    stepOne: () => this.step(1),
    stepMany: () => this.step(this.stepSize),
    reset: () => this.reset(),
    setSpeed: (e: Event) => (this.speed = inputNumber(e)),
    setStepSize: (e: Event) => (this.stepSize = inputNumber(e)),
    setMode: (e: Event) => this.userSetMode((e.target as HTMLSelectElement).value as Mode),
    clampClass: (e: Event) => {
      const k = Number((e.currentTarget as HTMLElement).dataset.class);
      const values = this.clampOutput(k);
      const layer = this.sim.spec.layers.length - 1;
      const indices = values.map((_, i) => i);
      this.emit('pc-clamp-change', { layer, indices, values, clamped: true });
    },
    releaseOutput: () => {
      const layer = this.sim.spec.layers.length - 1;
      this.sim.release(layer);
      const indices = Array.from({ length: this.sim.spec.layers[layer] }, (_, i) => i);
      this.emit('pc-clamp-change', { layer, indices, values: [], clamped: false });
    },
  };

  /** The Train button: the data held, the network fitted to them; errors are reported. */
  private readonly dataControls = {
    train: () => {
      const data = this.training.data;
      if (data)
        this.train(data, { fit: true }).catch((e: Error) => {
          if (e.name !== 'AbortError') this.fail('run', `Could not train: ${e.message}`);
        });
    },
    cancel: () => this.training.cancel(),
  };

  private userSetMode(mode: Mode): void {
    this.mode = mode;
    this.sim.setMode(mode);
    this.emit('pc-mode-change', { mode });
  }

  /** A drawn digit becomes the input X, as `clampInput` makes it (X acts while α = 1). */
  private commitDrawing(image: Float32Array): void {
    if (this.sim.spec.mode === 'generate') this.userSetMode('classify');
    this.clampInput(image);
    this.drawing.showUntilTick(this.sim.snapshot.tick);
    const indices = Array.from(image, (_, i) => i);
    this.emit('pc-clamp-change', { layer: 0, indices, values: Array.from(image), clamped: true });
  }

  private readonly clearDrawing = (): void => {
    this.drawing.clear();
    this.commitDrawing(this.drawing.image);
  };

  /** A parameter changed in the panel: checked, then set as its attribute (a live change). */
  private readonly onParamChange = (e: Event): void => {
    const change = readParameter(e.target as HTMLInputElement, this.sim.spec);
    if (change && 'error' in change) this.fail('config', change.error);
    else if (change) this.setAttribute(change.attribute, change.text);
  };

  private readonly saveFile = async (): Promise<void> => {
    downloadBytes(await this.save(), SAVE_NAME);
  };

  private readonly loadFile = async (e: Event): Promise<void> => {
    const file = await chosenFile(e);
    if (file && (await this.load(file.bytes))) this.emit('pc-load', { source: file.name });
  };

  private readonly onStageClick = (e: Event): void => {
    if (this.touch.takesClick()) return; // a tap reads (pointerdown did); a long press clamped
    const node = nodeOf(e.target);
    if (node?.kind === 'x') this.toggleClamp(node.layer, node.index);
  };

  /** A tap on a node reads it; a long press clamps or releases it. */
  private readonly touch = new TouchPress({
    touched: () => (this.touchSeen = true),
    read: (node) => this.inspect(node),
    press: (node) => this.toggleClamp(node.layer, node.index),
  });

  private inspect(node: { layer: number; index: number }): void {
    this.inspected = { layer: node.layer, index: node.index };
    this.explained = null;
  }

  private readonly onInspect = (e: Event): void => {
    const node = nodeOf(e.target);
    if (node) this.inspect(node);
  };

  private readonly onGridPointer = (e: PointerEvent): void => {
    this.touch.move(e);
    const node = gridNodeAt(e);
    if (node && node.index < this.sim.spec.layers[node.layer]) this.inspect(node);
  };

  /** A glossary term was focused, clicked or tapped: its meaning shows in the readout. */
  private readonly onTerm = (e: Event): void => {
    const key = termOf(e.composedPath()[0]);
    if (key) this.explained = key;
  };

  private readonly onKeyDown = (e: KeyboardEvent): void => {
    const action = keyAction(e);
    if (!action) return;
    if (action.kind === 'toggle-clamp') this.toggleClamp(action.node.layer, action.node.index);
    else if (action.kind === 'toggle-play') this.controls.togglePlay();
    else if (action.kind === 'step') this.step(1);
    else if (this.sim.clampValue(action.node.layer, action.node.index) === null) return;
    else this.toggleClamp(action.node.layer, action.node.index, action.delta);
    e.preventDefault();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'pc-network': PcNetwork;
  }
}
