/** A Node job worker (worker_threads), bundled by the CLI build as dist/cli/job-worker.js. */
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { loadMnistFromDisk } from '../data/mnist-node';
import { jobWorkerApi } from './job-api';
import { setMnistLoader } from './jobs';

if (!parentPort) throw new Error('job-worker: not started as a worker thread');
setMnistLoader(async () => {
  const [train, test] = await Promise.all([loadMnistFromDisk('train'), loadMnistFromDisk('t10k')]);
  return { train, test };
});
expose(jobWorkerApi, nodeEndpoint(parentPort));
