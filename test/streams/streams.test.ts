import { expect } from '@open-wc/testing';
import { catchError, count, last, map, of, takeUntil, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { DivergenceError, Network, type NetworkSpecInput } from '../../src/index';
import { Clock, LayerGraph, toDisplayRate } from '../../src/streams/index';

/** Index of the first element whose float32 bits differ, or -1 if none. */
function firstBitDifference(a: Float32Array, b: Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  if (ua.length !== ub.length) return 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return i;
  return -1;
}

/** Every state, error, prediction and weight of `a` and `b` have the same bits. */
function expectSameBits(a: Network, b: Network, when: string): void {
  for (let l = 0; l < a.depth; l++) {
    expect(firstBitDifference(a.x(l), b.x(l)), `${when}: x(${l})`).to.equal(-1);
    expect(firstBitDifference(a.eps(l), b.eps(l)), `${when}: eps(${l})`).to.equal(-1);
    expect(firstBitDifference(a.prediction(l), b.prediction(l)), `${when}: mu(${l})`).to.equal(-1);
  }
  a.M.forEach((M, l) => expect(firstBitDifference(M, b.M[l]), `${when}: M(${l})`).to.equal(-1));
  a.W.forEach((W, l) => expect(firstBitDifference(W, b.W[l]), `${when}: W(${l})`).to.equal(-1));
  expect(a.tick).to.equal(b.tick);
  expect(a.time).to.equal(b.time);
  expect(a.maxRate).to.equal(b.maxRate);
}

const twins = (spec: NetworkSpecInput, batch = 1): [Network, Network] => [
  new Network(spec, { batch }),
  new Network(spec, { batch }),
];

describe('LayerGraph: the streams are the simulation', () => {
  const base: NetworkSpecInput = {
    layers: [6, 5, 3],
    activation: 'tanh',
    seed: 7,
    tau: 0.05,
    dt: 0.002,
  };
  const cases: {
    mode: 'train' | 'classify' | 'generate';
    spec: NetworkSpecInput;
    set: (net: Network | LayerGraph) => void;
  }[] = [
    {
      mode: 'train',
      spec: { ...base, mode: 'train', lambdaM: 0.05, lambdaW: 0.05, gamma: 0.1 },
      set: (n) => {
        n.setInput([0.5, -1, 0.25, 1.5, 0, -0.75, 1, 0.1, -0.2, 0.3, 0.4, -1.2]);
        n.setTargetClass([0, 2]);
      },
    },
    {
      mode: 'classify',
      spec: { ...base, mode: 'classify', inputClamp: 'hold' },
      set: (n) => {
        n.setInput([1, -0.5, 0.25, 0.5, -1, 0.75]);
        n.clampNode(1, 2, [0.3, -0.3]);
      },
    },
    {
      mode: 'generate',
      spec: { ...base, mode: 'generate', lambdaX: 0.01 },
      set: (n) => {
        n.resetState({ std: 1 });
        n.setTargetClass(1);
      },
    },
  ];
  for (const { mode, spec, set } of cases) {
    it(`equals net.step() bit for bit over 1,000 ticks in ${mode} mode (B = 2)`, () => {
      const [direct, driven] = twins(spec, 2);
      const graph = new LayerGraph(driven);
      set(direct);
      set(graph);
      let emitted = 0;
      const sub = graph.layers[2].state$.subscribe(() => emitted++);
      for (let t = 0; t < 1000; t++) {
        direct.step();
        graph.tick();
        if (t % 100 === 99) expectSameBits(direct, driven, `tick ${t + 1}`);
      }
      expect(emitted).to.equal(1 + 1000);
      // A mode switch and a release on a live network go through the graph just as well.
      direct.setMode('classify');
      graph.setMode('classify');
      direct.releaseAll();
      graph.releaseAll();
      direct.step(200);
      graph.step(200);
      expectSameBits(direct, driven, 'after a switch to classify');
      sub.unsubscribe();
      graph.dispose();
    });
  }

  it('follows a network stepped directly (it re-reads the swapped buffers)', () => {
    const [a, b] = twins({ ...base, mode: 'classify' });
    const graph = new LayerGraph(b);
    for (const n of [a, b]) n.setInput([1, 2, 3, 4, 5, 6]);
    a.step(4);
    b.step(1);
    graph.step(3);
    expectSameBits(a, b, 'mixed');
  });

  it('propagates a clamp one hop per tick: eps(k) moves at tick 2k-1, x(k) at 2k', () => {
    const spec: NetworkSpecInput = {
      layers: [4, 4, 4, 4, 4],
      activation: 'tanh',
      seed: 3,
      // A large step and large weights, so that the change survives float32 rounding at every
      // hop (a tiny one can vanish in the rounding and arrive later than it could).
      dt: 0.02,
      tau: 0.05,
      initStd: 1,
    };
    const [calm, poked] = twins(spec);
    const graphs = [new LayerGraph(calm), new LayerGraph(poked)];
    for (const g of graphs) {
      g.resetState({ std: 0.5 });
      g.setInput([0.1, 0.2, 0.3, 0.4]);
    }
    graphs[1].clampNode(0, 1, 5);
    const firstX = [-1, -1, -1, -1, -1];
    const firstEps = [-1, -1, -1, -1, -1];
    for (let t = 0; t <= 10; t++) {
      for (let l = 0; l < 5; l++) {
        if (firstX[l] < 0 && firstBitDifference(calm.x(l), poked.x(l)) >= 0) firstX[l] = t;
        if (firstEps[l] < 0 && firstBitDifference(calm.eps(l), poked.eps(l)) >= 0) firstEps[l] = t;
      }
      for (const g of graphs) g.tick();
    }
    // ε(k) reads x(k−1) of the last tick (through μ), x(k) reads ε(k) of the last tick: two
    // hops per layer, each taking one tick. Until then the layer is exactly unchanged.
    expect(firstX).to.deep.equal([0, 2, 4, 6, 8]);
    expect(firstEps).to.deep.equal([1, 1, 3, 5, 7]);
  });

  it('emits node values, energy (eq. 2.7), equilibrium, mode and clamps', () => {
    const net = new Network({ layers: [3, 2], seed: 2, dt: 0.01, tau: 0.05 });
    const graph = new LayerGraph(net);
    const node: number[] = [];
    const energy: number[] = [];
    const equilibria: number[] = [];
    const modes: string[] = [];
    const clamps: number[][] = [];
    graph.node$(1, 1).subscribe((v) => node.push(v));
    graph.energy$.subscribe((f) => energy.push(f));
    graph.equilibrium$.subscribe((e) => equilibria.push(e.tick));
    graph.mode$.subscribe((m) => modes.push(m));
    graph.clamps$.subscribe((c) => clamps.push(c.nodes.map((n) => n.length)));
    graph.setInput([1, -1, 0.5]);
    graph.step(2000);
    expect(node.at(-1)).to.equal(net.x(1)[1]);
    expect(energy.at(-1)).to.equal(net.energy());
    expect(energy.at(-1)).to.be.below(0);
    expect(equilibria).to.have.length(1);
    expect(equilibria[0]).to.be.within(2, 2000);
    graph.setMode('generate');
    graph.clampNode(0, 2, 0.5);
    expect(modes).to.deep.equal(['classify', 'generate']);
    expect(clamps.at(-1)).to.deep.equal([1, 0]);
    expect(() => graph.node$(1, 2)).to.throw(/node index/);
  });

  it('emits a divergence, throws it and keeps the last finite state', () => {
    const net = new Network({ layers: [3, 3], dt: 0.2, tau: 0.05, seed: 1, divergenceLimit: 1e3 });
    const graph = new LayerGraph(net);
    graph.setInput([1, 1, 1]);
    const seen: DivergenceError[] = [];
    graph.divergence$.subscribe((e) => seen.push(e));
    expect(() => graph.step(1000)).to.throw(DivergenceError);
    expect(seen).to.have.length(1);
    expect(seen[0].tick).to.equal(net.tick + 1);
    for (let l = 0; l < 2; l++) for (const v of net.x(l)) expect(Math.abs(v)).to.be.at.most(1e3);
  });
});

describe('Clock on virtual time', () => {
  const testScheduler = (): TestScheduler =>
    new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
  const graphOf = (spec: NetworkSpecInput = { layers: [3, 2] }): LayerGraph =>
    new LayerGraph(new Network(spec));

  it('plays 100 ticks per second: 100 ticks in 1 s, at 60 frames a second', () => {
    testScheduler().run(({ expectObservable }) => {
      const graph = graphOf();
      const clock = new Clock(graph);
      clock.play(100);
      timer(1500).subscribe(() => clock.pause());
      expectObservable(graph.tick$.pipe(takeUntil(timer(1001)), last())).toBe('1001ms (a|)', {
        a: 100,
      });
    });
  });

  it('stops on pause', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const graph = graphOf();
      const clock = new Clock(graph, { frameMs: 10 });
      clock.play(100);
      cold('505ms a').subscribe(() => clock.pause());
      expectObservable(clock.running$).toBe('a 504ms b', { a: true, b: false });
      expectObservable(graph.tick$.pipe(takeUntil(timer(2000)), last())).toBe('2000ms (a|)', {
        a: 50,
      });
    });
  });

  it('runs until equilibrium and stops there', () => {
    const spec: NetworkSpecInput = { layers: [3, 2], seed: 4, dt: 0.01, tau: 0.05 };
    const reference = new Network(spec);
    reference.setInput([1, 0.5, -1]);
    const expected = reference.run({ maxTicks: 100_000 }).ticks;
    expect(reference.atEquilibrium).to.equal(true);
    testScheduler().run(({ expectObservable }) => {
      const graph = graphOf(spec);
      graph.setInput([1, 0.5, -1]);
      const clock = new Clock(graph, { frameMs: 10 });
      const frames = Math.ceil(expected / 10);
      expectObservable(clock.runUntil({ equilibrium: true }, 1000)).toBe(`${frames * 10}ms (a|)`, {
        a: { ticks: expected, reason: 'equilibrium' },
      });
      expectObservable(graph.tick$.pipe(takeUntil(timer(frames * 10 + 500)), count())).toBe(
        `${frames * 10 + 500}ms (a|)`,
        { a: 1 + expected },
      );
    });
  });

  it('runs a number of ticks or of simulated seconds at max, in frames of at most N ticks', () => {
    testScheduler().run(({ expectObservable }) => {
      const graph = graphOf({ layers: [3, 2], dt: 0.001 });
      const clock = new Clock(graph, { maxTicksPerFrame: 100 });
      expectObservable(clock.runUntil({ ticks: 250 })).toBe('(a|)', {
        a: { ticks: 250, reason: 'ticks' },
      });
      expectObservable(clock.runUntil({ seconds: 0.5 }), '10ms ^').toBe('10ms (a|)', {
        a: { ticks: 500, reason: 'ticks' },
      });
      expectObservable(clock.running$).toBe('(ab) 6ms (ab)', { a: true, b: false });
    });
  });

  it('caps the ticks of a frame, dropping the backlog', () => {
    testScheduler().run(({ expectObservable }) => {
      const graph = graphOf();
      const clock = new Clock(graph, { frameMs: 10, maxTicksPerFrame: 50 });
      clock.play(1e6);
      timer(200).subscribe(() => clock.pause());
      expectObservable(graph.tick$.pipe(takeUntil(timer(101)), last())).toBe('101ms (a|)', {
        a: 500,
      });
    });
  });

  it('pauses on divergence and reports it', () => {
    const spec = { layers: [3, 3], dt: 0.2, tau: 0.05, divergenceLimit: 1e3 };
    const reference = new Network(spec);
    reference.setInput([1, 1, 1]);
    let failedAt = 0;
    try {
      reference.step(1000);
    } catch (e) {
      failedAt = (e as DivergenceError).tick;
    }
    expect(failedAt).to.be.above(1);
    testScheduler().run(({ expectObservable }) => {
      const graph = graphOf(spec);
      graph.setInput([1, 1, 1]);
      const clock = new Clock(graph, { frameMs: 10 });
      const run$ = clock.runUntil({ ticks: 1000 }, 1000).pipe(
        map((r) => r.ticks),
        catchError((e: unknown) => of(e instanceof DivergenceError ? e.tick : -1)),
      );
      const at = Math.ceil(failedAt / 10) * 10;
      expectObservable(run$).toBe(`${at}ms (a|)`, { a: failedAt });
      expectObservable(clock.running$).toBe(`a ${at - 1}ms b`, { a: true, b: false });
    });
  });

  it('samples per-tick streams to the display rate', () => {
    const shown: number[] = [];
    testScheduler().run(() => {
      const graph = graphOf();
      const clock = new Clock(graph, { frameMs: 1 });
      clock.play(1000);
      timer(1001).subscribe(() => clock.pause());
      graph.tick$.pipe(toDisplayRate(30), takeUntil(timer(2000))).subscribe((t) => shown.push(t));
    });
    expect(shown.length).to.be.within(25, 30);
    expect(shown.at(-1)).to.equal(1000);
  });
});
