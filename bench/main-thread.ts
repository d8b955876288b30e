/**
 * What a playing `<pc-network>` costs the page's thread, now that its maths runs in a worker.
 * A 784-600-600-10 network plays as fast as its worker goes (speed 10^6 ticks/s: every frame of
 * the worker's clock runs to its budget) for 5 s, while this page measures its own thread three
 * ways: the element's render work (performance.now() around every update of `<pc-network>` and
 * its `<pc-plot>`s), a `setInterval(…, 0)` probe that adds up how late it runs beyond its idle
 * period (anything on the thread delays it: renders, messages, style, layout and paint, garbage
 * collection; less the lateness it had at idle, when only other processes delay it), and the
 * long tasks (> 50 ms) a PerformanceObserver reports. The figure is the largest of the three,
 * in milliseconds per second of wall time (the target: under 100). `?engine=main` measures the
 * main-thread engine instead, for comparison.
 */
import '../components/define';
import { PcNetwork, PcPlot } from '../components/index';

const SECONDS = 5;
const out = document.getElementById('log')!;
// `?engine=main` measures the main-thread engine instead, for comparison.
const el = document.createElement('pc-network');
const attributes = { layers: '784-600-600-10', activation: 'tanh', speed: '1000000' };
for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
el.setAttribute('engine', new URLSearchParams(location.search).get('engine') ?? 'worker');
out.before(el);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function log(line: string): void {
  out.textContent = out.textContent === 'starting…' ? line : `${out.textContent}\n${line}`;
  console.log(line);
}

/** Adds the time of every update of elements of class `of` to `total.ms`. */
function timeUpdates(of: { prototype: object }, total: { ms: number; count: number }): void {
  const proto = of.prototype as { performUpdate(): void };
  const performUpdate = proto.performUpdate;
  proto.performUpdate = function (this: unknown) {
    const t0 = performance.now();
    try {
      performUpdate.call(this);
    } finally {
      total.ms += performance.now() - t0;
      total.count++;
    }
  };
}

/** Runs a `setInterval(…, 0)` probe; `stop()` gives the gaps between its runs, in ms. */
function probe(): { stop(): number[] } {
  const gaps: number[] = [];
  let last = performance.now();
  const id = setInterval(() => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  }, 0);
  return { stop: () => (clearInterval(id), gaps) };
}

/** A ring, so that the input X (and with it every layer) is not all zeros. */
function ring(): Float32Array {
  const image = new Float32Array(784);
  for (let r = 0; r < 28; r++) {
    for (let c = 0; c < 28; c++) image[r * 28 + c] = Math.hypot(r - 13.5, c - 13.5) < 8 ? 1 : 0;
  }
  return image;
}

async function run(): Promise<void> {
  await customElements.whenDefined('pc-network');
  await el.updateComplete; // the worker is up and the network built
  el.clampInput(ring());
  await el.updateComplete;

  // The idle baseline: the probe's period, and how late it runs with the element at rest
  // (another busy process on the machine delays it too).
  const idle = probe();
  const i0 = performance.now();
  await sleep(2000);
  const idleSeconds = (performance.now() - i0) / 1000;
  const idleGaps = idle.stop();
  const period = [...idleGaps].sort((a, b) => a - b)[Math.floor(idleGaps.length / 2)];
  const lateness = (gaps: number[]) => gaps.reduce((sum, g) => sum + Math.max(0, g - period), 0);
  const idleLate = lateness(idleGaps) / idleSeconds;

  const render = { ms: 0, count: 0 };
  timeUpdates(PcNetwork, render);
  timeUpdates(PcPlot, render);
  let longTasks = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks += entry.duration;
  });
  observer.observe({ type: 'longtask' });
  const tick0 = el.snapshot.tick;
  const busy = probe();
  const t0 = performance.now();
  el.play();
  await sleep(SECONDS * 1000);
  el.pause();
  const seconds = (performance.now() - t0) / 1000;
  const gaps = busy.stop();
  observer.disconnect();
  await el.updateComplete;

  const perSecond = (ms: number) => ms / seconds;
  const late = perSecond(lateness(gaps)) - idleLate;
  const figure = Math.max(perSecond(render.ms), late, perSecond(longTasks));
  log(`${((el.snapshot.tick - tick0) / seconds).toFixed(0)} ticks/s in the worker`);
  log(`render work: ${perSecond(render.ms).toFixed(1)} ms/s in ${render.count} updates`);
  log(
    `probe lateness: ${late.toFixed(1)} ms/s beyond idle (idle: ${idleLate.toFixed(1)} ms/s, ` +
      `period ${period.toFixed(2)} ms)`,
  );
  log(`long tasks: ${perSecond(longTasks).toFixed(1)} ms/s`);
  log(`main-thread ms per second: ${figure.toFixed(1)}`);
  window.pcMainThread = {
    engine: el.getAttribute('engine') ?? 'worker',
    kernels: el.kernels,
    ticksPerSecond: (el.snapshot.tick - tick0) / seconds,
    renderMsPerSecond: perSecond(render.ms),
    renderUpdates: render.count,
    probeLatenessMsPerSecond: late,
    idleLatenessMsPerSecond: idleLate,
    longTaskMsPerSecond: perSecond(longTasks),
    msPerSecond: figure,
  };
}

declare global {
  interface Window {
    /** The figures, for bench/run-main-thread.mjs; `error` if the run failed. */
    pcMainThread?: Record<string, number | string>;
  }
}

run().catch((e: unknown) => {
  log(`failed: ${(e as Error).stack ?? String(e)}`);
  window.pcMainThread = { error: String(e) };
});
