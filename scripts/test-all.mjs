#!/usr/bin/env node
// `npm test`: every check, in two lanes that run side by side, since neither keeps both cores
// busy alone (the browser tests mostly wait on one Chromium, the CLI and e2e tests on Node
// processes and a headless page). Each lane runs its steps in order and stops at the first that
// fails; a step's output is printed whole when it ends, so the lanes' lines never interleave.
// At the end: every step's time, and the exit code 1 if any step failed.
//
//   first:  build:wasm (both lanes need it)
//   lane 1: format:check → lint → typecheck → test:browser
//   lane 2: test:cli → test:e2e
//
// `npm test -- --serial` runs the same steps one after another (lane 1, then lane 2's rest).
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const LANES = [
  ['build:wasm', 'format:check', 'lint', 'typecheck', 'test:browser'],
  ['test:cli', 'test:e2e'],
];

const serial = process.argv.includes('--serial');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const times = [];

/** Runs `npm run <script>`, output buffered; resolves with its exit code. */
function run(script) {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(npm, ['run', '--silent', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      const status = code === 0 ? 'ok' : `FAILED (${signal ?? `exit ${code}`})`;
      times.push({ script, seconds, status });
      process.stdout.write(`\n== ${script}: ${status} in ${seconds.toFixed(1)} s\n`);
      process.stdout.write(Buffer.concat(chunks));
      resolve(code ?? 1);
    });
  });
}

async function lane(scripts) {
  for (const script of scripts) if ((await run(script)) !== 0) return false;
  return true;
}

const started = performance.now();
let ok;
if (serial) {
  ok = (await lane(LANES[0])) && (await lane(LANES[1]));
} else {
  const wasm = await run(LANES[0][0]);
  if (wasm !== 0) ok = false;
  else {
    const results = await Promise.all([lane(LANES[0].slice(1)), lane(LANES[1])]);
    ok = results.every(Boolean);
  }
}
const total = (performance.now() - started) / 1000;
process.stdout.write('\n== npm test: step times\n');
for (const t of times) {
  process.stdout.write(
    `  ${t.script.padEnd(14)} ${t.seconds.toFixed(1).padStart(6)} s  ${t.status}\n`,
  );
}
process.stdout.write(`  ${'total'.padEnd(14)} ${total.toFixed(1).padStart(6)} s\n`);
process.exit(ok ? 0 : 1);
