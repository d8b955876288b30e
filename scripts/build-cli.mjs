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
    // Dawn's Node bindings (a native addon) load from node_modules at run time, and only
    // under --backend webgpu (src/kernels/webgpu/node.ts imports them dynamically).
    external: ['webgpu'],
    // pngjs (the image reader's PNG decoder) is CommonJS and requires Node's built-ins: the
    // bundle gets a `require` of its own for them.
    banner: {
      js: "#!/usr/bin/env node\nimport { createRequire as __cliRequire } from 'node:module';\nconst require = __cliRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  // The worker threads, loaded from beside the CLI: the pool's, and the split network's
  // (src/pool/split-node.ts, also used by bench/split.ts and test/cli/split.test.mjs).
  for (const [entry, out] of [
    ['src/pool/job-worker.node.ts', 'dist/cli/job-worker.js'],
    ['src/pool/split-worker.node.ts', 'dist/cli/split-worker.js'],
  ]) {
    await build({
      entryPoints: [entry],
      outfile: out,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
    });
  }
}
