import { proxy, type Remote } from 'comlink';
import { CancelledError } from '../experiments/types';
import type { JobWorkerApi } from './protocol';

/** One worker of a pool, however it was made (a page's Worker, a Node worker thread). */
export interface PoolWorker {
  readonly api: Remote<JobWorkerApi>;
  /** Calls `callback` once if the worker crashes (an uncaught error, an abnormal exit). */
  onFailure(callback: (error: Error) => void): void;
  terminate(): void;
}

export interface PoolOptions {
  /** Workers in the pool (at least 1). */
  size: number;
  /** Makes a worker; called at start and to replace one that crashed, hung or was cancelled. */
  spawn: () => PoolWorker;
  /** A job still running after this many milliseconds counts as hung. Default: no limit. */
  jobTimeoutMs?: number;
  /**
   * How often a job is run again on a fresh worker after its worker crashed or hung. Default 1:
   * a job is deterministic, so a retry gives the result the first run would have given. An
   * error the job itself throws (a divergence, bad input) is never retried.
   */
  retries?: number;
}

export interface RunOptions {
  /** The fraction of the run's jobs done, averaged over jobs. */
  onProgress?: (fraction: number) => void;
  /** Aborting rejects the run with a `CancelledError`; the pool stays ready for the next. */
  signal?: AbortSignal;
}

interface Task {
  kind: string;
  job: unknown;
  attempts: number;
  run: RunState;
  index: number;
}

interface RunState {
  results: unknown[];
  progress: Float64Array;
  left: number;
  done: boolean;
  resolve: (results: unknown[]) => void;
  reject: (error: Error) => void;
  onProgress?: (fraction: number) => void;
}

interface Slot {
  worker: PoolWorker;
  task: Task | null;
  /** Ends the running task's wait with this error (crash, timeout, cancel). */
  interrupt: ((error: Error) => void) | null;
}

/**
 * A pool of job workers: runs batches of independent, deterministic jobs (see `jobs.ts`) and
 * returns their results in job order, so the result never depends on the number of workers.
 * A worker that crashes or hangs past `jobTimeoutMs` is terminated and replaced; its job is
 * retried (`retries`) and then fails with an error that says what happened. Nothing waits
 * forever.
 */
export class JobPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    if (!Number.isInteger(options.size) || options.size < 1) {
      throw new RangeError(`pool size must be a whole number of at least 1, got ${options.size}`);
    }
    for (let i = 0; i < options.size; i++) this.slots.push(this.makeSlot());
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs every job of `kind`; resolves with their results in the order of `jobs`. */
  run<R>(kind: string, jobs: readonly unknown[], options: RunOptions = {}): Promise<R[]> {
    if (this.closed) return Promise.reject(new Error('the pool was terminated'));
    return new Promise<R[]>((resolve, reject) => {
      const run: RunState = {
        results: new Array(jobs.length),
        progress: new Float64Array(jobs.length),
        left: jobs.length,
        done: false,
        resolve: resolve as (r: unknown[]) => void,
        reject,
        onProgress: options.onProgress,
      };
      if (jobs.length === 0) return resolve([]);
      const { signal } = options;
      if (signal?.aborted) return reject(new CancelledError());
      signal?.addEventListener('abort', () => this.cancel(run), { once: true });
      jobs.forEach((job, index) => this.queue.push({ kind, job, attempts: 0, run, index }));
      this.pump();
    });
  }

  /** Ends every worker; running and queued jobs fail. */
  terminate(): void {
    this.closed = true;
    for (const task of this.queue.splice(0))
      this.finish(task, new Error('the pool was terminated'));
    for (const slot of this.slots) {
      slot.interrupt?.(new Error('the pool was terminated'));
      slot.worker.terminate();
    }
  }

  private makeSlot(): Slot {
    const slot: Slot = { worker: this.options.spawn(), task: null, interrupt: null };
    this.watch(slot);
    return slot;
  }

  private watch(slot: Slot): void {
    const worker = slot.worker;
    worker.onFailure((error) => {
      if (slot.worker !== worker || this.closed) return;
      if (slot.interrupt) slot.interrupt(new Error(`the worker crashed: ${error.message}`));
      else this.replace(slot);
    });
  }

  private replace(slot: Slot): void {
    slot.worker.terminate();
    slot.worker = this.options.spawn();
    this.watch(slot);
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.task || this.closed) continue;
      const task = this.queue.shift();
      if (!task) return;
      void this.execute(slot, task);
    }
  }

  private async execute(slot: Slot, task: Task): Promise<void> {
    slot.task = task;
    task.attempts++;
    const { run } = task;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const interrupted = new Promise<never>((_, reject) => {
      slot.interrupt = reject;
      const ms = this.options.jobTimeoutMs;
      if (ms !== undefined && Number.isFinite(ms)) {
        timer = setTimeout(() => reject(new Error(`the job did not finish within ${ms} ms`)), ms);
      }
    });
    const onProgress = proxy((f: number) => {
      run.progress[task.index] = f;
      run.onProgress?.(run.progress.reduce((a, b) => a + b, 0) / run.progress.length);
    });
    try {
      const result = await Promise.race([
        slot.worker.api.run(task.kind, task.job, onProgress),
        interrupted,
      ]);
      onProgress(1);
      this.finish(task, null, result);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const workerFault =
        error.message.startsWith('the worker crashed') ||
        error.message.startsWith('the job did not');
      if (workerFault || error instanceof CancelledError) this.replace(slot);
      const retries = this.options.retries ?? 1;
      if (workerFault && task.attempts <= retries && !run.done && !this.closed)
        this.queue.unshift(task);
      else
        this.finish(
          task,
          workerFault
            ? new Error(`job ${task.index} (${task.kind}) failed: ${error.message}`)
            : error,
        );
    } finally {
      clearTimeout(timer);
      slot.task = null;
      slot.interrupt = null;
      this.pump();
    }
  }

  private finish(task: Task, error: Error | null, result?: unknown): void {
    const run = task.run;
    if (run.done) return;
    if (error) {
      run.done = true;
      this.dropQueued(run);
      run.reject(error);
      return;
    }
    run.results[task.index] = result;
    if (--run.left === 0) {
      run.done = true;
      run.resolve(run.results);
    }
  }

  private cancel(run: RunState): void {
    if (run.done) return;
    run.done = true;
    this.dropQueued(run);
    for (const slot of this.slots)
      if (slot.task?.run === run) slot.interrupt?.(new CancelledError());
    run.reject(new CancelledError());
  }

  private dropQueued(run: RunState): void {
    for (let i = this.queue.length - 1; i >= 0; i--)
      if (this.queue[i].run === run) this.queue.splice(i, 1);
  }
}
