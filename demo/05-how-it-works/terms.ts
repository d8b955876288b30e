/**
 * Every term of the next Euler tick for one neuron, computed from the network's public state
 * the way `Network.step` computes it (src/model/network.ts, src/kernels/nodeUpdate.ts): from
 * the values now, with k = dt/τ,
 *
 *     ε ← ε + k (x − μ − ν ε)                              (2.2)
 *     x ← x + k ((W ε(i+1)) ⊙ σ'(x) − a ε − λx x)          (2.3, 3.2, 3.4, 3.11)
 *     M ← M + (dt/γ)(ε(i+1) σ(x(i)) − λM M)   in train mode (2.9, 3.12)
 *     W ← W + (dt/γ)(σ(x(i)) ε(i+1) − λW W)   in train mode (2.10)
 *
 * with a = α on the input layer, β on the output layer and 1 between.
 */
import type { PcNetwork } from '../../components/index';
import { MODE_CLAMPS, type Mode, type NetworkSpec } from '../../src/index';

/** What the terms are computed from: a network as an element last showed it (sample 0). */
export interface NetworkState {
  spec: Readonly<NetworkSpec>;
  sizes: readonly number[];
  depth: number;
  tick: number;
  mode: Mode;
  alpha: number;
  beta: number;
  X: ArrayLike<number>;
  Y: ArrayLike<number>;
  M: readonly ArrayLike<number>[];
  W: readonly ArrayLike<number>[];
  x(layer: number): ArrayLike<number>;
  eps(layer: number): ArrayLike<number>;
  isClamped(layer: number, index: number): boolean;
}

/**
 * `el`'s network as of its last frame: its `spec` and `snapshot` (a small network's snapshot
 * carries M and W), or null before the weights have come.
 */
export function shownState(el: PcNetwork): NetworkState | null {
  const snap = el.snapshot;
  if (!snap.weights) return null;
  const { alpha, beta } = MODE_CLAMPS[snap.mode];
  return {
    spec: el.spec,
    sizes: snap.sizes,
    depth: snap.sizes.length,
    tick: snap.tick,
    mode: snap.mode,
    alpha,
    beta,
    X: snap.X,
    Y: snap.Y,
    M: snap.weights.M,
    W: snap.weights.W,
    x: (l) => snap.x[l],
    eps: (l) => snap.eps[l],
    isClamped: (l, i) => snap.clamped[l][i] === 1,
  };
}

export interface NeuronTerms {
  layer: number;
  index: number;
  x: number;
  eps: number;
  /** μ: X on the input layer, M(i−1) σ(x(i−1)) above it. */
  mu: number;
  nu: number;
  /** x − μ − ν ε, the right-hand side of eq. 2.2 (τ dε/dt). */
  epsDrive: number;
  /** (W(i) ε(i+1))_j, or null on the output layer (no layer above). */
  feedback: number | null;
  /** σ'(x). */
  slope: number;
  /** α, β or 1: how much the neuron's own error pulls it. */
  a: number;
  /** λx as it acts now (only in generate mode, never on the output layer). */
  lambdaX: number;
  /** The right-hand side of eqs. 2.3 + 3.11 (τ dx/dt); 0 while held. */
  xDrive: number;
  /** Why the state does not move, if it does not: 'clamped', 'target' (β = 0), 'input'. */
  held: string | null;
  /** The state and error after the next tick. */
  nextX: number;
  nextEps: number;
  tau: number;
  dt: number;
  /** The neuron's forward weights to each node above, with their rate of change (train mode). */
  weights: { to: number; M: number; dM: number; W: number; dW: number }[];
}

/** σ and σ' of the network's activation (src/kernels/activate.ts). */
export function activation(kind: string, x: number): { s: number; ds: number } {
  switch (kind) {
    case 'tanh': {
      const t = Math.tanh(x);
      return { s: t, ds: 1 - t * t };
    }
    case 'logistic': {
      const t = 1 / (1 + Math.exp(-x));
      return { s: t, ds: t * (1 - t) };
    }
    case 'relu':
      return { s: Math.max(0, x), ds: x > 0 ? 1 : 0 };
    default:
      return { s: x, ds: 1 };
  }
}

/** The terms for node `index` of layer `layer` (0-based) of sample 0. */
export function neuronTerms(net: NetworkState, layer: number, index: number): NeuronTerms {
  const { spec, sizes } = net;
  const top = net.depth - 1;
  const N = sizes;
  const act = (x: number) => activation(spec.activation, x);
  const x = net.x(layer)[index];
  const eps = net.eps(layer)[index];
  let mu = net.X[index];
  if (layer > 0) {
    const below = net.x(layer - 1);
    const M = net.M[layer - 1];
    mu = 0;
    for (let k = 0; k < N[layer - 1]; k++) mu += M[index * N[layer - 1] + k] * act(below[k]).s;
  }
  let feedback: number | null = null;
  if (layer < top) {
    const above = net.eps(layer + 1);
    const W = net.W[layer];
    feedback = 0;
    for (let k = 0; k < N[layer + 1]; k++) feedback += W[index * N[layer + 1] + k] * above[k];
  }
  const nu = spec.nu[layer];
  const a = layer === 0 ? net.alpha : layer === top ? net.beta : 1;
  const decays = net.mode === 'generate' || (net.mode === 'train' && spec.trainActivityDecay);
  const lambdaX = decays && layer < top ? spec.lambdaX : 0;
  const slope = act(x).ds;
  let held: string | null = null;
  if (net.isClamped(layer, index)) held = 'clamped';
  else if (layer === top && net.beta === 0) held = 'target';
  else if (layer === 0 && net.alpha !== 0 && spec.inputClamp === 'hold') held = 'input';
  const epsDrive = x - mu - nu * eps;
  const free = (feedback === null ? 0 : feedback * slope) - a * eps - lambdaX * x;
  const k = spec.dt / spec.tau;
  const heldValue = held === 'target' ? net.Y[index] : held === 'input' ? net.X[index] : x;
  const weights = [];
  if (layer < top) {
    const above = net.eps(layer + 1);
    const s = act(x).s;
    const learning = net.mode === 'train';
    for (let to = 0; to < N[layer + 1]; to++) {
      const M = net.M[layer][to * N[layer] + index];
      const W = net.W[layer][index * N[layer + 1] + to];
      weights.push({
        to,
        M,
        W,
        dM: learning ? (above[to] * s - spec.lambdaM * M) / spec.gamma : 0,
        dW: learning ? (s * above[to] - spec.lambdaW * W) / spec.gamma : 0,
      });
    }
  }
  return {
    layer,
    index,
    x,
    eps,
    mu,
    nu,
    epsDrive,
    feedback,
    slope,
    a,
    lambdaX,
    xDrive: held ? 0 : free,
    held,
    nextX: held ? heldValue : x + k * free,
    nextEps: eps + k * epsDrive,
    tau: spec.tau,
    dt: spec.dt,
    weights,
  };
}
