/** A split-network worker thread in Node, bundled by the CLI build as dist/cli/split-worker.js. */
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { splitWorkerApi } from './split-api';

if (!parentPort) throw new Error('split-worker: not started as a worker thread');
expose(
  splitWorkerApi(() => process.exit(1)),
  nodeEndpoint(parentPort),
);
