/** The job pool: independent experiment jobs over workers (pages and Node alike). */
export { JobPool } from './pool';
export type { PoolOptions, PoolWorker, RunOptions } from './pool';
export { runJob, JOB_RUNNERS } from './jobs';
export type { JobKind } from './jobs';
export type { JobWorkerApi } from './protocol';
