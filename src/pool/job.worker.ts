/** A browser job worker: `new Worker(new URL('./job.worker.ts', import.meta.url), {type: 'module'})`. */
import { expose } from 'comlink';
import { jobWorkerApi } from './job-api';

expose(jobWorkerApi);
