import { expect } from '@open-wc/testing';
import { CancelledError } from '../../src/experiments/types';
import { planE4, runE4Job } from '../../src/experiments/e4';
import { createBrowserPool } from '../../src/pool/browser';
import type { JobPool } from '../../src/pool/pool';

describe('JobPool (real module workers)', () => {
  let pool: JobPool | undefined;
  afterEach(() => pool?.terminate());

  it('runs jobs across workers and returns results in job order', async () => {
    pool = createBrowserPool({ size: 2 });
    const results = await pool.run<number>('test:double', [1, 2, 3, 4, 5, 6]);
    expect(results).to.deep.equal([2, 4, 6, 8, 10, 12]);
  });

  it('gives the same E4 samples as the main thread, bit for bit, and reports progress', async () => {
    // The same kernels as this thread's (the page's default, plain JavaScript).
    pool = createBrowserPool({ size: 2, backend: 'js' });
    const jobs = planE4({ seed: 3, quick: true }).slice(0, 2);
    const seen: number[] = [];
    const results = await pool.run<Float32Array>('E4', jobs, { onProgress: (f) => seen.push(f) });
    jobs.forEach((job, i) =>
      expect(Array.from(results[i])).to.deep.equal(Array.from(runE4Job(job))),
    );
    expect(seen.length).to.be.greaterThan(0);
    expect(seen[seen.length - 1]).to.equal(1);
  });

  it('replaces a crashed worker, retries once, then fails the job with a clear error', async () => {
    pool = createBrowserPool({ size: 1, retries: 1 });
    let error: Error | undefined;
    await pool.run('test:crash', [0]).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/job 0 \(test:crash\) failed: the worker crashed/);
    expect(await pool.run<number>('test:double', [21])).to.deep.equal([42]);
  });

  it('fails a hung job after its timeout and stays ready', async () => {
    pool = createBrowserPool({ size: 1, jobTimeoutMs: 300, retries: 0 });
    let error: Error | undefined;
    await pool.run('test:hang', [0]).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/did not finish within 300 ms/);
    expect(await pool.run<number>('test:double', [4])).to.deep.equal([8]);
  });

  it('cancels a run and stays ready for the next', async () => {
    pool = createBrowserPool({ size: 2 });
    const controller = new AbortController();
    const running = pool.run('test:hang', [0, 1, 2], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    let error: unknown;
    await running.catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(CancelledError);
    expect(await pool.run<number>('test:double', [1, 2])).to.deep.equal([2, 4]);
  });

  it('rejects an unknown job kind with the known ones named', async () => {
    pool = createBrowserPool({ size: 1 });
    let error: Error | undefined;
    await pool.run('E99', [0]).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/unknown job kind "E99"; known: E4/);
  });
});
