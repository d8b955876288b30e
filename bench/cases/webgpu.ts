/**
 * `npm run bench -- --sections=webgpu [--quick]`: the 784-600-600-10 tanh tick (λM = λW =
 * 0.05), train and classify, B = 1, 32, 128 and 1,024, on our WebGPU driver (`GpuNetwork`,
 * src/model/gpu-network.ts: the whole tick on the GPU, divergence maxima read every
 * `checkEvery` = 50 ticks), our wasm path (`Network` on `bestBackend()`), and TensorFlow.js's
 * WebGPU backend (`@tensorflow/tfjs-backend-webgpu`, the same tick as bench/tfjs-network.ts),
 * the two GPU contenders on the same adapter (Dawn's, through the `webgpu` package) in the same
 * run; the adapter is named in the output. On SwiftShader (no GPU: VK_ICD_FILENAMES naming
 * chromium's vk_swiftshader_icd.json) every GPU figure is a CPU emulation and is labelled so.
 * Each figure: sample-ticks/s = B × ticks / seconds over a fixed number of ticks after one
 * warm-up tick, the GPU ones ending with a read of the results (so all the work is counted).
 * `--quick` takes few ticks (SwiftShader runs the B = 1,024 train tick in seconds).
 */
import { nodeGpuKernels } from '../../src/kernels/webgpu/node';
import { adapterName, isCpuEmulation } from '../../src/kernels/webgpu/cli';
import { GpuNetwork } from '../../src/model/gpu-network';
import { bestBackend } from '../../src/kernels/wasm';
import type { Mode } from '../../src/model/spec';
import type { BenchCase } from '../case';
import { format, tickNetwork, tickSpec, TICK_MODES } from '../suite';
import { TfNetwork } from '../tfjs-network';

const BATCHES = [1, 32, 128, 1024];

/** Ticks timed per figure: fewer for bigger batches (and far fewer with --quick). */
function ticksFor(batch: number, quick: boolean): number {
  if (quick) return batch >= 1024 ? 1 : batch >= 128 ? 2 : 4;
  return batch >= 1024 ? 5 : batch >= 128 ? 20 : 50;
}

export const webgpu: BenchCase = {
  name: 'webgpu',
  measures:
    '784-600-600-10 sample-ticks/s, B = 1 to 1,024, train and classify: our WebGPU driver, our wasm, TF.js WebGPU',
  part: 'node',
  slow: true,
  async run({ log }) {
    const quick = process.argv.includes('--quick');
    let gpu: Awaited<ReturnType<typeof nodeGpuKernels>>;
    try {
      gpu = await nodeGpuKernels();
    } catch (e) {
      log(`webgpu: not run: ${(e as Error).message}`);
      return { webgpu: { error: (e as Error).message } };
    }
    const { info } = gpu.gpu;
    const emulated = isCpuEmulation(info);
    const label = emulated ? ' (CPU emulation: these GPU figures are not a GPU’s)' : '';
    log(`WebGPU adapter: ${adapterName(info)}${label}`);
    // TF.js's WebGPU backend looks for navigator.gpu: Dawn's, a second instance (same adapter).
    const { create } = (await import('webgpu' as string)) as { create(o: string[]): GPU };
    const g = globalThis as { navigator?: { gpu?: GPU } };
    g.navigator ??= {} as { gpu?: GPU };
    g.navigator.gpu ??= create([]);
    let tf: typeof import('@tensorflow/tfjs-core') | null = null;
    let tfAdapter = '';
    try {
      tf = await import('@tensorflow/tfjs-core');
      await import('@tensorflow/tfjs-backend-webgpu');
      tf.enableProdMode();
      if (!(await tf.setBackend('webgpu'))) throw new Error('setBackend(webgpu) failed');
      const a = (
        tf.backend() as unknown as { adapterInfo?: { vendor: string; architecture: string } }
      ).adapterInfo;
      tfAdapter = a ? `${a.vendor} ${a.architecture}` : 'unknown';
      log(`TF.js ${tf.version_core} WebGPU backend on: ${tfAdapter}`);
    } catch (e) {
      log(`TF.js WebGPU: not run: ${(e as Error).message}`);
      tf = null;
    }
    log(
      `784-600-600-10 tanh, sample-ticks/s = B × ticks / s${quick ? ' (--quick: few ticks)' : ''}`,
    );
    log(
      '  mode      B      ticks  webgpu (ours)  wasm (ours)  tfjs-webgpu  ours/tfjs-webgpu  webgpu/wasm',
    );
    const rows: Record<string, unknown>[] = [];
    const started = performance.now();
    for (const batch of BATCHES) {
      for (const mode of TICK_MODES) {
        const n = ticksFor(batch, quick);
        const row = await measure(gpu.kernels, tf, mode, batch, n);
        rows.push({ mode, batch, ticks: n, ...row });
        const r = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');
        log(
          `  ${mode.padEnd(8)} ${String(batch).padStart(5)} ${String(n).padStart(6)}  ` +
            `${format(row.webgpu).padStart(13)}  ${format(row.wasm).padStart(11)}  ` +
            `${(row.tfjsWebgpu ? format(row.tfjsWebgpu) : '–').padStart(11)}  ` +
            `${r(row.webgpu, row.tfjsWebgpu).padStart(16)}  ${r(row.webgpu, row.wasm).padStart(11)}`,
        );
      }
    }
    const seconds = (performance.now() - started) / 1000;
    log(
      `  (${seconds.toFixed(0)} s${emulated ? '; GPU columns: SwiftShader, a CPU emulation' : ''})`,
    );
    return {
      webgpu: {
        adapter: info,
        adapterName: adapterName(info),
        cpuEmulation: emulated,
        tfAdapter,
        quick,
        seconds,
        rows,
      },
    };
  },
};

async function measure(
  kernels: Awaited<ReturnType<typeof nodeGpuKernels>>['kernels'],
  tf: typeof import('@tensorflow/tfjs-core') | null,
  mode: Mode,
  batch: number,
  n: number,
): Promise<{ webgpu: number; wasm: number; tfjsWebgpu: number }> {
  const rate = (seconds: number) => (batch * n) / seconds;
  // Ours, wasm: the same network, input and target as the other contenders.
  const net = tickNetwork(bestBackend(), batch, mode);
  net.step(1);
  net.resetState();
  let t0 = performance.now();
  net.step(n);
  const wasm = rate((performance.now() - t0) / 1000);
  net.resetState();
  // Ours, WebGPU.
  const g = new GpuNetwork(kernels, tickSpec(mode), { batch });
  g.setWeights(net.M, net.W);
  g.setInput(net.X);
  g.setTarget(net.Y);
  await g.step(1);
  g.resetState();
  await g.readState();
  t0 = performance.now();
  await g.step(n);
  const webgpu = rate((performance.now() - t0) / 1000);
  g.destroy();
  // TF.js WebGPU.
  let tfjsWebgpu = 0;
  if (tf) {
    // Dawn's pending reads do not keep Node's event loop alive (see encoder.ts).
    const keepAlive = setInterval(() => undefined, 1_000);
    const tfNet = new TfNetwork(tf, net);
    await tfNet.stepAsync(1);
    tfNet.reset();
    await tfNet.stepAsync(0);
    t0 = performance.now();
    await tfNet.stepAsync(n);
    tfjsWebgpu = rate((performance.now() - t0) / 1000);
    tfNet.dispose();
    clearInterval(keepAlive);
  }
  return { webgpu, wasm, tfjsWebgpu };
}
