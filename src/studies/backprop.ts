/**
 * A plain multilayer perceptron trained by backprop, the baseline of the `adversarial` study:
 * the same function as a predictive-coding network's feed-forward pass (section 2.2),
 *
 *     x(1) = X,   x(i+1) = M(i) σ(x(i)),   output x(n)                        (section 2.2)
 *
 * with σ applied to the input as the PC network applies it, and the same weight layout as
 * `Network.M` (M(i) is N_{i+1} × N_i, row-major), so one class serves two ends: a network of
 * its own trained by backprop and Adam, and the forward pass of a trained PC network (its M)
 * for the attacks' "backprop" gradients. The loss is the squared error ½‖x(n) − Y‖², the loss
 * at the PC network's top layer. Every buffer is allocated once for `maxBatch` samples; the
 * loops allocate nothing.
 */
import type { LabelledData } from '../experiments/protocol';
import { argmax } from '../metrics';
import { Random } from '../random';

/** Adam's constants and the step of {@link trainMlp} (the E7 network's: α = 0.001). */
export interface MlpTrainOptions {
  epochs: number;
  /** Samples per step (the E7 batch: 20). */
  batch: number;
  /** Adam's α. */
  learningRate: number;
  /** The factor on α after every epoch (E7's 0.85). */
  learningRateDecay: number;
  /** The order of the samples is shuffled every epoch with this seed (as E7 does). */
  shuffleSeed: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** σ and σ' of x into s and ds (tanh or the identity), n values. */
function activate(s: Float32Array, ds: Float32Array, x: Float32Array, n: number, tanh: boolean) {
  if (tanh) {
    for (let i = 0; i < n; i++) {
      const t = Math.tanh(x[i]);
      s[i] = t;
      ds[i] = 1 - t * t;
    }
  } else {
    for (let i = 0; i < n; i++) {
      s[i] = x[i];
      ds[i] = 1;
    }
  }
}

/** A feed-forward network x(i+1) = M(i) σ(x(i)) with its backward pass (see the module). */
export class Mlp {
  /** N_1 … N_n. */
  readonly sizes: readonly number[];
  /** M(i), N_{i+1} × N_i row-major (as `Network.M`). */
  readonly M: Float32Array[];
  /** The gradient of the summed loss with respect to each M(i), filled by {@link backward}. */
  readonly dM: Float32Array[];
  /** The largest batch the buffers hold. */
  readonly maxBatch: number;
  private readonly tanh: boolean;
  private readonly x: Float32Array[];
  private readonly s: Float32Array[];
  private readonly ds: Float32Array[];
  private readonly delta: Float32Array[];
  private readonly dS: Float32Array[];

  /**
   * A network of `sizes` with weights M(i) ~ N(0, (1 / (2 √N_i))²) drawn from `Random(seed)`
   * in order, the draws of a PC network with `tiedInit` (section 4.3), or copies of `weights`.
   */
  constructor(
    sizes: readonly number[],
    options: {
      activation: 'tanh' | 'identity';
      maxBatch: number;
      seed?: number;
      weights?: readonly Float32Array[];
    },
  ) {
    if (sizes.length < 2 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new RangeError(`Mlp: sizes must be two or more positive integers, got ${sizes}`);
    }
    if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
      throw new RangeError(`Mlp: maxBatch must be a positive integer, got ${options.maxBatch}`);
    }
    this.sizes = sizes.slice();
    this.maxBatch = options.maxBatch;
    this.tanh = options.activation === 'tanh';
    const rng = new Random(options.seed ?? 0);
    this.M = [];
    this.dM = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const n = sizes[l + 1] * sizes[l];
      const given = options.weights?.[l];
      if (given && given.length !== n) {
        throw new RangeError(`Mlp: weights ${l} must hold ${n} numbers, got ${given.length}`);
      }
      this.M.push(
        given ? given.slice() : rng.fillNormal(new Float32Array(n), 0, 0.5 / Math.sqrt(sizes[l])),
      );
      this.dM.push(new Float32Array(n));
    }
    const per = () => sizes.map((n) => new Float32Array(n * options.maxBatch));
    this.x = per();
    this.s = per();
    this.ds = per();
    this.delta = per();
    this.dS = per();
  }

  /** The forward pass for B samples X (B × N_1); returns the outputs x(n), B × N_n (a view). */
  forward(X: ArrayLike<number>, B: number): Float32Array {
    this.checkBatch(B);
    const N = this.sizes;
    const L = N.length;
    const x0 = this.x[0];
    for (let i = 0; i < B * N[0]; i++) x0[i] = X[i];
    for (let l = 0; l + 1 < L; l++) {
      const rows = N[l + 1];
      const cols = N[l];
      activate(this.s[l], this.ds[l], this.x[l], B * cols, this.tanh);
      const M = this.M[l];
      const s = this.s[l];
      const out = this.x[l + 1];
      for (let b = 0; b < B; b++) {
        const so = b * cols;
        for (let r = 0; r < rows; r++) {
          const mo = r * cols;
          let acc = 0;
          for (let c = 0; c < cols; c++) acc += M[mo + c] * s[so + c];
          out[b * rows + r] = acc;
        }
      }
    }
    return this.x[L - 1].subarray(0, B * N[L - 1]);
  }

  /**
   * The backward pass after {@link forward} of the same B samples: from dOut = ∂loss/∂x(n)
   * (B × N_n), fills {@link dM} with Σ_b ∂loss_b/∂M(i) when `weights` is true, and returns
   * ∂loss/∂X (B × N_1, a view): δ(i) = σ'(x(i)) ⊙ (M(i)ᵀ δ(i+1)), δ(n) = dOut.
   */
  backward(dOut: ArrayLike<number>, B: number, weights: boolean): Float32Array {
    this.checkBatch(B);
    const N = this.sizes;
    const L = N.length;
    const top = this.delta[L - 1];
    for (let i = 0; i < B * N[L - 1]; i++) top[i] = dOut[i];
    for (let l = L - 2; l >= 0; l--) {
      const rows = N[l + 1];
      const cols = N[l];
      const M = this.M[l];
      const dNext = this.delta[l + 1];
      if (weights) {
        const g = this.dM[l];
        const s = this.s[l];
        g.fill(0);
        for (let b = 0; b < B; b++) {
          for (let r = 0; r < rows; r++) {
            const d = dNext[b * rows + r];
            if (d === 0) continue;
            const go = r * cols;
            const so = b * cols;
            for (let c = 0; c < cols; c++) g[go + c] += d * s[so + c];
          }
        }
      }
      const dS = this.dS[l];
      const ds = this.ds[l];
      const out = this.delta[l];
      dS.fill(0, 0, B * cols);
      for (let b = 0; b < B; b++) {
        const so = b * cols;
        for (let r = 0; r < rows; r++) {
          const d = dNext[b * rows + r];
          if (d === 0) continue;
          const mo = r * cols;
          for (let c = 0; c < cols; c++) dS[so + c] += d * M[mo + c];
        }
      }
      for (let i = 0; i < B * cols; i++) out[i] = dS[i] * ds[i];
    }
    return this.delta[0].subarray(0, B * N[0]);
  }

  /** The fraction of `count` samples whose output's argmax is their label (batches of maxBatch). */
  accuracy(inputs: Float32Array, labels: ArrayLike<number>, count: number): number {
    const N = this.sizes;
    const nOut = N[N.length - 1];
    let correct = 0;
    for (let start = 0; start < count; start += this.maxBatch) {
      const B = Math.min(this.maxBatch, count - start);
      const out = this.forward(inputs.subarray(start * N[0], (start + B) * N[0]), B);
      for (let b = 0; b < B; b++) if (argmax(out, b * nOut, nOut) === labels[start + b]) correct++;
    }
    return count === 0 ? 0 : correct / count;
  }

  private checkBatch(B: number): void {
    if (!Number.isInteger(B) || B < 1 || B > this.maxBatch) {
      throw new RangeError(`Mlp: batch must be an integer from 1 to ${this.maxBatch}, got ${B}`);
    }
  }
}

/** ∂/∂out of the squared error ½‖out − Y‖² per sample: out − Y into `grad` (B × n). */
export function squaredErrorGradient(
  grad: Float32Array,
  out: ArrayLike<number>,
  targets: ArrayLike<number>,
  n: number,
): void {
  for (let i = 0; i < n; i++) grad[i] = out[i] - targets[i];
}

/**
 * Trains `mlp` by backprop on the batch-mean squared error with Adam (Kingma & Ba, 2015):
 * the batches of each epoch's shuffled order (a last partial batch left out), the order
 * drawn as E7's accelerated training draws it, so both see the same batches.
 */
export function trainMlp(mlp: Mlp, data: LabelledData, options: MlpTrainOptions): void {
  const { batch: B, epochs } = options;
  const beta1 = options.beta1 ?? 0.9;
  const beta2 = options.beta2 ?? 0.999;
  const eps = options.epsilon ?? 1e-8;
  const { dim, classes, count } = data;
  if (dim !== mlp.sizes[0] || classes !== mlp.sizes[mlp.sizes.length - 1]) {
    throw new RangeError(
      `trainMlp: data is ${dim} → ${classes}, the network ${mlp.sizes.join('-')}`,
    );
  }
  const order = Int32Array.from({ length: count }, (_, i) => i);
  const rng = new Random(options.shuffleSeed);
  const X = new Float32Array(B * dim);
  const Y = new Float32Array(B * classes);
  const grad = new Float32Array(B * classes);
  const m = mlp.M.map((w) => new Float32Array(w.length));
  const v = mlp.M.map((w) => new Float32Array(w.length));
  let t = 0;
  for (let e = 0; e < epochs; e++) {
    rng.shuffle(order);
    const lr = options.learningRate * options.learningRateDecay ** e;
    for (let b = 0; b + B <= count; b += B) {
      for (let j = 0; j < B; j++) {
        const i = order[b + j];
        X.set(data.inputs.subarray(i * dim, (i + 1) * dim), j * dim);
        Y.set(data.targets.subarray(i * classes, (i + 1) * classes), j * classes);
      }
      const out = mlp.forward(X, B);
      squaredErrorGradient(grad, out, Y, B * classes);
      mlp.backward(grad, B, true);
      t++;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (let l = 0; l < mlp.M.length; l++) {
        const w = mlp.M[l];
        const g = mlp.dM[l];
        const ml = m[l];
        const vl = v[l];
        for (let i = 0; i < w.length; i++) {
          const gi = g[i] / B;
          ml[i] = beta1 * ml[i] + (1 - beta1) * gi;
          vl[i] = beta2 * vl[i] + (1 - beta2) * gi * gi;
          w[i] -= (lr * (ml[i] / c1)) / (Math.sqrt(vl[i] / c2) + eps);
        }
      }
    }
  }
}
