import { parseArgs } from 'node:util';
import { makePrototypeData } from '../data/synthetic';
import { oneHot } from '../data/mnist';
import { classifyAccuracy } from '../experiments/e3';
import type { MnistData } from '../experiments/mnist';
import {
  type LabelledData,
  trainAcceleratedOnData,
  trainContinuous,
} from '../experiments/protocol';
import type { encodeNetwork } from '../io/safetensors';
import type { RelaxGuard } from '../model/accelerated';
import { networkWithAdam } from '../model/optimizer';
import type { ParamName } from '../model/params';
import { type NetworkSpecInput, parseLayers } from '../model/spec';
import { getPreset, type Preset, PRESETS } from '../presets';
import { adapterName, selectedWebGpu, webgpuSettings } from '../kernels/webgpu/cli';
import { GpuAdam } from '../model/gpu-accelerated';
import { GpuNetwork } from '../model/gpu-network';
import { trainAcceleratedOnDataGpu, trainContinuousGpu } from '../model/gpu-train';
import {
  assertWritable,
  checkSpec,
  option,
  OPTIONS,
  specFlags,
  specOptions,
  UsageError,
} from './args';
import { progressPrinter } from './format';
import {
  dataMetadata,
  defaultLayers,
  fileTrainData,
  isDataFile,
  readTrainData,
  testAccuracy,
} from './data';

/** The spec fields `pcnet train` takes as flags (each row's `flag` in PARAMS). */
const TRAIN_FLAGS: readonly ParamName[] = [
  'layers',
  'activation',
  'nu',
  'tau',
  'gamma',
  'dt',
  'lambdaX',
  'lambdaM',
  'lambdaW',
  'seed',
  'tiedInit',
  'inputClamp',
];

interface TrainDeps {
  writeFile: (path: string, data: Uint8Array) => Promise<void>;
  encodeNetwork: typeof encodeNetwork;
  loadMnist: () => Promise<MnistData>;
}

/**
 * `pcnet train`: continuous-time training (eqs. 2.2 to 3.12) of a preset or a custom network,
 * or with `--method accelerated`, the accelerated equilibrium of section 2.2.
 */
export async function trainCommand(args: string[], deps: TrainDeps): Promise<void> {
  const str = { type: 'string' } as const;
  const { values } = parseArgs({
    args,
    options: {
      preset: str,
      ...specOptions(TRAIN_FLAGS),
      data: str,
      label: str,
      'test-fraction': str,
      grid: str,
      invert: { type: 'boolean' },
      epochs: str,
      hold: str,
      batch: str,
      samples: str,
      method: str,
      iterations: str,
      rate: str,
      optimizer: str,
      'learning-rate': str,
      'lr-decay': str,
      out: str,
      json: { type: 'boolean', default: false },
    },
  });
  // The spec flags' options come from PARAMS, so their names are not in the type.
  const given = values as typeof values & { layers?: string; activation?: string };
  const named = values.preset && Object.hasOwn(PRESETS, values.preset) ? values.preset : null;
  // A preset names its method (mnist-classifier: accelerated); --method overrides it.
  const method = values.method ?? (named && PRESETS[named].train.method) ?? 'continuous';
  if (method !== 'continuous' && method !== 'accelerated') {
    throw new UsageError(`--method must be continuous or accelerated, got "${method}"`);
  }
  if (!values.out) throw new UsageError('--out FILE is required');
  // A data file (--data FILE.csv|FILE.json) is read first: its shape gives the default layers.
  const file = isDataFile(values.data) ? await readTrainData(values) : undefined;
  if (!file && (values.label ?? values['test-fraction']) !== undefined) {
    throw new UsageError('--label and --test-fraction are for --data FILE.csv|FILE.json');
  }
  if (!file && (values.grid ?? values.invert) !== undefined) {
    throw new UsageError('--grid and --invert are for --data DIR|FILE.zip (images)');
  }
  if (!values.preset && !given.layers && !file) {
    throw new UsageError('give --preset NAME or --layers');
  }
  let base: Preset;
  if (values.preset) {
    try {
      base = getPreset(values.preset);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  } else {
    const { layers } = checkSpec({ layers: given.layers ?? defaultLayers(file!) });
    const kind = file ? 'synthetic' : (values.data ?? 'synthetic');
    if (kind !== 'synthetic' && kind !== 'mnist') {
      throw new UsageError(
        `--data must be synthetic, mnist or a .csv or .json file, got "${kind}"`,
      );
    }
    base = {
      name: 'custom',
      description: 'custom',
      spec: {
        layers,
        // A file's network defaults to tanh: without biases, σ of inputs centred on 0.
        activation: (given.activation ??
          (file ? 'tanh' : 'identity')) as NetworkSpecInput['activation'],
      },
      data:
        kind === 'mnist'
          ? { kind: 'mnist', digits: 1000 }
          : {
              kind: 'synthetic',
              classes: layers[layers.length - 1],
              dim: layers[0],
              samples: 200,
              seed: 1,
            },
      train: { epochs: 10, holdSeconds: 2, batch: 20 },
    };
  }
  // The accelerated method holds x(1) at X while it trains; its networks classify the same way
  // (with x(1) only pulled towards X, trained weights can drive x(1)–ε(2) into oscillation).
  const spec: NetworkSpecInput = {
    ...base.spec,
    ...(method === 'accelerated' ? { inputClamp: 'hold' as const } : {}),
    // With a preset, its layers stand (the data fits them) and --layers is not read.
    ...specFlags(
      values,
      TRAIN_FLAGS.filter((name) => !values.preset || name !== 'layers'),
    ),
  };
  const resolved = checkSpec({ ...spec, mode: 'train' });
  const epochs = option(values, OPTIONS.epochs, base.train.epochs) as number;
  const hold = option(values, OPTIONS.hold, base.train.holdSeconds) as number;
  const batch = option(values, OPTIONS.batch, base.train.batch) as number;
  const samples = option(values, OPTIONS.samples);
  const accelerated = method === 'accelerated' ? acceleratedOptions(values) : undefined;
  await assertWritable(values.out, '--out');
  const data = file ? fileTrainData(file, resolved) : await loadData(base, spec, samples, deps);
  // With Adam, its moments beside the weights in the network's memory (its step runs in place).
  const { net, adam: optimizer } = networkWithAdam(
    { ...spec, mode: 'train' },
    { batch },
    accelerated?.adam,
  );
  const start = Date.now();
  const progress = progressPrinter('train');
  let ticks = 0;
  let guard: RelaxGuard | undefined;
  const gpu = selectedWebGpu();
  const onProgress = (f: number) => void progress(f, `${epochs} epochs`);
  if (gpu) {
    // --backend webgpu: the same training on the GPU (the same initial weights, batches and
    // steps), then the weights read back into `net` for the file and the accuracies.
    const g = new GpuNetwork(gpu.kernels, { ...spec, mode: 'train' }, { batch });
    const gAdam = accelerated?.adam ? new GpuAdam(g, accelerated.adam) : undefined;
    try {
      if (accelerated) {
        const opts = { ...accelerated, adam: gAdam, epochs, shuffleSeed: g.spec.seed, onProgress };
        guard = (await trainAcceleratedOnDataGpu(g, data, opts)).guard;
      } else {
        ticks = await trainContinuousGpu(g, data, {
          epochs,
          holdSeconds: hold,
          shuffleSeed: g.spec.seed,
          onProgress,
        });
      }
      const w = await g.readWeights();
      net.setWeights(w.M, w.W);
    } finally {
      g.destroy();
      gAdam?.destroy();
    }
  } else if (accelerated) {
    guard = trainAcceleratedOnData(net, data, {
      ...accelerated,
      adam: optimizer,
      epochs,
      shuffleSeed: net.spec.seed,
      onProgress,
    }).guard;
  } else {
    ticks = trainContinuous(net, data, {
      epochs,
      holdSeconds: hold,
      shuffleSeed: net.spec.seed,
      onProgress,
    });
  }
  progressPrinter.done();
  net.setMode('classify');
  const bytes = deps.encodeNetwork(net.spec, net.M, net.W, file && dataMetadata(file));
  await deps.writeFile(values.out, bytes);
  const summary = {
    out: values.out,
    bytes: bytes.length,
    layers: net.spec.layers.join('-'),
    method,
    ticks,
    ...(guard ? { relaxGuard: guard } : {}),
    trainAccuracy: classifyAccuracy(net, data),
    ...(file && {
      data: file.meta.file,
      classNames: file.meta.classNames,
      rows: { train: file.train.count, test: file.test.count },
      testAccuracy: testAccuracy(net, file),
    }),
    seconds: (Date.now() - start) / 1000,
    ...(gpu ? webgpuSettings(gpu.gpu.info) : {}),
  };
  if (values.json) console.log(JSON.stringify(summary));
  else {
    console.log(
      `wrote ${summary.out} (${summary.bytes} bytes): ${summary.layers}, ` +
        (accelerated ? `accelerated, ${epochs} epochs, ` : `${ticks} ticks, `) +
        `training accuracy ${(summary.trainAccuracy * 100).toFixed(1)}%, ` +
        (typeof summary.testAccuracy === 'number'
          ? `test accuracy ${(summary.testAccuracy * 100).toFixed(1)}% (${file!.test.count} rows), `
          : '') +
        `${summary.seconds.toFixed(1)} s` +
        (gpu ? `, on webgpu: ${adapterName(gpu.gpu.info)}` : ''),
    );
  }
}

/**
 * `--method accelerated`: the accelerated equilibrium of section 2.2 (as E7), with
 * `--iterations` (80), `--rate` (0.1), `--optimizer adam|sgd` (adam), `--learning-rate` (Adam's
 * α 0.001, or the plain step 0.1) and `--lr-decay` (0.85 per epoch with Adam, 1 with sgd).
 */
function acceleratedOptions(values: Record<string, unknown>) {
  const optimizer = (values.optimizer as string | undefined) ?? 'adam';
  if (optimizer !== 'adam' && optimizer !== 'sgd') {
    throw new UsageError(`--optimizer must be adam or sgd, got "${optimizer}"`);
  }
  const adam = optimizer === 'adam';
  const iterations = option(values, OPTIONS.iterations, 80) as number;
  const rate = option(values, OPTIONS.rate, 0.1) as number;
  const learningRate = option(values, OPTIONS.learningRate, adam ? 0.001 : 0.1) as number;
  const learningRateDecay = option(values, OPTIONS.lrDecay, adam ? 0.85 : 1) as number;
  return {
    iterations,
    rate,
    learningRate,
    learningRateDecay,
    adam: adam ? { learningRate } : undefined,
  };
}

async function loadData(
  preset: Preset,
  spec: NetworkSpecInput,
  samples: number | undefined,
  deps: TrainDeps,
): Promise<LabelledData> {
  const layers = parseLayers(spec.layers);
  if (preset.data.kind === 'mnist') {
    if (layers[0] !== 784 || layers[layers.length - 1] !== 10) {
      throw new UsageError(`MNIST needs 784 inputs and 10 outputs, got ${layers.join('-')}`);
    }
    const { train } = await deps.loadMnist();
    const n = Math.min(samples ?? preset.data.digits, train.count);
    const labels = train.labels.subarray(0, n);
    return {
      inputs: train.images.subarray(0, n * 784),
      labels,
      targets: oneHot(labels, 10),
      count: n,
      dim: 784,
      classes: 10,
    };
  }
  const d = preset.data;
  if (layers[0] !== d.dim || layers[layers.length - 1] !== d.classes) {
    throw new UsageError(
      `the synthetic data has ${d.dim} inputs and ${d.classes} classes; layers are ${layers.join('-')}`,
    );
  }
  return makePrototypeData({
    classes: d.classes,
    dim: d.dim,
    samples: samples ?? d.samples,
    seed: d.seed,
  });
}
