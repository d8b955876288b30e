/// <reference types="@webgpu/types" preserve="true" />
/**
 * The accelerated equilibrium (section 2.2; `accelerated.ts`, whose doc comment gives the
 * method and its choices) and the Adam step (`optimizer.ts`) on a {@link GpuNetwork}: the same
 * iterations over the same kernels, in WGSL. Per batch, one read: the largest |Δx| of every
 * iteration lands in its own stats slot on the GPU and is read once the relaxation has run,
 * for the divergence guard ({@link RelaxGuard}: a relaxation that stops converging is redone
 * at half the rate).
 */
import type { GpuArray, GpuKernels } from '../kernels/webgpu/kernels';
import { type AcceleratedOptions, DEFAULT_ACCELERATED, type RelaxGuard } from './accelerated';
import { gpuLearnWeights } from './gpu-step';
import type { GpuNetwork } from './gpu-network';
import {
  adamStepScalars,
  type AdamOptions,
  checkAdamScale,
  newAdamStepScalars,
  resolveAdamOptions,
  weightTensors,
} from './optimizer';
import { SpecError } from './spec';

/** Each network's stats for the relaxation's per-iteration maxima, grown as needed. */
const relaxStats = new WeakMap<GpuNetwork, GpuArray>();

/**
 * Relaxes `net` towards the equilibrium with X and Y clamped (as `relaxAccelerated`); resolves
 * to the last iteration's largest |Δx|.
 */
export async function relaxAcceleratedGpu(
  net: GpuNetwork,
  X: ArrayLike<number>,
  Y: ArrayLike<number>,
  options: Partial<AcceleratedOptions> & { guard?: RelaxGuard } = {},
): Promise<number> {
  const { iterations, rate } = { ...DEFAULT_ACCELERATED, ...options };
  if (!Number.isInteger(iterations) || iterations < 0) {
    throw new SpecError('iterations', `iterations must be a whole number, got ${iterations}`);
  }
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new SpecError('rate', `rate must be a positive number, got ${rate}`);
  }
  const { guard } = options;
  net.setInput(X);
  net.setTarget(Y);
  const saved = { alpha: net.alpha, beta: net.beta };
  net.setClamps({ alpha: 1, beta: 0 });
  let result = await relaxOnce(net, iterations, guard?.rate ?? rate);
  for (let retry = 0; guard && retry < 8; retry++) {
    const { first, last, smallest } = result;
    const diverging =
      !Number.isFinite(last) || (last > 1e-6 && (last > 10 * smallest || last >= first));
    if (!diverging) break;
    guard.rate /= 2;
    guard.halvings++;
    result = await relaxOnce(net, iterations, guard.rate);
  }
  net.setClamps(saved);
  return result.last;
}

async function relaxOnce(
  net: GpuNetwork,
  iterations: number,
  rate: number,
): Promise<{ first: number; last: number; smallest: number }> {
  net.feedForward();
  const k = net.kernels;
  const { x, eps, s, ds, mu, fb, M, W, X, Y, kind } = net.internals();
  const N = net.sizes;
  const L = net.depth;
  const B = net.batch;
  let stats = relaxStats.get(net);
  if (!stats || stats.length < Math.max(1, iterations)) {
    stats?.buffer.destroy();
    stats = k.stats(Math.max(1, iterations));
    relaxStats.set(net, stats);
  }
  k.copy(x[0], X);
  k.copy(x[L - 1], Y);
  // x(1) is clamped: σ(x(1)) and M(1) σ(x(1)) are the same in every iteration.
  k.activate(s[0], ds[0], x[0], B * N[0], kind);
  if (L > 1) k.batchMatMul(mu[1], s[0], M[0], B, N[1], N[0]);
  k.resetStats(stats);
  for (let it = 0; it <= iterations; it++) {
    for (let l = 1; l + 1 < L; l++) k.activate(s[l], ds[l], x[l], B * N[l], kind);
    for (let l = 1; l < L; l++) {
      if (l > 1) k.batchMatMul(mu[l], s[l - 1], M[l - 1], B, N[l], N[l - 1]);
      k.errorEquilibrium(eps[l], x[l], mu[l], B * N[l], net.spec.nu[l]);
    }
    k.clear(eps[0]);
    if (it === iterations) break;
    for (let l = 1; l + 1 < L; l++) {
      k.batchMatMul(fb[l], eps[l + 1], W[l], B, N[l], N[l + 1]);
      k.stateUpdate(x[l], fb[l], ds[l], eps[l], B * N[l], rate, 1, 0, stats, it);
    }
  }
  k.activate(s[L - 1], ds[L - 1], x[L - 1], B * N[L - 1], kind);
  const st = await k.readStats(stats);
  if (iterations === 0) return { first: NaN, last: 0, smallest: Infinity };
  let smallest = Infinity;
  for (let it = 0; it < iterations; it++) smallest = Math.min(smallest, st[it]);
  return { first: st[0], last: st[iterations - 1], smallest };
}

/** Adam (`optimizer.ts` `Adam`) with its moments on the GPU beside the network's weights. */
export class GpuAdam {
  readonly options: Readonly<AdamOptions>;
  steps = 0;
  private factor = 1;
  private readonly scalars = newAdamStepScalars();
  private readonly k: GpuKernels;
  private readonly g: GpuArray[];
  private readonly m: GpuArray[];
  private readonly v: GpuArray[];

  constructor(net: GpuNetwork, options: Partial<AdamOptions> = {}) {
    this.options = resolveAdamOptions(options);
    this.k = net.kernels;
    const tensors = weightTensors(net.sizes).flatMap((n) => [n, n]);
    this.g = tensors.map((n) => this.k.alloc(n, 'adam g'));
    this.m = tensors.map((n) => this.k.alloc(n, 'adam m'));
    this.v = tensors.map((n) => this.k.alloc(n, 'adam v'));
  }

  /** The factor on the step (and the decay step), as `Adam.scale`. */
  get scale(): number {
    return this.factor;
  }
  set scale(factor: number) {
    this.factor = checkAdamScale(factor);
  }

  /** One step of every weight matrix from the batch-mean Hebbian terms (eqs. 2.9, 2.10). */
  update(net: GpuNetwork): void {
    const k = this.k;
    const { eps, s, M, W } = net.internals();
    const N = net.sizes;
    const B = net.batch;
    const { lambdaM, lambdaW } = net.spec;
    this.steps++;
    for (let l = 0; l + 1 < N.length; l++) {
      const gM = this.g[2 * l];
      const gW = this.g[2 * l + 1];
      k.clear(gM);
      k.clear(gW);
      k.rankBUpdate(gM, eps[l + 1], s[l], B, N[l + 1], N[l], 1 / B, 0); // eq. 2.9
      k.rankBUpdate(gW, s[l], eps[l + 1], B, N[l], N[l + 1], 1 / B, 0); // eq. 2.10
      this.apply(2 * l, M[l], lambdaM);
      this.apply(2 * l + 1, W[l], lambdaW);
    }
  }

  destroy(): void {
    for (const a of [...this.g, ...this.m, ...this.v]) a.buffer.destroy();
  }

  private apply(t: number, w: GpuArray, lambda: number): void {
    const { beta1, beta2, epsilon } = this.options;
    const c = adamStepScalars(this.scalars, this.options, this.factor, this.steps, lambda);
    // prettier-ignore
    this.k.adamStep(w, this.g[t], this.m[t], this.v[t], w.length,
      c.stepSize, beta1, beta2, c.correction2, epsilon, c.gradDecay, c.keep);
  }
}

/** One batch of the accelerated method (as `trainAccelerated`): relax, then one weight step. */
export async function trainAcceleratedGpu(
  net: GpuNetwork,
  X: ArrayLike<number>,
  Y: ArrayLike<number>,
  options: Partial<AcceleratedOptions> & { adam?: GpuAdam; guard?: RelaxGuard } = {},
): Promise<number> {
  const maxDelta = await relaxAcceleratedGpu(net, X, Y, options);
  const lr = options.learningRate ?? DEFAULT_ACCELERATED.learningRate;
  const k = net.kernels;
  const { x, eps, s, ds, M, W, kind } = net.internals();
  const N = net.sizes;
  const B = net.batch;
  const { lambdaM, lambdaW } = net.spec;
  for (let l = 0; l < net.depth; l++) k.activate(s[l], ds[l], x[l], B * N[l], kind);
  if (options.adam) {
    options.adam.update(net);
    return maxDelta;
  }
  for (let l = 0; l + 1 < net.depth; l++) {
    gpuLearnWeights(k, M[l], null, eps[l + 1], s[l], B, N[l + 1], N[l], lr, lambdaM);
    gpuLearnWeights(k, W[l], null, s[l], eps[l + 1], B, N[l], N[l + 1], lr, lambdaW);
  }
  return maxDelta;
}
