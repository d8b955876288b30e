/**
 * The `adversarial` study's pieces (src/studies/adversarial.ts, src/studies/backprop.ts): the
 * ROC AUC on hand cases, the MLP's backprop gradients and the relaxation gradient against
 * finite differences, and FGSM lowering a tiny trained network's accuracy.
 */
import { expect } from '@open-wc/testing';
import { makePrototypeData } from '../../src/data/synthetic';
import { relaxAccelerated } from '../../src/model/accelerated';
import { Network } from '../../src/model/network';
import { Random } from '../../src/random';
import {
  attack,
  backpropGradient,
  relaxationGradient,
  rocAuc,
} from '../../src/studies/adversarial';
import { Mlp, trainMlp } from '../../src/studies/backprop';

describe('adversarial: ROC AUC by the rank statistic', () => {
  it('is 1, 0 and 0.5 on separated, reversed and identical scores', () => {
    expect(rocAuc([3, 4], [1, 2])).to.equal(1);
    expect(rocAuc([1, 2], [3, 4])).to.equal(0);
    expect(rocAuc([5, 5], [5, 5])).to.equal(0.5);
  });

  it('counts ties as half (by hand: positives 1, 2 against negatives 2, 3)', () => {
    // Pairs (p, n): (1,2) 0, (1,3) 0, (2,2) ½, (2,3) 0: AUC = ½ / 4.
    expect(rocAuc([1, 2], [2, 3])).to.equal(0.125);
    // Positives 2, 4 against 1, 3: (2,1) 1, (2,3) 0, (4,1) 1, (4,3) 1 → 3/4.
    expect(rocAuc([4, 2], [3, 1])).to.equal(0.75);
    expect(() => rocAuc([], [1])).to.throw(/positives and negatives/);
  });
});

/** ½‖out − Y‖² summed over the batch. */
function loss(mlp: Mlp, X: Float32Array, Y: Float32Array, B: number): number {
  const out = mlp.forward(X, B);
  let s = 0;
  for (let i = 0; i < out.length; i++) s += 0.5 * (out[i] - Y[i]) ** 2;
  return s;
}

describe('adversarial: gradients against finite differences', () => {
  it('backprop: ∂L/∂X and ∂L/∂M of the MLP', () => {
    const mlp = new Mlp([3, 4, 2], { activation: 'tanh', maxBatch: 2, seed: 1 });
    mlp.M.forEach((m) => new Random(9).fillNormal(m, 0, 0.8));
    const X = Float32Array.from([0.3, -0.6, 0.9, -0.2, 0.5, 0.1]);
    const Y = Float32Array.from([1, 0, 0, 1]);
    const out = mlp.forward(X, 2);
    const dOut = Float32Array.from(out, (v, i) => v - Y[i]);
    const dX = mlp.backward(dOut, 2, true).slice();
    const h = 1e-2;
    for (let i = 0; i < X.length; i++) {
      const Xp = X.slice();
      const Xm = X.slice();
      Xp[i] += h;
      Xm[i] -= h;
      expect(dX[i]).to.be.closeTo((loss(mlp, Xp, Y, 2) - loss(mlp, Xm, Y, 2)) / (2 * h), 2e-3);
    }
    for (const [l, k] of [
      [0, 0],
      [0, 7],
      [1, 3],
      [1, 6],
    ]) {
      const w = mlp.M[l];
      const g = mlp.dM[l][k];
      const v = w[k];
      w[k] = v + h;
      const lp = loss(mlp, X, Y, 2);
      w[k] = v - h;
      const lm = loss(mlp, X, Y, 2);
      w[k] = v;
      expect(g).to.be.closeTo((lp - lm) / (2 * h), 2e-3);
    }
    // The MLP with a PC network's M is its feed-forward pass (section 2.2).
    const net = new Network({ layers: [3, 4, 2], activation: 'tanh', seed: 2 }, { batch: 2 });
    const twin = new Mlp([3, 4, 2], { activation: 'tanh', maxBatch: 2, weights: net.M });
    net.setInput(X);
    net.feedForward();
    const y = twin.forward(X, 2);
    for (let i = 0; i < 4; i++) expect(y[i]).to.be.closeTo(net.x(2)[i], 1e-6);
  });

  it('relaxation: −(W(1) ε(2)) ⊙ σ′(X) / s is ∂E⋆/∂X / s at the nudged equilibrium (W = Mᵀ)', () => {
    const spec = { layers: [3, 4, 2], activation: 'tanh' as const, tiedInit: true, initStd: 0.8 };
    const net = new Network({ ...spec, nu: [1, 1, 2], seed: 5 }, { batch: 1 });
    const X = Float32Array.from([0.4, -0.7, 0.2]);
    const labels = Uint8Array.from([1]);
    const nudge = 0.5;
    const relax = { iterations: 400, rate: 0.1 };
    const d = new Float32Array(3);
    relaxationGradient(net, { nudge, ...relax })(d, X, labels, 1);
    // The nudged target of X, held fixed while X moves.
    net.setInput(X);
    net.feedForward();
    const T = Float32Array.from(net.x(2), (v, j) => v - nudge * (v - (j === 1 ? 1 : 0)));
    const energy = (input: Float32Array) => {
      relaxAccelerated(net, input, T, relax);
      return -net.energy();
    };
    const h = 1e-2;
    let norm = 0;
    for (let i = 0; i < 3; i++) {
      const Xp = X.slice();
      const Xm = X.slice();
      Xp[i] += h;
      Xm[i] -= h;
      const fd = (energy(Xp) - energy(Xm)) / (2 * h) / nudge;
      expect(d[i]).to.be.closeTo(fd, 2e-3 + 0.01 * Math.abs(fd));
      norm += fd * fd;
    }
    expect(Math.sqrt(norm)).to.be.above(0.01); // not a vacuous zero
  });
});

describe('adversarial: FGSM', () => {
  it("lowers a tiny trained network's accuracy at a large ε, more than random signs, and not flipped", () => {
    const data = makePrototypeData({ classes: 3, dim: 10, samples: 150, seed: 3 });
    const mlp = new Mlp([10, 8, 3], { activation: 'tanh', maxBatch: 150, seed: 3 });
    trainMlp(
      mlp,
      { ...data, labels: data.labels },
      {
        epochs: 30,
        batch: 10,
        learningRate: 0.01,
        learningRateDecay: 1,
        shuffleSeed: 3,
      },
    );
    const clean = mlp.accuracy(data.inputs, data.labels, 150);
    expect(clean).to.be.above(0.95);
    const grad = backpropGradient(mlp);
    const flipped: typeof grad = (out, X, labels, B) => {
      grad(out, X, labels, B);
      for (let i = 0; i < out.length; i++) out[i] = -out[i];
    };
    const random: typeof grad = (out) => {
      const r = new Random(1);
      for (let i = 0; i < out.length; i++) out[i] = r.uniform() - 0.5;
    };
    const adv = new Float32Array(data.inputs.length);
    const scratch = new Float32Array(data.inputs.length);
    // ε = 0.4: twice the data's noise std (0.2), well inside the prototypes' spacing.
    const o = { epsilon: 0.4, steps: 1, stepSize: 0.4, lo: -2, hi: 2 };
    const accuracyUnder = (g: typeof grad, options = o) => {
      attack(adv, data.inputs, data.labels, 150, g, options, scratch);
      return mlp.accuracy(adv, data.labels, 150);
    };
    expect(accuracyUnder(grad, { ...o, epsilon: 0, stepSize: 0 })).to.equal(clean);
    const fgsm = accuracyUnder(grad);
    expect(fgsm).to.be.below(0.9);
    for (const v of adv) expect(v >= -2 && v <= 2).to.equal(true); // clipped to the range
    // Random signs of the same size, or the gradient's sign flipped, hardly hurt.
    expect(accuracyUnder(random)).to.be.above(fgsm + 0.1);
    expect(accuracyUnder(flipped)).to.be.at.least(clean - 0.02);
  });
});
