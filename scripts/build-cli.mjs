// Bundles the CLI into one ESM file that plain `node` runs: dist/cli/pcnet.js.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

if (existsSync('src/cli/main.ts')) {
  await build({
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli/pcnet.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  // The pool's worker thread, loaded by the CLI from beside itself.
  await build({
    entryPoints: ['src/pool/job-worker.node.ts'],
    outfile: 'dist/cli/job-worker.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
  });
}
