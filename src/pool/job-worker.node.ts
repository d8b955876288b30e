/** A Node job worker (worker_threads), bundled by the CLI build as dist/cli/job-worker.js. */
import { expose } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { parentPort } from 'node:worker_threads';
import { jobWorkerApi } from './job-api';

if (!parentPort) throw new Error('job-worker: not started as a worker thread');
expose(jobWorkerApi, nodeEndpoint(parentPort));
