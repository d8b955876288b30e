// Builds what the package ships for pages and bundlers (package.json "exports"). Needs
// `npm run build:wasm` first (the kernels are inlined from src/kernels/wasm/build/).
//
//   dist/lib/index.js        the public API: src/index.ts and components/index.ts; no side effects
//   dist/lib/define.js       registers <pc-network> and <pc-plot>
//   dist/lib/*.worker.js     the module workers, one self-contained file each
//   dist/bundle/             the folder a page with no build step copies: pc-network.js, one
//                            file with everything inlined, the tags registered, the API exported,
//                            the workers inlined as blob: URLs; its .map; and weights/, the
//                            trained networks (components/pc-network/weights/), which dist/lib
//                            uses too (the package carries them once: 9.1 MB)
//   dist/types/              declarations (tsconfig.build.json); dist/types/index.d.ts types `.`
//   dist/custom-elements.json  the manifest (custom-elements-manifest.config.mjs)
//
// index.js and define.js share chunks in dist/lib, so both see the same PcNetwork class. The
// dependencies (lit, rxjs, comlink, uplot, ml-pca) stay imports there, for the user's bundler.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = Object.keys(pkg.dependencies).flatMap((name) => [name, `${name}/*`]);
const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  tsconfig: 'tsconfig.json',
  metafile: true,
  logLevel: 'warning',
};

/** Runs a package's command-line script with this Node; a failure ends the build. */
function runBin(script, ...args) {
  execFileSync(process.execPath, [require.resolve(script), ...args], { stdio: 'inherit' });
}

function fail(message) {
  console.error(`build:lib: ${message}`);
  process.exit(1);
}

if (!existsSync('src/kernels/wasm/build/kernels-wasm.ts')) fail('run `npm run build:wasm` first');
rmSync('dist/lib', { recursive: true, force: true });
rmSync('dist/types', { recursive: true, force: true });
rmSync('dist/bundle', { recursive: true, force: true });
// Where the single file was built before it had a folder with its weights.
for (const old of ['dist/pc-network.js', 'dist/pc-network.js.map']) rmSync(old, { force: true });

/** The generated entry modules: no source file holds them. */
const ENTRIES = {
  'entry:index': "export * from './src/index';\nexport * from './components/index';\n",
  'entry:bundle':
    "export * from './src/index';\nexport * from './components/index';\nimport './components/define';\n",
};
const entries = {
  name: 'entries',
  setup(b) {
    b.onResolve({ filter: /^entry:/ }, (args) => ({ path: args.path, namespace: 'entry' }));
    b.onLoad({ filter: /.*/, namespace: 'entry' }, (args) => ({
      contents: ENTRIES[args.path],
      resolveDir: process.cwd(),
      loader: 'ts',
    }));
  },
};

/**
 * The engine starts its workers as `new Worker(new URL('./x.worker.ts', import.meta.url), …)`,
 * which Vite and the test runner serve from source; esbuild leaves such URLs alone. This plugin
 * rewrites them: with `inline: false` to `new URL('./x.worker.js', import.meta.url)`, the form
 * bundlers recognise, the worker built beside the output; with `inline: true` to a blob: URL of
 * the worker's code, made once. `found` collects each worker's name and source file.
 */
const WORKER_URL = /new URL\(\s*(['"`])\.\/([\w-]+\.worker)\.ts\1\s*,\s*import\.meta\.url\s*\)/g;
function workerUrls({ inline, found }) {
  return {
    name: 'worker-urls',
    setup(b) {
      b.onLoad({ filter: /[\\/](src|components)[\\/].*\.ts$/, namespace: 'file' }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const imports = new Set();
        const contents = text.replace(WORKER_URL, (_, _quote, name) => {
          const source = join(dirname(args.path), `${name}.ts`);
          if ((found.get(name) ?? source) !== source) fail(`two workers are named ${name}`);
          found.set(name, source);
          if (!inline) return `new URL('./${name}.js', import.meta.url)`;
          const id = `__${name.replace(/\W/g, '_')}Url`;
          imports.add(`import { url as ${id} } from ${JSON.stringify(`worker-blob:${source}`)};`);
          return `${id}()`;
        });
        if (contents === text) return undefined;
        // On the first line, so that the source map's lines still match.
        return { contents: [...imports].join('') + contents, loader: 'ts' };
      });
      b.onResolve({ filter: /^worker-blob:/ }, (args) => ({
        path: args.path.slice('worker-blob:'.length),
        namespace: 'worker-blob',
      }));
      b.onLoad({ filter: /.*/, namespace: 'worker-blob' }, async (args) => {
        const result = await buildWorker(args.path, { write: false, minify: true, outdir: 'x' });
        const code = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
        return {
          // Made once and kept for the page's life: a crashed worker restarts from the same URL.
          contents: `const code = ${JSON.stringify(code)};\nlet made;\nexport const url = () => (made ??= URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));\n`,
          loader: 'js',
        };
      });
    },
  };
}

/**
 * components/pc-network/trained.ts finds the trained networks at `new URL('./weights/…',
 * import.meta.url)`, beside the module. The package carries them once, in dist/bundle/weights/
 * (the folder a page copies must hold them), so for dist/lib this plugin rewrites them to
 * `new URL('../bundle/weights/…', import.meta.url)`, which bundlers follow just as well.
 */
const WEIGHTS_URL = /new URL\(\s*(['"`])\.\/weights\//g;
const libWeights = {
  name: 'lib-weights',
  setup(b) {
    b.onLoad({ filter: /[\\/]components[\\/]pc-network[\\/]trained\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(
        WEIGHTS_URL,
        'new URL($1../bundle/weights/',
      ),
      loader: 'ts',
    }));
  },
};

/** Bundles one worker into a single file that imports nothing, so it also runs from a blob: URL. */
async function buildWorker(source, options) {
  const result = await build({
    ...common,
    entryPoints: [source],
    sourcemap: !!options.outfile,
    ...options,
  });
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.js')) continue;
    if (output.imports.length > 0)
      fail(`${source} must bundle to one file, but imports ${output.imports[0].path}`);
    const text =
      options.write === false
        ? result.outputFiles.find((f) => f.path.endsWith('.js')).text
        : readFileSync(file, 'utf8');
    if (/import\.meta|["'`]\.\/[\w-]+\.worker\.ts["'`]/.test(text))
      fail(`${source}: a worker may not use import.meta or start workers`);
  }
  return result;
}

/** The names a module exports (values only: types are checked by tsc). */
async function exportNames(entry) {
  const { metafile } = await build({
    ...common,
    entryPoints: [entry],
    external,
    write: false,
    outdir: 'x',
  });
  return Object.values(metafile.outputs).flatMap((o) => o.exports);
}

// `export *` from two modules drops a name that both export, without a word: refuse instead.
const [engineNames, elementNames] = await Promise.all([
  exportNames('src/index.ts'),
  exportNames('components/index.ts'),
]);
const twice = engineNames.filter((n) => elementNames.includes(n));
if (twice.length > 0) fail(`src/index.ts and components/index.ts both export ${twice.join(', ')}`);

// dist/lib: index.js, define.js, their shared chunks and the workers, all in one folder (the
// workers' URLs are relative to the chunk that starts them).
const workers = new Map();
const lib = await build({
  ...common,
  entryPoints: { index: 'entry:index', define: 'components/define.ts' },
  outdir: 'dist/lib',
  splitting: true,
  chunkNames: '[name]-[hash]',
  sourcemap: true,
  external,
  plugins: [entries, libWeights, workerUrls({ inline: false, found: workers })],
});
for (const [name, source] of workers) await buildWorker(source, { outfile: `dist/lib/${name}.js` });
const bundled = Object.keys(lib.metafile.inputs).filter((f) => f.includes('node_modules'));
if (bundled.length > 0)
  fail(`dist/lib must leave packages to the user's bundler: ${bundled.join(', ')}`);
const exported = lib.metafile.outputs['dist/lib/index.js'].exports;
const missing = [...engineNames, ...elementNames].filter((n) => !exported.includes(n));
if (missing.length > 0) fail(`dist/lib/index.js does not export ${missing.join(', ')}`);

// dist/bundle/pc-network.js: the single file.
const BUNDLE = 'dist/bundle/pc-network.js';
const single = await build({
  ...common,
  entryPoints: { 'pc-network': 'entry:bundle' },
  outdir: 'dist/bundle',
  minify: true,
  sourcemap: true,
  plugins: [entries, workerUrls({ inline: true, found: new Map() })],
});
if (single.metafile.outputs[BUNDLE].imports.length > 0) fail(`${BUNDLE} must import nothing`);

// The trained networks, beside the single file; dist/lib's chunks ask for ../bundle/weights/.
const WEIGHTS = 'components/pc-network/weights';
const weightFiles = readdirSync(WEIGHTS).filter((f) => f.endsWith('.safetensors'));
if (weightFiles.length === 0) fail(`${WEIGHTS} holds no weights: run \`npm run weights\``);
for (const f of weightFiles) cpSync(join(WEIGHTS, f), join('dist/bundle/weights', f));

// Every URL left in the output (a worker, a weights file) names a file built or copied beside it.
for (const file of [...Object.keys(lib.metafile.outputs), BUNDLE]) {
  if (!file.endsWith('.js')) continue;
  const text = readFileSync(file, 'utf8');
  if (/["'`]\.\/[\w-]+\.worker\.ts["'`]/.test(text))
    fail(`${file} still starts a worker from its .ts source`);
  for (const [, url] of text.matchAll(
    /new URL\(\s*["'](\.\.?\/[^"']+)["']\s*,\s*import\.meta\.url/g,
  )) {
    if (!existsSync(join(dirname(file), url))) fail(`${file} asks for ${url}, which is not there`);
  }
}

// Types. tsc writes the specifiers as the sources have them ('./model/network'), which only
// `moduleResolution: bundler` follows; with `.js` added, Node's ESM resolution (node16, nodenext)
// follows them too.
runBin('typescript/bin/tsc', '-p', 'tsconfig.build.json');
// Where a type is inferred (`render()` returns `TemplateResult`), tsc names lit's internal
// packages, which a strict installer (pnpm) does not let pc-network see; `lit` re-exports them.
const LIT_INTERNAL = /import\("(lit-html|lit-element|@lit\/reactive-element)"\)/g;
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]*)\2/g;
function addExtensions(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) addExtensions(file);
    if (!entry.name.endsWith('.d.ts')) continue;
    const text = readFileSync(file, 'utf8');
    const fixed = text
      .replace(LIT_INTERNAL, 'import("lit")')
      .replace(SPECIFIER, (whole, keyword, quote, spec) => {
        if (/\.(js|mjs|json)$/.test(spec)) return whole;
        const target = join(dir, spec);
        const resolved = existsSync(`${target}.d.ts`)
          ? `${spec}.js`
          : existsSync(join(target, 'index.d.ts'))
            ? `${spec}/index.js`
            : fail(`${file}: cannot resolve ${spec}`);
        return `${keyword}${quote}${resolved}${quote}`;
      });
    if (fixed !== text) writeFileSync(file, fixed);
  }
}
addExtensions('dist/types');
writeFileSync(
  'dist/types/index.d.ts',
  "// The types of `pc-network` (dist/lib/index.js), written by scripts/build-lib.mjs.\nexport * from './src/index.js';\nexport * from './components/index.js';\n",
);

// The custom elements manifest.
runBin('@custom-elements-manifest/analyzer/cem.js', 'analyze', '--quiet');

const kb = (bytes) => `${(bytes / 1024).toFixed(1).padStart(6)} KB`;
const built = readdirSync('dist/lib')
  .filter((f) => f.endsWith('.js'))
  .map((f) => `dist/lib/${f}`);
for (const file of [...built, BUNDLE, 'dist/custom-elements.json']) {
  const bytes = readFileSync(file);
  console.log(`${file.padEnd(30)} ${kb(bytes.length)}  (gzip ${kb(gzipSync(bytes).length)})`);
}
const weightBytes = weightFiles.reduce((sum, f) => sum + statSync(join(WEIGHTS, f)).size, 0);
console.log(`${'dist/bundle/weights/'.padEnd(30)} ${kb(weightBytes)}  (${weightFiles.join(', ')})`);
