import { Worker } from 'node:worker_threads';
import type { NetworkSpecInput } from '../model/spec';
import { wrapNodeWorker } from './node';
import { SplitNetwork, type SplitNetworkOptions, type SplitWorker } from './split';
import type { SplitWorkerApi } from './split-protocol';

/**
 * Starts one Node worker thread for a split network, running `workerUrl` (default: the CLI
 * bundle's `split-worker.js` beside this file; from the sources under tsx,
 * `src/pool/split-worker.node.ts`).
 */
export function spawnNodeSplitWorker(
  workerUrl: URL = new URL('./split-worker.js', import.meta.url),
): SplitWorker {
  return wrapNodeWorker<SplitWorkerApi>(new Worker(workerUrl));
}

/**
 * A {@link SplitNetwork} on Node worker threads, which always share memory: `workers` threads
 * tick it together unless `shared: false`.
 */
export function createNodeSplitNetwork(
  spec: NetworkSpecInput,
  options: SplitNetworkOptions & { workerUrl?: URL } = {},
): Promise<SplitNetwork> {
  const { workerUrl, ...rest } = options;
  return SplitNetwork.create(spec, rest, () => spawnNodeSplitWorker(workerUrl));
}
