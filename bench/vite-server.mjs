// The Vite dev server the browser benchmarks load their pages from (run-browser.mjs,
// run-main-thread.mjs): the repository's root, on a free local port, no HMR, no watching.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Starts the server; returns it and its base URL (close it with `server.close()`). */
export async function startBenchServer() {
  const server = await createServer({
    configFile: false,
    root: repo,
    logLevel: 'error',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  try {
    await server.listen();
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new Error('Vite did not report its URL');
    return { server, base };
  } catch (error) {
    await server.close();
    throw error;
  }
}
