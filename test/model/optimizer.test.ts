import { expect } from '@open-wc/testing';
import { Adam, Network, SpecError, trainAccelerated } from '../../src/index';
import { jsBackend } from '../../src/kernels/backend';
import { bestBackend, initWasm } from '../../src/kernels/wasm';

describe('Adam on the accelerated weight step (model/optimizer.ts)', () => {
  it('moves M and W by Adam on g = ε ⊗ σ(x) − λ w, as Kingma & Ba write it', () => {
    const net = new Network({
      layers: [3, 2],
      activation: 'identity',
      lambdaM: 0.1,
      lambdaW: 0.2,
      seed: 4,
    });
    const adam = new Adam(net.sizes, 1, { learningRate: 0.1 });
    const { eps, s } = net.internals();
    const M = Array.from(net.M[0]);
    const W = Array.from(net.W[0]);
    const moments = { M: [M.map(() => 0), M.map(() => 0)], W: [W.map(() => 0), W.map(() => 0)] };
    const step = (w: number[], g: number[], [m, v]: number[][], t: number) =>
      w.map((wj, j) => {
        const gj = g[j];
        m[j] = 0.9 * m[j] + 0.1 * gj;
        v[j] = 0.999 * v[j] + 0.001 * gj * gj;
        return wj + (0.1 * (m[j] / (1 - 0.9 ** t))) / (Math.sqrt(v[j] / (1 - 0.999 ** t)) + 1e-8);
      });
    for (const [t, [e, x]] of [
      [
        [0.5, -1],
        [1, 2, -0.5],
      ],
      [
        [-0.25, 0.1],
        [0, 1, 3],
      ],
    ].entries()) {
      s[0].set(x);
      eps[1].set(e);
      const gM = M.map((mj, k) => e[Math.floor(k / 3)] * x[k % 3] - 0.1 * mj);
      const gW = W.map((wj, k) => x[Math.floor(k / 2)] * e[k % 2] - 0.2 * wj);
      const nextM = step(M, gM, moments.M, t + 1);
      const nextW = step(W, gW, moments.W, t + 1);
      adam.update(net);
      Array.from(net.M[0]).forEach((v, k) => expect(v).to.be.closeTo(nextM[k], 1e-6));
      Array.from(net.W[0]).forEach((v, k) => expect(v).to.be.closeTo(nextW[k], 1e-6));
      M.splice(0, M.length, ...net.M[0]);
      W.splice(0, W.length, ...net.W[0]);
    }
    expect(adam.steps).to.equal(2);
  });

  it('with decayStep η, decays the weights by a plain step and rescales only the Hebbian term', () => {
    const net = new Network({ layers: [3, 2], activation: 'identity', lambdaM: 0.1, seed: 4 });
    const adam = new Adam(net.sizes, 1, { learningRate: 0.1, decayStep: 0.5 });
    const { eps, s } = net.internals();
    const M = Array.from(net.M[0]);
    eps[1].fill(0); // no Hebbian term: only the decay moves M, by (1 − 0.5 · 0.1)
    s[0].set([1, 2, 3]);
    adam.update(net);
    Array.from(net.M[0]).forEach((v, k) => expect(v).to.be.closeTo(0.95 * M[k], 1e-7));
  });

  it("scale multiplies Adam's step and the decay step (a schedule), bit for bit", () => {
    const make = () => {
      const net = new Network({ layers: [5, 4, 3], activation: 'tanh', lambdaM: 0.1, seed: 3 });
      const { eps, s } = net.internals();
      s[0].set([1, -2, 0.5, 0.25, 3]);
      s[1].set([0.1, 0.2, -0.3, 0.4]);
      eps[1].set([0.5, -1, 0.25, 2]);
      eps[2].set([-0.5, 0.75, 1]);
      return net;
    };
    const [a, b] = [make(), make()];
    const scaled = new Adam(a.sizes, 1, { learningRate: 0.1, decayStep: 0.5 });
    scaled.scale = 0.5;
    const plain = new Adam(b.sizes, 1, { learningRate: 0.05, decayStep: 0.25 });
    for (let t = 0; t < 3; t++) {
      scaled.update(a);
      plain.update(b);
    }
    a.M.forEach((m, l) => expect(Array.from(m)).to.deep.equal(Array.from(b.M[l])));
    a.W.forEach((w, l) => expect(Array.from(w)).to.deep.equal(Array.from(b.W[l])));
    expect(a.M[0][0]).to.not.equal(make().M[0][0]);
    expect(() => (scaled.scale = 0)).to.throw(SpecError, /scale/);
    expect(() => (scaled.scale = NaN)).to.throw(SpecError, /NaN/);
  });

  for (const kernels of ['js', 'wasm'] as const) {
    it(`on the network's own backend (${kernels}), steps the weights in place: the same bits as with copies`, async () => {
      await initWasm();
      const backend = kernels === 'js' ? jsBackend : bestBackend();
      const spec = { layers: [20, 12, 6], activation: 'tanh' as const, nu: [1, 1, 10], seed: 5 };
      const B = 3;
      const own = new Network(spec, { batch: B, backend, reserve: Adam.floats([20, 12, 6], B) });
      const copied = new Network(spec, { batch: B, backend });
      const adamOwn = new Adam(own.sizes, B, { decayStep: 0.1 }, own.backend);
      const adamCopied = new Adam(copied.sizes, B, { decayStep: 0.1 }, backend);
      const X = Float32Array.from({ length: B * 20 }, (_, i) => Math.sin(i));
      const Y = Float32Array.from({ length: B * 6 }, (_, i) => (i % 6 === i % 4 ? 1 : 0));
      for (let t = 0; t < 4; t++) {
        trainAccelerated(own, X, Y, { iterations: 10, rate: 0.1, adam: adamOwn });
        trainAccelerated(copied, X, Y, { iterations: 10, rate: 0.1, adam: adamCopied });
      }
      own.M.forEach((m, l) => expect(Array.from(m)).to.deep.equal(Array.from(copied.M[l])));
      own.W.forEach((w, l) => expect(Array.from(w)).to.deep.equal(Array.from(copied.W[l])));
      expect(own.backend.name).to.equal(kernels === 'js' ? 'js' : bestBackend()(1).name);
      expect(() => new Network(spec, { reserve: -1 })).to.throw(SpecError, /reserve/);
    });
  }

  it('refuses bad settings and a network it was not made for, naming them', () => {
    expect(() => new Adam([2, 1], 1, { learningRate: 0 })).to.throw(SpecError, /learningRate/);
    expect(() => new Adam([2, 1], 1, { beta1: 1 })).to.throw(SpecError, /beta1/);
    expect(() => new Adam([2, 1], 1, { epsilon: -1 })).to.throw(SpecError, /epsilon/);
    expect(() => new Adam([2, 1], 1, { decayStep: -1 })).to.throw(SpecError, /decayStep/);
    expect(() => new Adam([2, 1], 0)).to.throw(RangeError, /batch/);
    const adam = new Adam([3, 2], 1);
    expect(() => adam.update(new Network({ layers: [3, 3] }))).to.throw(RangeError, /3-2/);
  });

  it('trains a small network by the accelerated method (a linear map is learned)', () => {
    const net = new Network({
      layers: [4, 6, 2],
      activation: 'identity',
      nu: [1, 1, 100],
      seed: 2,
    });
    const adam = new Adam(net.sizes, 1, { learningRate: 0.01 });
    const A = [
      [0.5, -0.3, 0.2, 0.1],
      [-0.2, 0.4, 0.1, -0.5],
    ];
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const batch = () => {
      const X = Array.from({ length: 4 }, rand);
      return { X, Y: A.map((row) => row.reduce((s, a, i) => s + a * X[i], 0)) };
    };
    const error = () => {
      let e = 0;
      for (let t = 0; t < 20; t++) {
        const { X, Y } = batch();
        net.setInput(X);
        net.feedForward();
        e += (net.x(2)[0] - Y[0]) ** 2 + (net.x(2)[1] - Y[1]) ** 2;
      }
      return e / 20;
    };
    const before = error();
    for (let it = 0; it < 600; it++) {
      const { X, Y } = batch();
      trainAccelerated(net, X, Y, { iterations: 20, rate: 0.2, adam });
    }
    expect(adam.steps).to.equal(600);
    expect(error()).to.be.below(before / 20);
  });
});
