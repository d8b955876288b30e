/**
 * The Euler tick of `Network` (src/model/network.ts, `tickOnce`) written with TensorFlow.js, as
 * a web developer would write it instead of our kernels: state, errors and weights are
 * `tf.variable`s, one `tf.tidy` per tick computes every new value from tick t−1's, then
 * `.assign`s them. With k = dt/τ and for every sample (rows of B × N tensors):
 *
 *     σ(i) = tanh x(i),  σ'(i) = 1 − σ(i)²
 *     μ(i) = σ(i−1) M(i−1)ᵀ          (μ(1) = X)                  tf.matMul(s, M, false, true)
 *     fb(i) = ε(i+1) W(i)ᵀ           (W(i) ε(i+1) per sample)    tf.matMul(e, W, false, true)
 *     ε(i) += k (x(i) − μ(i) − ν(i) ε(i))                                         (2.2)
 *     x(i) += k (fb(i) ⊙ σ'(i) − a(i) ε(i) − λx x(i))     a(1) = α, a(n) = β, else 1  (2.3)
 *     train: M(i) ← (1 − kw λM) M(i) + (kw/B) ε(i+1)ᵀ σ(i)   kw = dt/γ          (2.9, 3.12)
 *            W(i) ← (1 − kw λW) W(i) + (kw/B) σ(i)ᵀ ε(i+1)                       (2.10)
 *
 * In `train` mode the top layer is held at Y (β = 0). With `transposed`, M and W are stored
 * transposed so that no product needs `transposeB` (XNNPACK's slow path); the updates then use
 * `transposeA` instead. Unlike `Network`, no divergence check or largest rate is computed: that
 * would need a read-back per tick. Modes `train` and `classify`, tanh, no clamped nodes.
 */
import type * as TF from '@tensorflow/tfjs-core';
import type { Network } from '../src/model/network';

type Tf = typeof TF;

export class TfNetwork {
  readonly batch: number;
  private readonly L: number;
  private readonly x: TF.Variable[];
  private readonly eps: TF.Variable[];
  private readonly M: TF.Variable[];
  private readonly W: TF.Variable[];
  /** Tick 0's state and weights, for {@link reset}. */
  private readonly start: TF.Tensor[];
  private readonly X: TF.Tensor;
  /** Scalars made once (a number operand would make a new tensor in every op). */
  private readonly c: Record<string, TF.Scalar>;
  private readonly nu: TF.Scalar[];
  private readonly train: boolean;
  private readonly alpha: number;
  private readonly lambdaX: number;

  /** Copies `net`'s weights, input, target and current state (`net` is not touched). */
  constructor(
    private readonly tf: Tf,
    net: Network,
    readonly transposed = false,
  ) {
    const { spec } = net;
    if (spec.activation !== 'tanh') throw new Error('TfNetwork: tanh networks only');
    if (net.mode === 'generate' || spec.inputClamp !== 'pull') {
      throw new Error('TfNetwork: train and classify modes, inputClamp pull only');
    }
    const B = (this.batch = net.batch);
    const N = net.sizes;
    const L = (this.L = net.depth);
    this.train = net.mode === 'train';
    this.alpha = net.alpha;
    this.lambdaX = this.train && spec.trainActivityDecay ? spec.lambdaX : 0;
    const kw = spec.dt / spec.gamma;
    const k = spec.dt / spec.tau;
    this.c = {
      k: tf.scalar(k),
      kBeta: tf.scalar(k * net.beta),
      one: tf.scalar(1),
      alpha: tf.scalar(net.alpha),
      lambdaX: tf.scalar(this.lambdaX),
      rate: tf.scalar(kw / B),
      keepM: tf.scalar(1 - kw * spec.lambdaM),
      keepW: tf.scalar(1 - kw * spec.lambdaW),
    };
    this.nu = spec.nu.map((v) => tf.scalar(v));
    this.X = tf.tensor2d(net.X.slice(), [B, N[0]]);
    const x0 = N.map((n, l) => tf.tensor2d(net.x(l).slice(), [B, n]));
    const e0 = N.map((n, l) => tf.tensor2d(net.eps(l).slice(), [B, n]));
    const M0: TF.Tensor[] = [];
    const W0: TF.Tensor[] = [];
    for (let l = 0; l + 1 < L; l++) {
      const M = tf.tensor2d(net.M[l].slice(), [N[l + 1], N[l]]);
      const W = tf.tensor2d(net.W[l].slice(), [N[l], N[l + 1]]);
      M0.push(transposed ? tf.keep(tf.transpose(M)) : M);
      W0.push(transposed ? tf.keep(tf.transpose(W)) : W);
      if (transposed) tf.dispose([M, W]);
    }
    this.start = [...x0, ...e0, ...M0, ...W0];
    this.x = x0.map((t) => tf.variable(t));
    this.eps = e0.map((t) => tf.variable(t));
    this.M = M0.map((t) => tf.variable(t));
    this.W = W0.map((t) => tf.variable(t));
  }

  /** Back to the state and weights it was made with. */
  reset(): void {
    const vars = [...this.x, ...this.eps, ...this.M, ...this.W];
    vars.forEach((v, i) => v.assign(this.start[i]));
  }

  /** One Euler tick: every right-hand side reads tick t−1. */
  tick(): void {
    const tf = this.tf;
    const { L, x, eps, M, W, c, nu, transposed } = this;
    tf.tidy(() => {
      const s = x.map((v) => tf.tanh(v));
      const ds = s.map((v) => tf.sub(c.one, tf.square(v)));
      const xNew: (TF.Tensor | null)[] = [];
      const epsNew: TF.Tensor[] = [];
      for (let l = 0; l < L; l++) {
        const mu = l === 0 ? this.X : tf.matMul(s[l - 1], M[l - 1], false, !transposed);
        epsNew.push(tf.add(eps[l], tf.mul(c.k, tf.sub(tf.sub(x[l], mu), tf.mul(nu[l], eps[l])))));
        if (l + 1 < L) {
          const fb = tf.matMul(eps[l + 1], W[l], false, !transposed);
          let drive = tf.sub(
            tf.mul(fb, ds[l]),
            l === 0 && this.alpha !== 1 ? tf.mul(c.alpha, eps[l]) : eps[l],
          );
          if (this.lambdaX !== 0) drive = tf.sub(drive, tf.mul(c.lambdaX, x[l]));
          xNew.push(tf.add(x[l], tf.mul(c.k, drive)));
        } else {
          // The top: held at Y while training (β = 0), else x += −k β ε.
          xNew.push(this.train ? null : tf.sub(x[l], tf.mul(c.kBeta, eps[l])));
        }
      }
      const MNew: TF.Tensor[] = [];
      const WNew: TF.Tensor[] = [];
      if (this.train) {
        for (let l = 0; l + 1 < L; l++) {
          // ε(i+1)ᵀ σ(i) is N(i+1) × N(i), the shape of M; σ(i)ᵀ ε(i+1), that of W.
          const eTs = tf.matMul(eps[l + 1], s[l], true, false);
          const sTe = tf.matMul(s[l], eps[l + 1], true, false);
          const dM = transposed ? sTe : eTs;
          const dW = transposed ? eTs : sTe;
          MNew.push(tf.add(tf.mul(c.keepM, M[l]), tf.mul(c.rate, dM)));
          WNew.push(tf.add(tf.mul(c.keepW, W[l]), tf.mul(c.rate, dW)));
        }
      }
      for (let l = 0; l < L; l++) {
        const xn = xNew[l];
        if (xn) x[l].assign(xn);
        eps[l].assign(epsNew[l]);
      }
      MNew.forEach((m, l) => M[l].assign(m));
      WNew.forEach((w, l) => W[l].assign(w));
    });
  }

  /** `ticks` ticks, then a read of the (small) top layer, so that all the work is done. */
  step(ticks: number): void {
    for (let t = 0; t < ticks; t++) this.tick();
    this.x[this.L - 1].dataSync();
  }

  /**
   * {@link step} for a GPU backend (WebGPU), the read awaited, not synced: of the top layer's
   * errors, which every tick rewrites in both modes (the top's x is held while training, and a
   * read of an unchanged tensor would not wait for the GPU).
   */
  async stepAsync(ticks: number): Promise<void> {
    for (let t = 0; t < ticks; t++) this.tick();
    await this.eps[this.L - 1].data();
  }

  /** State nodes of layer l (a copy), B × N_l. */
  xOf(l: number): Float32Array {
    return this.x[l].dataSync() as Float32Array;
  }

  /** Error nodes of layer l (a copy). */
  epsOf(l: number): Float32Array {
    return this.eps[l].dataSync() as Float32Array;
  }

  /** M(l+1) as `Network` stores it, N_{l+2} × N_{l+1}. */
  MOf(l: number): Float32Array {
    return this.read(this.M[l]);
  }

  /** W(l+1) as `Network` stores it, N_{l+1} × N_{l+2}. */
  WOf(l: number): Float32Array {
    return this.read(this.W[l]);
  }

  private read(v: TF.Variable): Float32Array {
    if (!this.transposed) return v.dataSync() as Float32Array;
    const t = this.tf.transpose(v);
    const data = t.dataSync() as Float32Array;
    t.dispose();
    return data;
  }

  dispose(): void {
    this.tf.dispose([
      ...this.x,
      ...this.eps,
      ...this.M,
      ...this.W,
      ...this.start,
      this.X,
      ...Object.values(this.c),
      ...this.nu,
    ]);
  }
}
