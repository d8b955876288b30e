/**
 * The TensorFlow.js version of the Euler tick (bench/tfjs-network.ts) computes what `Network`
 * does: 10 ticks from the same weights and state, every variant against every backend of ours.
 */
import type { Mode } from '../../src/model/spec';
import type { BenchCase } from '../case';
import { type NamedBackend, TICK_MODES, tickNetwork } from '../suite';
import { type LoadedTf, tfNetwork, TF_VARIANTS } from '../tfjs';

export const check: BenchCase = {
  name: 'check',
  measures: "TF.js's tick against ours: worst relative difference of x, ε, ΔM, ΔW over 10 ticks",
  part: 'node',
  usesTf: true,
  async run({ tfjs, backends, machine, log }) {
    if (!tfjs) return {};
    log('check: 10 ticks from the same weights and state (x, ε ~ N(0, 0.5²)), TF.js against ours');
    log('       max |Δ| / max |ours| of every x, ε and (train) weight change ΔM, ΔW; worst over');
    log(`       our backends (${machine.backends.join(', ')}); must be < 1e-3`);
    const checks: unknown[] = [];
    let pass = true;
    for (const mode of TICK_MODES) {
      for (const batch of [1, 8]) {
        const worst = await checkTfTicks(tfjs, backends, mode, batch);
        const ok = Object.values(worst).every((v) => v < 1e-3);
        pass &&= ok;
        checks.push({ mode, batch, relativeError: worst, ok });
        const cells = Object.entries(worst).map(([n, v]) => `${n} ${v.toExponential(1)}`);
        log(`B = ${batch}, ${mode}`.padEnd(24) + ` ${cells.join('  ')}   ${ok ? 'ok' : 'FAILED'}`);
      }
    }
    if (!pass) process.exitCode = 1;
    log();
    return { tfjsCheck: { pass, checks } };
  },
};

/**
 * Runs `Network` on every backend and TfNetwork on every TF.js variant for 10 ticks from the
 * same random state; returns, per TF.js variant, the worst relative difference over our backends
 * and over x, ε (every layer) and, in train mode, the weight changes ΔM, ΔW.
 */
async function checkTfTicks(
  loaded: LoadedTf,
  backends: readonly NamedBackend[],
  mode: Mode,
  batch: number,
): Promise<Record<string, number>> {
  const nets = backends.map(([, factory]) => {
    const net = tickNetwork(factory, batch, mode);
    net.resetState({ std: 0.5 });
    return net;
  });
  const M0 = nets[0].M.map((m) => m.slice());
  const W0 = nets[0].W.map((w) => w.slice());
  const tfNets = [];
  for (const variant of TF_VARIANTS) tfNets.push(await tfNetwork(loaded.tf, variant, nets[0]));
  for (const net of nets) net.step(10);
  const worst: Record<string, number> = {};
  for (const [i, variant] of TF_VARIANTS.entries()) {
    const tfNet = tfNets[i];
    await loaded.tf.setBackend(variant.backend);
    tfNet.step(10);
    let w = 0;
    for (const net of nets) {
      for (let l = 0; l < net.depth; l++) {
        w = Math.max(w, relDiff(tfNet.xOf(l), net.x(l)), relDiff(tfNet.epsOf(l), net.eps(l)));
      }
      if (mode === 'train') {
        for (let l = 0; l + 1 < net.depth; l++) {
          w = Math.max(w, relDiff(minus(tfNet.MOf(l), M0[l]), minus(net.M[l], M0[l])));
          w = Math.max(w, relDiff(minus(tfNet.WOf(l), W0[l]), minus(net.W[l], W0[l])));
        }
      }
    }
    tfNet.dispose();
    worst[variant.name] = w;
  }
  // Our backends against each other, for scale.
  let ourWorst = 0;
  for (const net of nets.slice(1)) {
    for (let l = 0; l < net.depth; l++) {
      ourWorst = Math.max(
        ourWorst,
        relDiff(net.x(l), nets[0].x(l)),
        relDiff(net.eps(l), nets[0].eps(l)),
      );
    }
  }
  worst['ours vs js'] = ourWorst;
  return worst;
}

function relDiff(a: Float32Array, ref: Float32Array): number {
  if (a.length !== ref.length) return Infinity;
  let d = 0;
  let m = 0;
  for (let j = 0; j < a.length; j++) {
    d = Math.max(d, Math.abs(a[j] - ref[j]));
    m = Math.max(m, Math.abs(ref[j]));
  }
  return d === 0 ? 0 : m === 0 ? Infinity : d / m;
}

function minus(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, j) => v - b[j]);
}
