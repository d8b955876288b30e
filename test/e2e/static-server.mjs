/**
 * A static file server for the end-to-end tests that play a stranger's page: the files under
 * `root` on a free port of 127.0.0.1 (an origin of its own), index.html for a folder, 404 for
 * anything missing or outside `root`. `cors` lets any origin read them (a bundle on a CDN);
 * `favicon` answers /favicon.ico with 204 (a page with none would log a 404).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.map': 'application/json',
};

export async function serveFolder(root, { cors = false, favicon = false } = {}) {
  const inside = root.endsWith(sep) ? root : root + sep;
  const server = createServer((req, res) => {
    const headers = cors ? { 'Access-Control-Allow-Origin': '*' } : {};
    if (favicon && req.url === '/favicon.ico') return void res.writeHead(204, headers).end();
    let path = resolve(root, `.${decodeURIComponent(new URL(req.url, 'http://x').pathname)}`);
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!path.startsWith(inside) || !existsSync(path))
      return void res.writeHead(404, headers).end();
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    res.writeHead(200, { ...headers, 'Content-Type': type });
    createReadStream(path).pipe(res);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return {
    base: `http://127.0.0.1:${server.address().port}/`,
    // Chromium keeps sockets open (some never carry a request), and close() would wait for them.
    close: () => new Promise((done) => server.close(done).closeAllConnections()),
  };
}
