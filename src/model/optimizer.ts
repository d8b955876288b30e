import { type Backend, type BackendFactory, getDefaultBackend } from '../kernels/backend';
import { Network } from './network';
import { type NetworkSpec, type NetworkSpecInput, resolveSpec, SpecError } from './spec';

/**
 * Adam (Kingma & Ba 2015) on the weight steps of the accelerated method: an option the paper
 * does not have. The paper moves the weights by plain steps along eqs. 2.9, 2.10 and 3.12;
 * here the same local, Hebbian quantity, on the batch mean and with the network's λM and λW,
 *
 *     g(M(i)) = ⟨ε(i+1) ⊗ σ(x(i))⟩ − λM M(i),   g(W(i)) = ⟨σ(x(i)) ⊗ ε(i+1)⟩ − λW W(i),
 *
 * is computed into buffers of its own (a sum into the weights themselves would round away
 * the small terms), and Adam rescales it element by element from running moments of g. The
 * learning stays local; only the step size adapts. Why E7 uses it: with plain steps, 10
 * epochs of MNIST reach about 93 to 94% (as backprop does with the same squared error,
 * initial weights and plain steps); with Adam, backprop reaches 97.8% and PC about the same
 * (see the README's E7 row).
 */
export interface AdamOptions {
  /** The step α (default 0.001). */
  learningRate: number;
  /** Decay of the first moment (default 0.9). */
  beta1: number;
  /** Decay of the second moment (default 0.999). */
  beta2: number;
  /** Added to √v̂ (default 1e-8). */
  epsilon: number;
  /**
   * How eq. 3.12's decay −λ w enters. 0 (the default): coupled, part of g, so Adam rescales it
   * with the Hebbian term. A step η > 0: decoupled (AdamW, Loshchilov & Hutter 2019): Adam
   * rescales the Hebbian term only, and w ← (1 − η λ) w first, a plain decay step of size η.
   */
  decayStep: number;
}

export const DEFAULT_ADAM: Readonly<AdamOptions> = Object.freeze({
  learningRate: 0.001,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  decayStep: 0,
});

/**
 * Adam's state for one network of layers `sizes` trained on batches of `batch`: the moments
 * of every weight tensor and the step count. `update` allocates nothing; its products run on
 * the kernels of `backend`: a factory (the default backend when not given) for memory of its
 * own, into and out of which every weight tensor is copied at each step, or the network's own
 * `backend`, made with room for {@link Adam.floats} more (`new Network(spec, { reserve })`),
 * where the step runs on the weights in place.
 */
export class Adam {
  readonly options: Readonly<AdamOptions>;
  /** Steps taken (the bias correction's t). */
  steps = 0;
  private factor = 1;
  private readonly scalars = newAdamStepScalars();
  private readonly backend: Backend;
  /** Per tensor M(1), W(1), M(2), ...: the step g, and Adam's moments m and v. */
  private readonly g: Float32Array[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  /** The tensor being stepped, copied here so the kernel reads it with g, m and v. */
  private readonly w: Float32Array;
  /** Copies of ε(i+1) and σ(x(i)) where this backend's kernels read them. */
  private readonly eps: Float32Array[];
  private readonly s: Float32Array[];

  constructor(
    readonly sizes: readonly number[],
    readonly batch: number,
    options: Partial<AdamOptions> = {},
    backend: BackendFactory | Backend = getDefaultBackend(),
  ) {
    const o = resolveAdamOptions(options);
    if (!Number.isInteger(batch) || batch < 1) {
      throw new RangeError(`adam: batch must be a whole number ≥ 1, got ${batch}`);
    }
    this.options = o;
    this.backend = typeof backend === 'function' ? backend(Adam.floats(sizes, batch)) : backend;
    const tensors = weightTensors(sizes);
    const largest = Math.max(0, ...tensors);
    const alloc = (n: number) => this.backend.alloc(n);
    this.g = tensors.flatMap((n) => [alloc(n), alloc(n)]);
    this.m = tensors.flatMap((n) => [alloc(n), alloc(n)]);
    this.v = tensors.flatMap((n) => [alloc(n), alloc(n)]);
    this.w = alloc(largest);
    this.eps = sizes.map((n) => this.backend.alloc(batch * n));
    this.s = sizes.map((n) => this.backend.alloc(batch * n));
  }

  /** The floats Adam allocates for a network of layers `sizes` on batches of `batch`. */
  static floats(sizes: readonly number[], batch: number): number {
    const tensors = weightTensors(sizes);
    const largest = Math.max(0, ...tensors);
    return (
      tensors.reduce((a, n) => a + 6 * n, 0) + largest + 2 * batch * sizes.reduce((a, n) => a + n)
    );
  }

  /**
   * A schedule's factor on every step (default 1): Adam's α and, with `decayStep`, the decay
   * step η are both multiplied by it, as AdamW schedules both (e.g. `scale = 0.7 ** epoch`).
   */
  get scale(): number {
    return this.factor;
  }

  set scale(factor: number) {
    this.factor = checkAdamScale(factor);
  }

  /**
   * One Adam step of every weight of `net` from its present ε and σ(x) (after
   * `relaxAccelerated` and σ of every layer, as `trainAccelerated` leaves them).
   */
  update(net: Network): void {
    const N = net.sizes;
    const B = net.batch;
    if (
      B !== this.batch ||
      N.length !== this.sizes.length ||
      N.some((n, l) => n !== this.sizes[l])
    ) {
      throw new RangeError(
        `adam: made for layers ${this.sizes.join('-')} × batch ${this.batch}, ` +
          `given ${N.join('-')} × batch ${B}`,
      );
    }
    const internals = net.internals();
    // On the network's own backend the kernels read its ε and σ(x) where they are.
    const shared = net.backend === this.backend;
    const eps = shared ? internals.eps : this.eps;
    const s = shared ? internals.s : this.s;
    const { rankBUpdate } = this.backend.kernels;
    const { lambdaM, lambdaW } = net.spec;
    this.steps++;
    for (let l = 0; l + 1 < N.length; l++) {
      if (!shared) {
        eps[l + 1].set(internals.eps[l + 1]);
        s[l].set(internals.s[l]);
      }
      const gM = this.g[2 * l];
      const gW = this.g[2 * l + 1];
      gM.fill(0);
      gW.fill(0);
      rankBUpdate(gM, eps[l + 1], s[l], B, N[l + 1], N[l], 1 / B, 0); // eq. 2.9
      rankBUpdate(gW, s[l], eps[l + 1], B, N[l], N[l + 1], 1 / B, 0); // eq. 2.10
      this.apply(2 * l, net.M[l], lambdaM, shared);
      this.apply(2 * l + 1, net.W[l], lambdaW, shared);
    }
  }

  /**
   * w ← w + α m̂ / (√v̂ + ε) for g = g[t] − λ w (eq. 3.12's decay), or with `decayStep` η,
   * w ← (1 − η λ) w + α m̂ / (√v̂ + ε) for g = g[t] (the `adamStep` kernel).
   */
  private apply(t: number, w: Float32Array, lambda: number, inPlace: boolean): void {
    const { beta1, beta2, epsilon } = this.options;
    const c = adamStepScalars(this.scalars, this.options, this.factor, this.steps, lambda);
    const n = w.length;
    const scratch = inPlace ? w : this.w.subarray(0, n);
    if (!inPlace) scratch.set(w);
    this.backend.kernels.adamStep(
      scratch,
      this.g[t],
      this.m[t],
      this.v[t],
      n,
      c.stepSize,
      beta1,
      beta2,
      c.correction2,
      epsilon,
      c.gradDecay,
      c.keep,
    );
    if (!inPlace) w.set(scratch);
  }
}

/** The sizes of the weight tensors M(i) (and W(i)) between layers `sizes`. */
export function weightTensors(sizes: readonly number[]): number[] {
  const tensors: number[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) tensors.push(sizes[l] * sizes[l + 1]);
  return tensors;
}

/** `options` over {@link DEFAULT_ADAM}, each checked (a `SpecError` naming the bad one), frozen. */
export function resolveAdamOptions(options: Partial<AdamOptions>): Readonly<AdamOptions> {
  const o = { ...DEFAULT_ADAM, ...options };
  const check = (name: keyof AdamOptions, ok: boolean) => {
    if (!ok) throw new SpecError(name, `adam ${name} out of range: ${o[name]}`);
  };
  check('learningRate', o.learningRate > 0 && Number.isFinite(o.learningRate));
  check('beta1', o.beta1 >= 0 && o.beta1 < 1);
  check('beta2', o.beta2 >= 0 && o.beta2 < 1);
  check('epsilon', o.epsilon > 0 && Number.isFinite(o.epsilon));
  check('decayStep', o.decayStep >= 0 && Number.isFinite(o.decayStep));
  return Object.freeze(o);
}

/** Checks a schedule's factor for `Adam.scale` (a positive number); returns it. */
export function checkAdamScale(factor: number): number {
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw new SpecError('scale', `adam scale must be a positive number, got ${factor}`);
  }
  return factor;
}

/** The scalars of one `adamStep` kernel call, as both backends pass them. */
export interface AdamStepScalars {
  /** α_t = α · scale / (1 − β1^t): the step with the first moment's bias correction. */
  stepSize: number;
  /** 1 / (1 − β2^t): the second moment's bias correction. */
  correction2: number;
  /** λ added to the gradient (eq. 3.12's decay), 0 with a decoupled `decayStep`. */
  gradDecay: number;
  /** 1 − η λ: the decoupled decay's factor on w (1 without `decayStep`). */
  keep: number;
}

/**
 * Fills `out` with the `adamStep` scalars of step `steps` (t ≥ 1) for a tensor with decay
 * `lambda`, under schedule factor `factor`; returns `out` (no allocation).
 */
export function adamStepScalars(
  out: AdamStepScalars,
  o: Readonly<AdamOptions>,
  factor: number,
  steps: number,
  lambda: number,
): AdamStepScalars {
  const decayStep = o.decayStep * factor;
  out.stepSize = (o.learningRate * factor) / (1 - o.beta1 ** steps);
  out.correction2 = 1 / (1 - o.beta2 ** steps);
  out.gradDecay = decayStep === 0 ? lambda : 0;
  out.keep = 1 - decayStep * lambda;
  return out;
}

/** A fresh {@link AdamStepScalars} to fill. */
export function newAdamStepScalars(): AdamStepScalars {
  return { stepSize: 0, correction2: 1, gradDecay: 0, keep: 1 };
}

/**
 * A network for accelerated training, and with `adamOptions` the {@link Adam} that steps its
 * weights in place: the network is made with room for Adam's moments in its own memory
 * (`reserve: Adam.floats(...)`) and Adam runs on `net.backend`, so no weight is copied.
 * Without `adamOptions`, the network alone (plain steps).
 */
export function networkWithAdam(
  spec: NetworkSpecInput | NetworkSpec,
  options: { batch: number; backend?: BackendFactory },
  adamOptions?: Partial<AdamOptions>,
): { net: Network; adam?: Adam } {
  if (!adamOptions) return { net: new Network(spec, options) };
  const { layers } = resolveSpec(spec);
  const net = new Network(spec, { ...options, reserve: Adam.floats(layers, options.batch) });
  return { net, adam: new Adam(net.sizes, options.batch, adamOptions, net.backend) };
}
