import type { Network } from './network';
import type { Adam } from './optimizer';
import { SpecError } from './spec';
import { learnWeights } from './step';

/**
 * The accelerated equilibrium of section 2.2 (used for the paper's 98% MNIST result).
 *
 * The paper's "τ = 0.08 s and an Euler time step of 2.5 s" cannot be dt/τ as written (a rate
 * of 31 diverges within a few iterations). We read it as the product 0.08 × 2.5 = 0.2: the
 * state update of one iteration is `x += rate · (W ε ⊙ σ'(x) − ε)`, and `rate` defaults to
 * 0.2, inside the 0.1 to 0.5 range that converges to the continuous-time equilibrium.
 */
export interface AcceleratedOptions {
  /** Alternating error/state iterations (the paper: 80). */
  iterations: number;
  /** The state step of one iteration, dt/τ (default 0.2; see above). */
  rate: number;
  /** The weight step: M += learningRate (⟨ε ⊗ σ(x)⟩ − λM M), likewise W (eqs. 2.9, 2.10, 3.12). */
  learningRate: number;
}

export const DEFAULT_ACCELERATED: Readonly<AcceleratedOptions> = Object.freeze({
  iterations: 80,
  rate: 0.2,
  learningRate: 0.01,
});

/**
 * A guard against a relaxation that diverges. The iteration x += rate · (W ε ⊙ σ' − ε) is
 * stable only while rate < 2 / λ, λ the largest curvature of the energy in the hidden states,
 * which grows with ‖M‖²: as training grows the weights, a fixed rate that converged at the
 * start can begin to oscillate, and one batch's runaway states can wreck the weights. With a
 * guard, a relaxation whose last state change is more than ten times its smallest, or no
 * smaller than its first (a converging one shrinks, if slowly at a small rate), is run again from the feed-forward pass at half the
 * rate, and the guard keeps the halved rate for the batches after. The equilibrium is the same
 * at any stable rate; only the path to it changes. Not in the paper.
 */
export interface RelaxGuard {
  /** The rate in use (starts as the options' rate; halved on each divergence). */
  rate: number;
  /** Divergences caught so far. */
  halvings: number;
}

/**
 * Relaxes the network to the training equilibrium for the batch (X, Y) by the accelerated
 * method: every state from a feed-forward pass x(i+1) = M(i) σ(x(i)), x(1) = X and x(n) = Y
 * held, then `iterations` times (a) every ε to its equilibrium (x − μ)/ν (eq. 2.4) and (b) one
 * Euler step of every hidden state (eq. 2.3). The errors are left at their equilibrium for the
 * final states. With `guard`, see {@link RelaxGuard}. Returns the largest state change of the
 * last iteration.
 */
export function relaxAccelerated(
  net: Network,
  X: ArrayLike<number>,
  Y: ArrayLike<number>,
  options: Partial<AcceleratedOptions> & { guard?: RelaxGuard } = {},
): number {
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
  let result = relaxOnce(net, iterations, guard?.rate ?? rate);
  // A few halvings suffice (each doubles the stable range); past that, keep the last result.
  for (let retry = 0; guard && retry < 8; retry++) {
    const { first, last, smallest } = result;
    const diverging =
      !Number.isFinite(last) || (last > 1e-6 && (last > 10 * smallest || last >= first));
    if (!diverging) break;
    guard.rate /= 2;
    guard.halvings++;
    result = relaxOnce(net, iterations, guard.rate);
  }
  net.setClamps(saved);
  return result.last;
}

/** One relaxation from the feed-forward pass: its first, last and smallest state change. */
function relaxOnce(
  net: Network,
  iterations: number,
  rate: number,
): { first: number; last: number; smallest: number } {
  net.feedForward();
  const { x, eps, s, ds, mu, fb, kind, kernels } = net.internals();
  const { activate, batchMatMul, errorEquilibrium, stateUpdate } = kernels;
  const N = net.sizes;
  const L = net.depth;
  const B = net.batch;
  x[0].set(net.X);
  x[L - 1].set(net.Y);
  // x(1) is clamped, so σ(x(1)) and the prediction M(1) σ(x(1)) of layer 2 are the same in
  // every iteration: computed once here (the largest product of the tick: 784 × 600 at MNIST).
  activate(s[0], ds[0], x[0], B * N[0], kind);
  if (L > 1) batchMatMul(mu[1], s[0], net.M[0], B, N[1], N[0]);
  let maxDelta = 0;
  let smallest = Infinity;
  let first = NaN;
  for (let it = 0; it <= iterations; it++) {
    for (let l = 1; l + 1 < L; l++) activate(s[l], ds[l], x[l], B * N[l], kind);
    for (let l = 1; l < L; l++) {
      if (l > 1) batchMatMul(mu[l], s[l - 1], net.M[l - 1], B, N[l], N[l - 1]);
      errorEquilibrium(eps[l], x[l], mu[l], B * N[l], net.spec.nu[l]);
    }
    eps[0].fill(0);
    if (it === iterations) break;
    maxDelta = 0;
    for (let l = 1; l + 1 < L; l++) {
      batchMatMul(fb[l], eps[l + 1], net.W[l], B, N[l], N[l + 1]);
      maxDelta = Math.max(maxDelta, stateUpdate(x[l], fb[l], ds[l], eps[l], B * N[l], rate, 1, 0));
    }
    smallest = Math.min(smallest, maxDelta);
    if (it === 0) first = maxDelta;
  }
  // σ of the clamped top layer too, so every s(i) matches its x(i) for the caller.
  activate(s[L - 1], ds[L - 1], x[L - 1], B * N[L - 1], kind);
  return { first, last: maxDelta, smallest };
}

/**
 * One accelerated training step on the batch (X, Y): {@link relaxAccelerated}, then the
 * weights once, with the batch-mean Hebbian term and weight decay (eqs. 2.9, 2.10, 3.12):
 * M(i) += η (⟨ε(i+1) ⊗ σ(x(i))⟩ − λM M(i)), likewise W(i). With `adam`, {@link Adam} takes
 * that step instead (an option the paper does not have; see optimizer.ts).
 */
export function trainAccelerated(
  net: Network,
  X: ArrayLike<number>,
  Y: ArrayLike<number>,
  options: Partial<AcceleratedOptions> & { adam?: Adam; guard?: RelaxGuard } = {},
): number {
  const maxDelta = relaxAccelerated(net, X, Y, options);
  const lr = options.learningRate ?? DEFAULT_ACCELERATED.learningRate;
  const { x, eps, s, ds, kind, kernels } = net.internals();
  const { activate } = kernels;
  const N = net.sizes;
  const B = net.batch;
  const { lambdaM, lambdaW } = net.spec;
  for (let l = 0; l < net.depth; l++) activate(s[l], ds[l], x[l], B * N[l], kind);
  if (options.adam) {
    options.adam.update(net);
    return maxDelta;
  }
  for (let l = 0; l + 1 < net.depth; l++) {
    learnWeights(kernels, net.M[l], null, eps[l + 1], s[l], B, N[l + 1], N[l], lr, lambdaM);
    learnWeights(kernels, net.W[l], null, s[l], eps[l + 1], B, N[l], N[l + 1], lr, lambdaW);
  }
  return maxDelta;
}
