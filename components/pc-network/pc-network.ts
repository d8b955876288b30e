import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { type Mode, type Network, type NetworkSpec, resolveSpec, SpecError } from '../../src/index';
import { decodeNetwork } from '../../src/index';
import { DEFAULT_MEMORY_BUDGET_MIB, isMemoryBudget } from '../../src/index';
import { SimulationController } from '../controllers/simulation-controller';
import type { DivergenceInfo, SimulationSnapshot } from '../controllers/simulation';
import { SourceLoader } from '../controllers/source-loader';
import {
  CONFIG_KEYS,
  DEFAULT_LAYERS,
  LIVE_KEYS,
  nuAttribute,
  numberAttribute,
  resolveConfig,
  sameStructure,
  STRUCTURAL_KEYS,
} from './config';
import type { PcNetworkEventMap } from './events';
import { styles } from './pc-network.styles';
import { classButtonsView, clearWinner, controlsView, oneHot, statusView } from './views/controls';
import { DigitDrawing } from './drawing';
import { createSimulation, type ElementSimulation, engineFor, ENGINES } from './engine';
import { NetworkMirror } from './network-mirror';
import { gridNodeAt, keyAction, nodeOf } from './interaction';
import { formatValue } from './views/colour';
import { chosenFile, downloadBytes, fileView, SAVE_NAME } from './views/file';
import { GridPainter } from './views/grid-painter';
import { layersView } from './views/layers';
import { parametersView, readParameter } from './views/params';
import { PlotFeed } from './views/plot-panel';
import { trainedWeights, trainedWeightsUrl } from './trained';

/**
 * A predictive-coding network, simulated tick by tick and drawn node by node: every state node
 * x and error node ε of every layer, coloured on a diverging scale, with the M/W connections of
 * small networks. The network comes from `preset` and/or the spec attributes; people can play,
 * step, reset, switch mode and clamp nodes; pages can do the same through the methods.
 *
 * Keyboard, while focus is inside the element: Space plays or pauses, Right arrow steps one
 * tick; on a node, Enter or Space clamps or releases it, Up/Down arrows move a clamped node's
 * value by 0.1 (1 with Shift). A click or Enter holds a free node at its current value, or at 1
 * when it rests near 0 (|x| < 0.05), so that a click on a network at rest shows something.
 * Layer and node numbers in labels are 1-based, as in the paper; the methods' `layer` and
 * `index` are 0-based, as in the engine.
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
 * @fires pc-tick - Ticks ran; at most once per display frame. `{tick, time, energy}`
 * @fires pc-equilibrium - The dynamics reached equilibrium. `{tick, time, energy}`
 * @fires pc-diverged - The dynamics diverged; the clock paused. `{layer, tick, message}`
 * @fires pc-mode-change - The user changed the mode. `{mode}`
 * @fires pc-clamp-change - The user clamped or released nodes, or drew an input. `{layer, indices, values, clamped}`
 * @fires pc-load - A network was loaded from `src` or from a file the user chose. `{source}`
 * @fires pc-error - A bad attribute, property or file was rejected, or the worker failed; the last good network is kept. `{message}`
 *
 * @csspart controls - The toolbar. @csspart button - Every button. @csspart input - Every input and select.
 * @csspart status - The mode, tick, time, energy and equilibrium line.
 * @csspart stage - The focusable area holding the layers. @csspart layer - One layer.
 * @csspart nodes - A small layer's SVG. @csspart edges - The M/W connections between two layers.
 * @csspart grid - A large layer's canvas. @csspart classes - The output-class buttons.
 * @csspart readout - The hovered or focused node's values. @csspart announcer - The live region.
 * @csspart error - The message shown for bad input or divergence.
 * @csspart plot - Each of the two `<pc-plot>`s (energy; error norms).
 * @csspart parameters - The collapsible "Parameters" panel. @csspart file - The Save and Load buttons.
 *
 * @cssproperty --pc-positive - Colour of positive values.
 * @cssproperty --pc-negative - Colour of negative values.
 * @cssproperty --pc-zero - Colour of zero (default: between the background and the text).
 * @cssproperty --pc-node-size - Diameter of a node of a small layer (default 22px).
 * @cssproperty --pc-font - Font family.
 * @cssproperty --pc-bg - Background colour.
 * @cssproperty --pc-fg - Text and outline colour.
 * @cssproperty --pc-focus - Focus ring colour.
 */
export class PcNetwork extends LitElement {
  static override styles = styles;

  /** A network of the paper: `shallow-3-2`, `deep-10-5-3` or `mnist`; attributes override it. */
  @property() preset?: string;
  /** Layer sizes, input first: "10-5-3". */
  @property() layers?: string;
  /** σ: identity, tanh, logistic or relu. */
  @property() activation?: string;
  /** train, classify or generate. Switching keeps the state. */
  @property() mode?: Mode;
  /** The Euler step, seconds. */
  @property({ converter: numberAttribute }) dt?: number;
  /** τ, the time constant of the nodes, seconds. */
  @property({ converter: numberAttribute }) tau?: number;
  /** γ, the time constant of the weights, seconds. */
  @property({ converter: numberAttribute }) gamma?: number;
  /** ν, the variance: one number, or one per layer ("1 1 10"). */
  @property({ converter: nuAttribute }) nu?: number | number[];
  /** λx, activity decay (generate mode). */
  @property({ attribute: 'lambda-x', converter: numberAttribute }) lambdaX?: number;
  /** λM, forward-weight decay (train mode). */
  @property({ attribute: 'lambda-m', converter: numberAttribute }) lambdaM?: number;
  /** λW, backward-weight decay (train mode). */
  @property({ attribute: 'lambda-w', converter: numberAttribute }) lambdaW?: number;
  /** The seed of the initial weights. */
  @property({ converter: numberAttribute }) seed?: number;
  /** Ticks per second of real time while playing. */
  @property({ converter: numberAttribute }) speed = 200;
  /** Ticks taken by the "Step N" button. */
  @property({ attribute: 'step-size', converter: numberAttribute }) stepSize = 100;
  /** Start playing when first connected. */
  @property({ type: Boolean }) autoplay = false;
  /** A weights file (safetensors) to load, fetched when connected and whenever it changes. */
  @property() src?: string;
  /**
   * Where the maths runs: `worker` (default) or `main` (this thread). Read once, when the
   * element first needs its network (when it first connects, or a method is first called).
   */
  @property() engine?: string;
  /**
   * MiB a network may take (its weights M and W, states and errors; `networkBytes`), checked
   * before anything is allocated: a larger `layers`, preset or file is refused with `pc-error`
   * and the network keeps running. Default 1024.
   */
  @property({ attribute: 'memory-budget', converter: numberAttribute })
  memoryBudget = DEFAULT_MEMORY_BUDGET_MIB;

  @state() private configError: string | null = null;
  @state() private runError: string | null = null;
  @state() private announcement = '';
  @state() private inspected: { layer: number; index: number } | null = null;

  private simulation: ElementSimulation | null = null;
  private mirror: NetworkMirror | null = null;

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

  constructor() {
    super();
    this.addEventListener('keydown', this.onKeyDown);
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

  /**
   * @deprecated Use `spec` and `snapshot`. With `engine="main"`, the engine's live network;
   * otherwise a read-only copy on this thread, built when first read and brought up to the last
   * snapshot at each read (weights of networks over 8192 weights: the initial or loaded ones).
   */
  get network(): Network {
    const sim = this.sim;
    if (sim instanceof SimulationController) return sim.network;
    if (this.mirror?.generation !== sim.generation) {
      this.mirror = new NetworkMirror(sim.spec, sim.generation);
    }
    this.mirror.sync(sim.spec, sim.snapshot, sim.weights);
    return this.mirror;
  }

  /** Whether the clock is playing (it still stops while the element is disconnected). */
  get running(): boolean {
    return this.sim.running;
  }

  /** Takes `ticks` Euler steps now. */
  step(ticks = 1): void {
    if (!Number.isInteger(ticks) || ticks < 1) {
      throw new RangeError(`ticks must be a positive integer, got ${ticks}`);
    }
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

  /** Classify mode, input X, the feed-forward equilibrium; resolves to argmax x(n). */
  async classify(input: ArrayLike<number>): Promise<number> {
    this.mode = 'classify';
    const k = await this.sim.classify(input);
    this.drawing.sync(input);
    this.announcement = `Classified as class ${k}`;
    return k;
  }

  /** Generate mode with the output held at class `k`, from a zero state; starts the clock. */
  generate(k: number): void {
    this.mode = 'generate';
    this.sim.setMode('generate');
    this.clampOutput(k);
    this.reset();
    this.play();
  }

  /** The spec and weights as safetensors bytes (see `src/io/safetensors.ts`). */
  async save(): Promise<Uint8Array> {
    return this.sim.save();
  }

  /** Loads safetensors bytes; a bad file is reported (`pc-error`) and the network kept. */
  async load(bytes: Uint8Array | ArrayBuffer): Promise<boolean> {
    try {
      const { spec, M, W } = decodeNetwork(bytes);
      this.sim.configure(spec, { M, W });
      this.replaced();
      // The attributes now describe the loaded network, so that no later change rebuilds it.
      const { layers, activation, seed, mode, dt, tau, gamma, nu, lambdaX, lambdaM, lambdaW } =
        spec;
      Object.assign(this, { preset: undefined, layers: layers.join('-'), activation, seed, mode });
      Object.assign(this, { dt, tau, gamma, nu, lambdaX, lambdaM, lambdaW });
      this.configError = this.runError = null;
      return true;
    } catch (e) {
      this.fail('run', `Could not load the network: ${(e as Error).message}`);
      return false;
    }
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

  override connectedCallback(): void {
    super.connectedCallback();
    void this.sim; // the engine is chosen now, if no method call chose it before
  }

  /** The controller that runs the network, made when first needed. */
  private get sim(): ElementSimulation {
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
    if (changed.has('speed')) {
      if (typeof this.speed === 'number' && Number.isFinite(this.speed) && this.speed > 0) {
        this.sim.speed = this.speed;
      } else {
        this.fail('config', `Invalid speed: must be a number above 0, got ${this.speed}`);
      }
    }
    if (changed.has('src') || STRUCTURAL_KEYS.some((k) => changed.has(k))) this.loadSource();
    const engine = this.engine;
    if (changed.has('engine') && engine && !(ENGINES as readonly string[]).includes(engine)) {
      this.fail('config', `Invalid engine: must be worker or main, got "${engine}"`);
    }
    if (!this.hasUpdated && this.autoplay) this.sim.play();
  }

  /** Rebuilds the network if its structure changed, else updates the live one. */
  private applyConfig(changed: PropertyValues<this>): void {
    try {
      const spec = resolveConfig(this);
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
      this.configError = null;
    } catch (e) {
      this.fail('config', (e as Error).message);
    }
  }

  /** A new network: its input is zero, so the drawing starts over. */
  private replaced(): void {
    this.drawing.clear();
    this.drawing.hide();
  }

  protected override render() {
    const snap = this.sim.snapshot;
    const message = [this.configError, this.runError].filter(Boolean).join(' ');
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
      ${statusView(snap)}
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
      >
        <p class="legend" aria-hidden="true">
          <span class="key-x"></span> state x <span class="key-eps"></span> error ε ·
          ${snap.weights ? 'lines: M (left) and W (right) weights · ' : ''}colour: warm positive,
          cool negative
        </p>
        ${layersView(snap, this.clearDrawing)}
      </div>
      ${classButtonsView(snap, this.controls)}
      <p class="readout" part="readout">${this.readout(snap)}</p>
      ${this.plots.view(snap.sizes.length)}
      <div class="settings">
        ${parametersView(this.sim.spec, this.onParamChange)}
        ${fileView({ save: this.saveFile, load: this.loadFile })}
      </div>
      <p class="announcer" part="announcer" role="status">${this.announcement}</p>`;
  }

  protected override updated(): void {
    const snap = this.sim.snapshot;
    this.painter.paint(this.renderRoot, snap, this.drawing.overlay(snap.tick));
    this.plots.feed(this.renderRoot, snap, this.sim.generation);
  }

  private readout(snap: SimulationSnapshot): string {
    const at = this.inspected;
    if (!at || at.layer >= snap.sizes.length || at.index >= snap.sizes[at.layer]) {
      return 'Hover over or focus a node to read its values.';
    }
    const x = formatValue(snap.x[at.layer][at.index]);
    const eps = formatValue(snap.eps[at.layer][at.index]);
    const held = snap.clamped[at.layer][at.index] ? ' (clamped)' : '';
    return `Layer ${at.layer + 1} node ${at.index + 1}: x = ${x}, ε = ${eps}${held}`;
  }

  private onFrame(snap: SimulationSnapshot, previous: SimulationSnapshot): void {
    if (snap.tick === previous.tick) return;
    const detail = { tick: snap.tick, time: snap.time, energy: snap.energy };
    this.emit('pc-tick', detail);
    if (snap.equilibrium && !previous.equilibrium) {
      this.emit('pc-equilibrium', detail);
      const k = snap.mode === 'classify' ? clearWinner(snap.x[snap.sizes.length - 1]) : null;
      if (k !== null) this.announcement = `Classified as class ${k}`;
    }
  }

  private onDiverged(info: DivergenceInfo): void {
    this.runError = `The network diverged and was paused: ${info.message}`;
    this.emit('pc-diverged', info);
  }

  private fail(kind: 'config' | 'run', message: string): void {
    if (kind === 'config') this.configError = message;
    else this.runError = message;
    this.emit('pc-error', { message });
  }

  private emit<K extends keyof PcNetworkEventMap>(type: K, detail: PcNetworkEventMap[K]['detail']) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
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
    setSpeed: (e: Event) => (this.speed = Number((e.target as HTMLInputElement).value)),
    setStepSize: (e: Event) => {
      const n = Number((e.target as HTMLInputElement).value);
      if (Number.isInteger(n) && n >= 1) this.stepSize = n;
    },
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
    const node = nodeOf(e.target);
    if (node?.kind === 'x') this.toggleClamp(node.layer, node.index);
  };

  private readonly onInspect = (e: Event): void => {
    const node = nodeOf(e.target);
    if (node) this.inspected = { layer: node.layer, index: node.index };
  };

  private readonly onGridPointer = (e: PointerEvent): void => {
    const node = gridNodeAt(e);
    if (node && node.index < this.sim.spec.layers[node.layer]) this.inspected = node;
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
