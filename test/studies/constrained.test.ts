/**
 * The `constrained` study's pieces (src/studies/constrained.ts): the minimum-norm solver on
 * hand cases, the linear network's equations as A z = b, activity decay's equilibrium tending
 * to the minimum-norm solution as λx → 0 (Theorem 1's limit), and the augmented Lagrangian.
 */
import { expect } from '@open-wc/testing';
import { Network, Random } from '../../src/index';
import {
  linearConstraints,
  minNormSolve,
  residuals,
  solveConstrained,
  stateNorms,
} from '../../src/studies/constrained';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => {
  expect(a.length).to.equal(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).to.be.closeTo(b[i], tol);
};
const dist = (a: ArrayLike<number>, b: ArrayLike<number>, n = a.length) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
};

describe('constrained: the minimum-norm solver', () => {
  it('solves a square system exactly (2×2 by hand)', () => {
    // [[2, 1], [0, 4]] z = [4, 8]: z = [1, 2].
    close(minNormSolve([2, 1, 0, 4], 2, 2, [4, 8]), [1, 2], 1e-12);
  });

  it('picks the smallest solution of an underdetermined system (by hand)', () => {
    // z1 + z2 = 2: the solutions are (1 + c, 1 − c); the smallest is (1, 1).
    close(minNormSolve([1, 1], 1, 2, [2]), [1, 1], 1e-12);
    // z1 + z3 = 2, z2 = 3: (1, 3, 1).
    close(minNormSolve([1, 0, 1, 0, 1, 0], 2, 3, [2, 3]), [1, 3, 1], 1e-12);
  });

  it('gives the ridge solution with λ > 0, and refuses a rank-deficient A', () => {
    // min (z1 + z2 − 2)² + λ‖z‖²: z = 2 / (2 + λ) (1, 1).
    close(minNormSolve([1, 1], 1, 2, [2], 0.5), [0.8, 0.8], 1e-12);
    expect(() => minNormSolve([1, 1, 2, 2], 2, 2, [1, 2])).to.throw(/full row rank/);
  });

  it('writes the linear network equations x(2) = M(1) x(1), M(2) x(2) = Y as A z = b', () => {
    const M = [Float32Array.from([1, 2]), Float32Array.from([3])]; // sizes 2-1-1
    const { A, m, n, b } = linearConstraints(M, [2, 1, 1]);
    expect([m, n]).to.deep.equal([2, 3]);
    // z = [x1a, x1b, x2]: rows −x1a − 2 x1b + x2 = 0 and 3 x2 = Y.
    close(A, [-1, -2, 1, 0, 0, 3], 0);
    close(b([6]), [0, 6], 0);
    // The solution: x2 = 2, x1 the smallest with x1a + 2 x1b = 2: (0.4, 0.8).
    close(minNormSolve(A, m, n, b([6])), [0.4, 0.8, 2], 1e-12);
  });
});

describe('constrained: activity decay as λx → 0 (Theorem 1)', () => {
  // W(i) = M(i)ᵀ (tied, untrained) and M ~ N(0, 1): A is well conditioned, so the ridge
  // bias shrinks with λx from λx = 0.1 on.
  it('generates the ridge solution, which tends to the minimum-norm one; without decay it stays away', () => {
    const net = new Network({
      layers: [4, 2, 1],
      tiedInit: true,
      tau: 0.02,
      dt: 0.002,
      seed: 7,
      initStd: 1,
    });
    const { A, m, n, b } = linearConstraints(net.M, net.sizes);
    const zStar = minNormSolve(A, m, n, b([1]));
    const distances: number[] = [];
    for (const lambdaX of [0.1, 0.01, 0.001, 0]) {
      net.setParams({ lambdaX });
      const gen = net.withBatch(2);
      gen.setMode('generate');
      gen.setTargetClass(0);
      gen.resetState({ std: 1, random: new Random(3) });
      gen.runFor((12 * 0.02) / (lambdaX || 0.001));
      const z = [...gen.x(0).subarray(0, 4), ...gen.x(1).subarray(0, 2)];
      if (lambdaX > 0) {
        // The equilibrium with W = Mᵀ is the ridge solution Aᵀ (A Aᵀ + λx I)⁻¹ b.
        expect(dist(z, minNormSolve(A, m, n, b([1]), lambdaX))).to.be.below(2e-3);
      }
      distances.push(dist(z, zStar, 4));
    }
    expect(distances[1]).to.be.below(distances[0] / 3);
    expect(distances[2]).to.be.below(distances[1] / 3);
    expect(distances[3]).to.be.above(10 * distances[2]); // the null space keeps its start
  });
});

describe('constrained: the augmented Lagrangian', () => {
  it('finds the minimum-norm solution of a linear network', () => {
    const rng = new Random(2);
    const M = [rng.fillNormal(new Float32Array(3 * 5)), rng.fillNormal(new Float32Array(2 * 3))];
    const sizes = [5, 3, 2];
    const Y = [1, -0.5];
    const { A, m, n, b } = linearConstraints(M, sizes);
    const zStar = minNormSolve(A, m, n, b(Y));
    const { z } = solveConstrained({ M, sizes, activation: 'identity' }, Y, 1, { outer: 30 });
    close([...z[0], ...z[1]], zStar, 1e-4);
  });

  it('meets a tanh network equations with a norm no larger than a known solution', () => {
    const rng = new Random(4);
    const sizes = [6, 4, 2];
    const M = [rng.fillNormal(new Float32Array(4 * 6)), rng.fillNormal(new Float32Array(2 * 4))];
    // A feasible target: the forward pass of a known state z0.
    const x1 = Float64Array.from(rng.fillNormal(new Float32Array(6)));
    const x2 = new Float64Array(4);
    for (let i = 0; i < 4; i++)
      for (let c = 0; c < 6; c++) x2[i] += M[0][i * 6 + c] * Math.tanh(x1[c]);
    const Y = new Float64Array(2);
    for (let i = 0; i < 2; i++)
      for (let c = 0; c < 4; c++) Y[i] += M[1][i * 4 + c] * Math.tanh(x2[c]);
    const eq = { M, sizes, activation: 'tanh' as const };
    expect(
      residuals(
        eq,
        [x1, x2],
        Y,
        1,
        sizes.map((k) => new Float64Array(k)),
      ),
    ).to.be.below(1e-20);
    const { z, path } = solveConstrained(eq, Y, 1, { outer: 30 });
    const solved = stateNorms(eq, z, Y, 1);
    expect(solved.residual).to.be.below(1e-4);
    expect(solved.norm).to.be.at.most(stateNorms(eq, [x1, x2], Y, 1).norm + 1e-6);
    expect(path.length).to.equal(30);
  });
});
