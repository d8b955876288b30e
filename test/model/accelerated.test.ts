import { expect } from '@open-wc/testing';
import { Network, relaxAccelerated, type RelaxGuard } from '../../src/index';

/** A 6-8-8-3 tanh network whose weights are scaled up (×3) until a rate of 1.5 oscillates. */
function stiffNetwork(): Network {
  const net = new Network({ layers: [6, 8, 8, 3], activation: 'tanh', seed: 5, mode: 'train' });
  for (const m of [...net.M, ...net.W]) m.forEach((v, j) => (m[j] = v * 3));
  return net;
}

const X = [0.5, -0.2, 0.9, 0.1, -0.7, 0.3];
const Y = [1, 0, 0];
const states = (net: Network) => [1, 2].map((l) => Array.from(net.x(l)));

describe('relaxAccelerated: the divergence guard', () => {
  it('without a guard, a rate past the stable range leaves growing state changes', () => {
    const net = stiffNetwork();
    const last = relaxAccelerated(net, X, Y, { iterations: 80, rate: 1.5 });
    expect(!(last < 1e-3)).to.equal(true);
  });

  it('with a guard, halves the rate until the relaxation converges, and keeps it', () => {
    const net = stiffNetwork();
    const guard: RelaxGuard = { rate: 1.5, halvings: 0 };
    const last = relaxAccelerated(net, X, Y, { iterations: 400, rate: 1.5, guard });
    expect(guard.halvings).to.be.greaterThan(0);
    expect(guard.rate).to.equal(1.5 / 2 ** guard.halvings);
    expect(last).to.be.below(1e-5);
    // The same equilibrium as a small rate reaches without any guard.
    const reference = stiffNetwork();
    relaxAccelerated(reference, X, Y, { iterations: 4000, rate: 0.02 });
    const [a, b] = [states(net).flat(), states(reference).flat()];
    a.forEach((v, j) => expect(v).to.be.closeTo(b[j], 1e-4));
    // The next batch starts at the kept rate.
    const halvings = guard.halvings;
    relaxAccelerated(net, X, Y, { iterations: 400, rate: 1.5, guard });
    expect(guard.halvings).to.equal(halvings);
  });

  it('leaves a converging relaxation alone', () => {
    const net = new Network({ layers: [6, 8, 8, 3], activation: 'tanh', seed: 5, mode: 'train' });
    const guard: RelaxGuard = { rate: 0.2, halvings: 0 };
    const twin = new Network({ layers: [6, 8, 8, 3], activation: 'tanh', seed: 5, mode: 'train' });
    relaxAccelerated(net, X, Y, { iterations: 80, rate: 0.2, guard });
    relaxAccelerated(twin, X, Y, { iterations: 80, rate: 0.2 });
    expect(guard.halvings).to.equal(0);
    expect(states(net)).to.deep.equal(states(twin));
    // Slow convergence at a tiny rate shrinks the change a little each iteration: not a divergence.
    const slow: RelaxGuard = { rate: 1e-4, halvings: 0 };
    relaxAccelerated(net, X, Y, { iterations: 80, rate: 1e-4, guard: slow });
    expect(slow.halvings).to.equal(0);
  });
});
