// The demo gallery: `npm start` serves demo/ (each numbered folder is one page); `vite build`
// writes it to dist/demo with relative URLs, so the folder can be hosted anywhere.
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

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

export default defineConfig({
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
