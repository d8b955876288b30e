import { wrap } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { Worker } from 'node:worker_threads';
import type { NetworkSpecInput } from '../model/spec';
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
  const worker = new Worker(workerUrl);
  const api = wrap<SplitWorkerApi>(nodeEndpoint(worker));
  let failed = false;
  const failures: ((error: Error) => void)[] = [];
  const fail = (error: Error): void => {
    if (failed) return;
    failed = true;
    failures.forEach((f) => f(error));
  };
  worker.on('error', fail);
  let terminated = false;
  worker.on('exit', (code) => {
    if (!terminated) fail(new Error(`worker exited with code ${code}`));
  });
  return {
    api,
    onFailure: (callback) => failures.push(callback),
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
  };
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
