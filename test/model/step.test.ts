import { expect } from '@open-wc/testing';
import { JS_KERNELS } from '../../src/kernels/backend';
import { DivergenceError } from '../../src/model/errors';
import {
  checkLayer,
  commitWeights,
  layerStep,
  learnWeights,
  newLayerTick,
  newTickScalars,
  tickScalars,
} from '../../src/model/step';
import { resolveSpec } from '../../src/model/spec';

const f32 = (v: number[]): Float32Array => Float32Array.from(v);
const none = (): 0 => 0;

function expectClose(actual: ArrayLike<number>, expected: number[], tol = 1e-6): void {
  expect(actual.length).to.equal(expected.length);
  for (let j = 0; j < expected.length; j++) {
    expect(actual[j], `element ${j}`).to.be.closeTo(expected[j], tol);
  }
}

describe('step: tickScalars', () => {
  it('takes k = dt/τ, and λx only in generate, or in train with trainActivityDecay (eq. 3.11)', () => {
    const spec = resolveSpec({ layers: [2, 1], dt: 0.002, tau: 0.05, lambdaX: 0.3 });
    const c = newTickScalars();
    tickScalars(c, spec, 'generate', 0, 0);
    expect(c.k).to.equal(0.002 / 0.05);
    expect(c.lambdaX).to.equal(0.3);
    expect(tickScalars(c, spec, 'classify', 1, 1).lambdaX).to.equal(0);
    expect(tickScalars(c, spec, 'train', 1, 0).lambdaX).to.equal(0);
    const decaying = { ...spec, trainActivityDecay: true };
    expect(tickScalars(c, decaying, 'train', 1, 0).lambdaX).to.equal(0.3);
    expect([c.alpha, c.beta, c.limit]).to.deep.equal([1, 0, spec.divergenceLimit]);
  });
});

describe('step: layerStep, one Euler step worked by hand', () => {
  // Input layer of a 2-1 network, identity σ: eqs. 2.2 and 3.2 with ν = 2 and λx = 0.5.
  //   fb = W ε(2) = [2, −1]·0.3 = [0.6, −0.3]
  //   ε' = ε + k (x − μ − ν ε) = [0.1 + 0.1 (0.5 − 1 − 0.2), 0.2 + 0.1 (−1 − 0 − 0.4)]
  //      = [0.03, 0.06]
  //   x' = x + k (fb σ' − α ε − λx x) = [0.5 + 0.1 (0.6 − 0.1 − 0.25), −1 + 0.1 (−0.3 − 0.2 + 0.5)]
  //      = [0.525, −1]
  function inputLayer() {
    const t = newLayerTick(0, 2, 1, 2, 0, 1);
    t.nu = 2;
    t.x = f32([0.5, -1]);
    t.eps = f32([0.1, 0.2]);
    t.xNext = new Float32Array(2);
    t.epsNext = new Float32Array(2);
    t.mu = f32([1, 0]); // μ(1) = X
    t.fb = new Float32Array(2);
    t.ds = f32([1, 1]);
    t.epsAbove = f32([0.3]);
    t.W = f32([2, -1]);
    return t;
  }
  const scalars = () => ({ k: 0.1, alpha: 1, beta: 1, lambdaX: 0.5, limit: 1e6 });

  it('gives the hand-computed ε and x of the input layer (ν ≠ 1, λx ≠ 0)', () => {
    const t = inputLayer();
    const stats = new Float64Array(4);
    layerStep(JS_KERNELS, t, scalars(), none, stats);
    expectClose(t.fb, [0.6, -0.3]);
    expectClose(t.epsNext, [0.03, 0.06]);
    expectClose(t.xNext, [0.525, -1]);
    // |x'|, |ε'|, |Δx|, |Δε| as stored
    expectClose(stats, [1, 0.06, 0.025, 0.14]);
  });

  it('fails on a wrong sign: λx that pushed x away from 0 would give another x', () => {
    const t = inputLayer();
    const c = { ...scalars(), lambdaX: -0.5 };
    layerStep(JS_KERNELS, t, c, none, new Float64Array(4));
    expect(t.xNext[0]).not.to.be.closeTo(0.525, 1e-3);
  });

  it('gives the top layer μ = M σ(x(n−1)), a = β and no W or λx term (eq. 3.4)', () => {
    // μ = [1, 2]·[0.5, −1] = −1.5; ε' = 0.1 + 0.1 (0.2 + 1.5 − 0.1) = 0.26; x' = 0.2 − 0.1·0.1
    const t = newLayerTick(1, 2, 1, 1, 2, 0);
    t.nu = 1;
    t.x = f32([0.2]);
    t.eps = f32([0.1]);
    t.xNext = new Float32Array(1);
    t.epsNext = new Float32Array(1);
    t.mu = new Float32Array(1);
    t.sBelow = f32([0.5, -1]);
    t.M = f32([1, 2]);
    layerStep(JS_KERNELS, t, scalars(), none, new Float64Array(4));
    expectClose(t.mu, [-1.5]);
    expectClose(t.epsNext, [0.26]);
    expectClose(t.xNext, [0.19]);
  });

  it('measures a held layer after its holds: it did not move', () => {
    const t = inputLayer();
    const stats = new Float64Array(4);
    layerStep(
      JS_KERNELS,
      t,
      scalars(),
      () => {
        t.xNext.set([7, -8]);
        return 2;
      },
      stats,
    );
    expect(Array.from(t.xNext)).to.deep.equal([7, -8]);
    expect(stats[0]).to.equal(8);
    expect(stats[2]).to.equal(0);
  });
});

describe('step: checkLayer', () => {
  it('throws a DivergenceError naming the layer, tick and quantity; else returns max |Δ|', () => {
    expect(checkLayer(Float64Array.from([1, 2, 0.5, 0.25]), 0, 3, 10)).to.equal(0.5);
    let error: unknown;
    try {
      checkLayer(Float64Array.from([1, NaN, 0, 0]), 1, 7, 10);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DivergenceError);
    const d = error as DivergenceError;
    expect([d.layer, d.tick, d.quantity]).to.deep.equal([1, 7, 'eps']);
    expect(() => checkLayer(Float64Array.from([11, 0, 0, 0]), 0, 1, 10)).to.throw(/layer 1/);
  });
});

describe('step: learnWeights (eqs. 2.9, 2.10, 3.12)', () => {
  // w (1 × 2) += rate (⟨U ⊗ V⟩ − λ w) over B = 2: ⟨U ⊗ V⟩ = ([1]⊗[1, 2] + [3]⊗[0, −1]) / 2
  //   = [0.5, −0.5]; with rate 0.1, λ = 2, w = [1, 1]: w = [1 + 0.1 (0.5 − 2), 1 + 0.1 (−0.5 − 2)]
  const U = f32([1, 3]);
  const V = f32([1, 2, 0, -1]);
  const expected = [0.85, 0.75];

  it('updates in place (continuous) to the hand-computed weights', () => {
    const w = f32([1, 1]);
    learnWeights(JS_KERNELS, w, null, U, V, 2, 1, 2, 0.1, 2);
    expectClose(w, expected);
  });

  it('accumulates, leaves w until the commit, then gives the same weights', () => {
    const w = f32([1, 1]);
    const dw = new Float32Array(2);
    learnWeights(JS_KERNELS, w, dw, U, V, 2, 1, 2, 0.1, 2);
    expect(Array.from(w)).to.deep.equal([1, 1]);
    commitWeights(JS_KERNELS, w, dw);
    expectClose(w, expected);
    expect(Array.from(dw)).to.deep.equal([0, 0]);
  });

  it('fails on a wrong sign: decay that grew the weights would give others', () => {
    const w = f32([1, 1]);
    learnWeights(JS_KERNELS, w, null, U, V, 2, 1, 2, 0.1, -2);
    expect(w[0]).not.to.be.closeTo(expected[0], 1e-3);
  });
});
