/** A split-network worker in a page: `new Worker(new URL('./split.worker.ts', import.meta.url), {type: 'module'})`. */
import { expose } from 'comlink';
import { splitWorkerApi } from './split-api';

expose(splitWorkerApi(() => (globalThis as unknown as { close(): void }).close()));
