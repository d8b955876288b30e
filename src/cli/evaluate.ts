import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { classCosines, classImages, classMeanImages } from '../data/mnist';
import { loadMnistFromDisk } from '../data/mnist-node';
import { decodeNetwork } from '../io/safetensors';
import { accuracy, minAvgMax } from '../metrics';
import { Network } from '../model/network';
import {
  assertWritable,
  checkSpec,
  option,
  OPTIONS,
  specFlags,
  specOptions,
  UsageError,
} from './args';
import { writeDigitSheet } from './png';
import { evaluateData } from './data';

/**
 * `pcnet evaluate --weights FILE`: for an MNIST network (784 inputs, 10 outputs), the test
 * accuracy by the classify-mode equilibrium (the feed-forward pass) on the 10,000 test digits,
 * and the cosine similarity of the digit it generates for each class (from the zero state, the
 * paper's 60 s at dt = 0.002 unless --seconds/--dt say otherwise) to the class-mean training
 * digit (Tables 3, 4). `--images FILE.png` writes the class means above the generated digits.
 * With `--data FILE`, a network trained on a file, on that file's rows (see ./data.ts).
 */
export async function evaluateCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      weights: { type: 'string' },
      seconds: { type: 'string' },
      ...specOptions(['dt']),
      images: { type: 'string' },
      data: { type: 'string' },
      label: { type: 'string' },
      split: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (!values.weights) throw new UsageError('--weights FILE is required');
  // A network trained on a file, evaluated on a file (see ./data.ts).
  if (values.data !== undefined) {
    return evaluateData(values, option(values, OPTIONS.seconds, 60) as number);
  }
  if (values.label !== undefined || values.split !== undefined) {
    throw new UsageError('--label and --split are for --data FILE');
  }
  if (values.images !== undefined) await assertWritable(values.images, '--images');
  const seconds = option(values, OPTIONS.seconds, 60) as number;
  const { spec, M, W } = decodeNetwork(await readFile(values.weights));
  const n = spec.layers;
  if (n[0] !== 784 || n[n.length - 1] !== 10) {
    throw new UsageError(`evaluate needs an MNIST network (784-…-10), got ${n.join('-')}`);
  }
  // Checked before MNIST loads.
  const { dt } = checkSpec({ ...spec, dt: 0.002, ...specFlags(values, ['dt']) });
  const start = Date.now();
  const [train, test] = await Promise.all([loadMnistFromDisk('train'), loadMnistFromDisk('t10k')]);
  const c = new Network({ ...spec, mode: 'classify' }, { batch: test.count });
  c.setWeights(M, W);
  c.setInput(test.images);
  c.feedForward();
  const testAccuracy = accuracy(c.x(c.depth - 1), test.labels, test.count, 10);
  const g = new Network({ ...spec, mode: 'generate', dt }, { batch: 10 });
  g.setWeights(M, W);
  g.setTargetClass(Uint8Array.from({ length: 10 }, (_, i) => i));
  g.resetState();
  g.runFor(seconds);
  const means = classMeanImages(train, 10);
  const x = g.x(0);
  const cosines = classCosines(x, means);
  const { avg, max } = minAvgMax(cosines);
  if (values.images !== undefined) {
    await writeDigitSheet(values.images, [classImages(means), classImages(x)]);
  }
  const result = {
    weights: values.weights,
    layers: n.join('-'),
    testAccuracy,
    cosine: { avg, max, perClass: cosines },
    generate: { seconds, dt, lambdaX: spec.lambdaX, tau: spec.tau, from: 'zero state' },
    seconds: (Date.now() - start) / 1000,
  };
  if (values.json) console.log(JSON.stringify(result));
  else {
    console.log(
      `${values.weights}: test accuracy ${(testAccuracy * 100).toFixed(2)}%, cosine to the ` +
        `class means avg ${avg.toFixed(4)}, max ${max.toFixed(4)} ` +
        `(per class ${cosines.map((v) => v.toFixed(2)).join(' ')}); ${result.seconds.toFixed(1)} s`,
    );
  }
}
