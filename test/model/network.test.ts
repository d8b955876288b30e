import { expect } from '@open-wc/testing';
import { DivergenceError, Network, resolveSpec, trainAccelerated } from '../../src/index';
import { Random } from '../../src/random';

/** σ(x) for the tests' own reference computations. */
const tanh = Math.tanh;

function matVec(M: Float32Array, v: ArrayLike<number>, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += M[r * cols + c] * v[c];
    out.push(s);
  }
  return out;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('Network: specification', () => {
  it('names the bad field and value', () => {
    expect(() => resolveSpec({ layers: '784-0-10' })).to.throw(
      /layers must be 2 or more positive integers.*got "784-0-10"/,
    );
    expect(() => resolveSpec({ layers: [3, 2], dt: -1 })).to.throw(/dt must be .* got -1/);
    expect(() => resolveSpec({ layers: [3, 2], activation: 'sine' as never })).to.throw(
      /activation must be one of identity, tanh, logistic, relu, got "sine"/,
    );
    expect(() => resolveSpec({ layers: [3, 2], nu: [1, 1, 1] })).to.throw(/nu must be one number/);
    expect(() => resolveSpec({ layers: [3, 2], colour: 1 } as never)).to.throw(
      /unknown spec field/,
    );
  });

  it('initialises M(i) ~ N(0, (1/(2 sqrt N_i))^2) and can tie W = M^T', () => {
    const net = new Network({ layers: [400, 300], seed: 3, tiedInit: true });
    const M = net.M[0];
    let s2 = 0;
    for (const v of M) s2 += v * v;
    expect(Math.sqrt(s2 / M.length)).to.be.closeTo(1 / (2 * Math.sqrt(400)), 0.001);
    // W(1) is 400 x 300, M(1) is 300 x 400.
    expect(net.W[0][5 * 300 + 7]).to.equal(M[7 * 400 + 5]);
  });

  it('gives the same weights and trajectory for the same seed', () => {
    const run = (seed: number): Float32Array => {
      const net = new Network({ layers: [5, 4, 3], activation: 'tanh', seed, mode: 'generate' });
      net.resetState({ std: 1 });
      net.setTargetClass(1);
      net.step(50);
      return net.x(0).slice();
    };
    expect(Array.from(run(9))).to.deep.equal(Array.from(run(9)));
    expect(Array.from(run(9))).to.not.deep.equal(Array.from(run(10)));
  });
});

describe('Network: the equations', () => {
  it('takes one Euler step of eqs. 2.2 and 2.3 exactly as written', () => {
    const net = new Network({ layers: [2, 2, 1], activation: 'tanh', tau: 0.1, dt: 0.01 });
    net.setClamps({ alpha: 1, beta: 1 });
    const rng = new Random(5);
    for (let l = 0; l < 3; l++) {
      rng.fillNormal(net.x(l));
      rng.fillNormal(net.eps(l));
    }
    net.setInput([0.3, -0.2]);
    const x = [0, 1, 2].map((l) => Array.from(net.x(l)));
    const e = [0, 1, 2].map((l) => Array.from(net.eps(l)));
    const k = 0.1;
    const s = x.map((v) => v.map(tanh));
    const ds = s.map((v) => v.map((t) => 1 - t * t));
    const mu = [[0.3, -0.2], matVec(net.M[0], s[0], 2, 2), matVec(net.M[1], s[1], 1, 2)];
    const fb = [matVec(net.W[0], e[1], 2, 2), matVec(net.W[1], e[2], 2, 1)];
    net.step(1);
    for (let l = 0; l < 3; l++) {
      const n = l === 2 ? 1 : 2;
      for (let j = 0; j < n; j++) {
        const eps = e[l][j] + k * (x[l][j] - mu[l][j] - 1 * e[l][j]);
        const drive = l === 2 ? 0 : fb[l][j] * ds[l][j];
        const xNew = x[l][j] + k * (drive - 1 * e[l][j]);
        expect(net.eps(l)[j]).to.be.closeTo(eps, 1e-6);
        expect(net.x(l)[j]).to.be.closeTo(xNew, 1e-6);
      }
    }
  });

  it('settles error nodes at eps = (x - mu) / nu (eq. 2.4)', () => {
    const net = new Network({ layers: [3, 2], nu: [2, 0.5], activation: 'tanh', tau: 0.05 });
    const rng = new Random(2);
    const xs = [0, 1].map((l) => Array.from({ length: net.sizes[l] }, () => rng.normal()));
    xs.forEach((v, l) => v.forEach((value, j) => net.clampNode(l, j, value)));
    net.setInput([0.1, 0.2, 0.3]);
    net.step(5000);
    const mu2 = matVec(net.M[0], xs[0].map(tanh), 2, 3);
    expect(net.eps(1)[0]).to.be.closeTo((xs[1][0] - mu2[0]) / 0.5, 1e-4);
    expect(net.eps(1)[1]).to.be.closeTo((xs[1][1] - mu2[1]) / 0.5, 1e-4);
    expect(net.eps(0)[2]).to.be.closeTo((xs[0][2] - 0.3) / 2, 1e-4);
  });

  it('in classify mode drives every error to zero and the top to the feed-forward pass', () => {
    const net = new Network({ layers: [4, 3, 2], activation: 'tanh', mode: 'classify', seed: 4 });
    const X = [0.5, -1, 0.25, 2];
    net.setInput(X);
    net.resetState({ std: 0.5 });
    const report = net.run({ maxTicks: 40000 });
    expect(report.equilibrium).to.equal(true);
    const h = matVec(net.M[0], X.map(tanh), 3, 4);
    const y = matVec(net.M[1], h.map(tanh), 2, 3);
    expect(maxAbsDiff(net.x(2), y)).to.be.below(1e-3);
    for (let l = 0; l < 3; l++) expect(maxAbsDiff(net.eps(l), [0, 0, 0, 0])).to.be.below(1e-3);
  });

  it('settles a linear generating network on the minimum-norm solution (Theorem 1)', () => {
    // Linear 3-2, W = M^T, alpha = beta = 0. At equilibrium (M^T M + lambdaX I) x = M^T Y, the
    // ridge solution; as lambdaX -> 0 it tends to the pseudoinverse solution M^T (M M^T)^-1 Y.
    const lambdaX = 3e-3;
    const net = new Network({
      layers: [3, 2],
      tiedInit: true,
      initStd: 1,
      mode: 'generate',
      lambdaX,
      tau: 0.1,
      dt: 0.01,
      seed: 11,
      equilibriumTolerance: 1e-9,
    });
    net.setTarget([1, -0.5]);
    net.resetState({ std: 1 });
    net.step(60000);
    const M = net.M[0];
    const Y = [1, -0.5];
    const a = M[0] * M[0] + M[1] * M[1] + M[2] * M[2];
    const b = M[0] * M[3] + M[1] * M[4] + M[2] * M[5];
    const d = M[3] * M[3] + M[4] * M[4] + M[5] * M[5];
    const det = a * d - b * b;
    const z = [(d * Y[0] - b * Y[1]) / det, (-b * Y[0] + a * Y[1]) / det];
    const pinv = [0, 1, 2].map((c) => M[c] * z[0] + M[3 + c] * z[1]);
    expect(maxAbsDiff(net.x(0), pinv)).to.be.below(5e-3);
    // The null-space component is gone: x(1) is orthogonal to null(M).
    const nullDir = [
      M[1] * M[5] - M[2] * M[4],
      M[2] * M[3] - M[0] * M[5],
      M[0] * M[4] - M[1] * M[3],
    ];
    const norm = Math.hypot(...nullDir);
    const x = net.x(0);
    expect(
      Math.abs((x[0] * nullDir[0] + x[1] * nullDir[1] + x[2] * nullDir[2]) / norm),
    ).to.be.below(1e-3);
  });

  it('approximates backprop: training-mode updates match finite-difference gradients', () => {
    // A small tanh network with W = M^T, x(1) held at X, a target close to the output, and a
    // large output variance (so the top error is small). At equilibrium the PC update
    // eps(i+1) (x) sigma(x(i)) should match -dL/dM(i) for L = ||Y - f(X)||^2 / (2 nu_n).
    const nuTop = 50;
    const spec = {
      layers: [4, 5, 3],
      activation: 'tanh' as const,
      tiedInit: true,
      initStd: 0.6,
      nu: [1, 1, nuTop],
      inputClamp: 'hold' as const,
      mode: 'train' as const,
      seed: 21,
      gamma: 1e12, // weights effectively fixed while we read the errors
      equilibriumTolerance: 1e-7,
    };
    const net = new Network(spec);
    const X = [0.4, -0.7, 0.2, 0.9];
    const forward = (Ms: Float32Array[]): number[] => {
      const h = matVec(Ms[0], X.map(tanh), 5, 4);
      return matVec(Ms[1], h.map(tanh), 3, 5);
    };
    const out = forward(net.M);
    const Y = out.map((v, i) => v + [0.3, -0.2, 0.1][i]);
    net.setInput(X);
    net.setTarget(Y);
    net.feedForward();
    net.run({ maxTicks: 200000 });
    const loss = (Ms: Float32Array[]): number => {
      const f = forward(Ms);
      return f.reduce((acc, v, i) => acc + (Y[i] - v) ** 2, 0) / (2 * nuTop);
    };
    for (let l = 0; l < 2; l++) {
      const rows = net.sizes[l + 1];
      const cols = net.sizes[l];
      const pc: number[] = [];
      const bp: number[] = [];
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          pc.push(net.eps(l + 1)[r] * tanh(net.x(l)[c]));
          const Ms = net.M.map((m) => new Float32Array(m));
          const h = 1e-3;
          Ms[l][r * cols + c] += h;
          const up = loss(Ms);
          Ms[l][r * cols + c] -= 2 * h;
          bp.push(-(up - loss(Ms)) / (2 * h));
        }
      }
      const dot = pc.reduce((acc, v, i) => acc + v * bp[i], 0);
      const cos = dot / (Math.hypot(...pc) * Math.hypot(...bp));
      expect(cos, `layer ${l + 1} cosine`).to.be.above(0.99);
      expect(Math.hypot(...pc) / Math.hypot(...bp)).to.be.closeTo(1, 0.05);
    }
  });
});

describe('Network: modes, clamps and faults', () => {
  it('switches mode live, keeping the state, and holds the top at Y while beta = 0', () => {
    const net = new Network({ layers: [3, 3, 2], activation: 'tanh', mode: 'classify' });
    net.resetState({ std: 1 });
    const before = net.x(1).slice();
    net.setTargetClass(1);
    net.setMode('generate');
    expect(Array.from(net.x(1))).to.deep.equal(Array.from(before));
    expect(Array.from(net.x(2))).to.deep.equal([0, 1]);
    net.step(100);
    expect(Array.from(net.x(2))).to.deep.equal([0, 1]);
    expect(net.alpha).to.equal(0);
  });

  it('holds a clamped node at its value, per sample, until released', () => {
    const net = new Network({ layers: [3, 2], mode: 'classify' }, { batch: 2 });
    net.clampNode(1, 0, [0.5, -0.5]);
    net.step(200);
    expect(net.x(1)[0]).to.equal(0.5);
    expect(net.x(1)[2]).to.equal(-0.5);
    expect(net.isClamped(1, 0)).to.equal(true);
    net.releaseNode(1, 0);
    net.step(200);
    expect(net.x(1)[0]).to.not.equal(0.5);
    expect(() => net.clampNode(1, 5, 1)).to.throw(
      /node index must be an integer from 0 to 1, got 5/,
    );
  });

  it('stops a divergent run with an error naming layer and tick, keeping the last finite state', () => {
    const net = new Network({ layers: [3, 2], dt: 5, tau: 0.05, mode: 'generate', seed: 2 });
    net.setTargetClass(0);
    net.resetState({ std: 1 });
    let error: unknown;
    let last: number[] = [];
    try {
      for (let t = 0; t < 1000; t++) {
        last = [0, 1].flatMap((l) => Array.from(net.x(l)).concat(Array.from(net.eps(l))));
        net.step(1);
      }
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DivergenceError);
    const d = error as DivergenceError;
    expect(d.message).to.match(/diverged at tick \d+: (state|error) nodes of layer \d/);
    expect(d.tick).to.equal(net.tick + 1);
    const now = [0, 1].flatMap((l) => Array.from(net.x(l)).concat(Array.from(net.eps(l))));
    expect(now).to.deep.equal(last);
    expect(now.every(Number.isFinite)).to.equal(true);
  });

  it('accumulates weight changes and applies them on commit', () => {
    const spec = { layers: [3, 2], mode: 'train' as const, seed: 5, lambdaM: 0.1, lambdaW: 0.1 };
    const a = new Network({ ...spec, learning: 'accumulate' });
    const before = a.M[0].slice();
    a.setInput([1, 0, -1]);
    a.setTarget([1, 0]);
    a.step(10);
    expect(Array.from(a.M[0])).to.deep.equal(Array.from(before));
    a.commitWeights();
    expect(maxAbsDiff(a.M[0], before)).to.be.above(1e-5);
    // With a single tick, accumulate-then-commit equals the continuous update.
    const b = new Network({ ...spec, learning: 'accumulate' });
    const c = new Network(spec);
    for (const n of [b, c]) {
      n.setInput([1, 0, -1]);
      n.setTarget([1, 0]);
      n.resetState({ std: 1 });
      n.step(1);
    }
    b.commitWeights();
    expect(maxAbsDiff(b.M[0], c.M[0])).to.be.below(1e-7);
    expect(maxAbsDiff(b.W[0], c.W[0])).to.be.below(1e-7);
  });

  it('learns a linear map by the accelerated method', () => {
    const net = new Network({ layers: [4, 6, 2], seed: 8 }, { batch: 8 });
    const rng = new Random(3);
    const A = [
      [1, -1, 0.5, 0],
      [0, 0.5, -0.5, 1],
    ];
    const error = (): number => {
      let e = 0;
      for (let t = 0; t < 20; t++) {
        const X = Array.from({ length: 4 }, () => rng.normal());
        net.setInput(X);
        net.feedForward();
        const y = A.map((row) => row.reduce((s, v, i) => s + v * X[i], 0));
        e += (net.x(2)[0] - y[0]) ** 2 + (net.x(2)[1] - y[1]) ** 2;
      }
      return e / 20;
    };
    const before = error();
    for (let it = 0; it < 300; it++) {
      const X = Array.from({ length: 32 }, () => rng.normal());
      const Y: number[] = [];
      for (let b = 0; b < 8; b++) {
        for (const row of A) Y.push(row.reduce((s, v, i) => s + v * X[b * 4 + i], 0));
      }
      trainAccelerated(net, X, Y, { iterations: 20, rate: 0.2, learningRate: 0.05 });
    }
    expect(error()).to.be.below(before / 20);
  });
});
