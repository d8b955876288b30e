/**
 * The GPU-resident network (src/model/gpu-network.ts) against `Network` on the JavaScript
 * kernels: 1,000 ticks of every mode on a 4-3-2 tanh network at B = 5 (250 at B = 1, to keep
 * the file short on SwiftShader, about 3 ms a tick here), then every
 * state, error and weight to 1e-4 relative (norm-wise, each array against its own largest
 * value; ε against its layer's largest |x| as well, as ε is the small difference x − μ of
 * values that size: the backward-error scale of the kernel tests); and a divergent run, which
 * must reject at the tick `Network` throws at, rolled back to the same last finite state.
 * Runs in the `webgpu` group (SwiftShader): `npx web-test-runner --group webgpu`.
 */
import { expect } from '@open-wc/testing';
import { jsBackend } from '../../src/kernels/backend';
import { DivergenceError } from '../../src/model/errors';
import { GpuNetwork } from '../../src/model/gpu-network';
import { Network } from '../../src/model/network';
import type { Mode, NetworkSpecInput } from '../../src/model/spec';
import { gpuKernels } from '../kernels/webgpu/helpers';

const RTOL = 1e-4;

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
  return m;
}

function expectClose(got: Float32Array, ref: Float32Array, label: string, scale = 0): void {
  expect(got.length, `${label}: length`).to.equal(ref.length);
  const bound = RTOL * (maxAbs(ref) + scale) + 1e-12;
  for (let i = 0; i < ref.length; i++) {
    if (!(Math.abs(got[i] - ref[i]) <= bound)) {
      expect.fail(`${label}[${i}]: got ${got[i]}, expected ${ref[i]} (bound ${bound})`);
    }
  }
}

async function expectSame(gpu: GpuNetwork, cpu: Network, label: string): Promise<void> {
  const { x, eps } = await gpu.readState();
  const { M, W } = await gpu.readWeights();
  expect(gpu.tick, `${label}: tick`).to.equal(cpu.tick);
  for (let l = 0; l < cpu.depth; l++) {
    expectClose(x[l], cpu.x(l), `${label} x(${l})`);
    expectClose(eps[l], cpu.eps(l), `${label} eps(${l})`, maxAbs(cpu.x(l)));
  }
  for (let l = 0; l + 1 < cpu.depth; l++) {
    expectClose(M[l], cpu.M[l], `${label} M(${l})`);
    expectClose(W[l], cpu.W[l], `${label} W(${l})`);
  }
}

/** Sets up both networks alike: an input, a target class, and what the mode starts from. */
function prepare(net: Network | GpuNetwork, B: number, mode: Mode): void {
  net.setInput(Array.from({ length: 4 * B }, (_, i) => Math.sin(i + 1)));
  net.setTargetClass(Array.from({ length: B }, (_, b) => b % 2));
  if (mode === 'generate') net.resetState({ std: 1 });
  if (mode === 'classify') net.feedForward();
}

describe('GpuNetwork (webgpu) against Network (js)', () => {
  for (const B of [1, 5]) {
    for (const mode of ['train', 'classify', 'generate'] as const) {
      const ticks = B === 1 ? 250 : 1000;
      it(`${mode}, B = ${B}: ${ticks} ticks to 1e-4`, async () => {
        const { kernels } = await gpuKernels();
        const spec: NetworkSpecInput = { layers: [4, 3, 2], activation: 'tanh', seed: 3, mode };
        // B = 5 also runs the holds and clamps kernel on a hidden node, the held input and
        // the accumulating learning rule with a commit halfway.
        if (B === 5) Object.assign(spec, { learning: 'accumulate', inputClamp: 'hold' });
        const cpu = new Network(spec, { batch: B, backend: jsBackend });
        const gpu = new GpuNetwork(kernels, spec, { batch: B, checkEvery: 64 });
        for (const net of [cpu, gpu]) {
          prepare(net, B, mode);
          if (B === 5) net.clampNode(1, 2, [0.5, -0.5, 0.25, 0, 1]);
        }
        cpu.step(ticks / 2);
        const half = await gpu.step(ticks / 2);
        cpu.commitWeights();
        gpu.commitWeights();
        cpu.step(ticks / 2);
        const report = await gpu.step(ticks / 2);
        expect(half.ticks).to.equal(ticks / 2);
        expect(report.maxRate).to.be.closeTo(cpu.maxRate, RTOL * cpu.maxRate + 1e-3);
        await expectSame(gpu, cpu, `${mode} B=${B}`);
        gpu.destroy();
      });
    }
  }

  it('rolls a divergent run back to the last finite state, at Network’s tick', async () => {
    const { kernels } = await gpuKernels();
    // k = dt/τ = 2.5: the Euler step is unstable and every node grows past the limit.
    const spec: NetworkSpecInput = {
      layers: [4, 3, 2],
      seed: 5,
      mode: 'classify',
      dt: 0.01,
      tau: 0.004,
    };
    const cpu = new Network(spec, { backend: jsBackend });
    const gpu = new GpuNetwork(kernels, spec, { checkEvery: 8 });
    for (const net of [cpu, gpu]) net.setInput([1, -1, 0.5, 2]);
    let thrown: unknown;
    try {
      cpu.step(500);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).to.be.instanceOf(DivergenceError);
    const want = thrown as DivergenceError;
    expect(want.tick).to.be.above(8); // past the first check: the rollback is a real one
    let got: unknown;
    try {
      await gpu.step(500);
    } catch (e) {
      got = e;
    }
    expect(got).to.be.instanceOf(DivergenceError);
    const e = got as DivergenceError;
    expect([e.tick, e.layer, e.quantity]).to.deep.equal([want.tick, want.layer, want.quantity]);
    expect(gpu.tick).to.equal(want.tick - 1);
    const { x } = await gpu.readState();
    for (let l = 0; l < cpu.depth; l++) {
      expect(maxAbs(x[l])).to.be.at.most(spec.divergenceLimit ?? 1e6);
      expectClose(x[l], cpu.x(l), `x(${l})`);
    }
    gpu.destroy();
  });

  it('names a bad checkEvery and refuses a second step while one is pending', async () => {
    const { kernels } = await gpuKernels();
    expect(() => new GpuNetwork(kernels, { layers: [2, 2] }, { checkEvery: 0 })).to.throw(
      'checkEvery must be a whole number of ticks ≥ 1, got 0',
    );
    const gpu = new GpuNetwork(kernels, { layers: [2, 2] });
    const first = gpu.step(3);
    let second: unknown;
    await gpu.step(1).catch((e: unknown) => (second = e));
    expect(String(second)).to.include('a step or run is still pending');
    await first;
    gpu.destroy();
  });
});
