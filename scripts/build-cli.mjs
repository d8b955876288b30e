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
}
