/**
 * Runs a browser script of bench/ (run-browser.mjs: the same rows in headless Chromium and in
 * Node, alternately, side by side; run-main-thread.mjs) and lets it print; with `json`,
 * returns its JSON.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function runScript(
  name: string,
  nodeArgs: string[],
  json: boolean,
  log: (line?: string) => void,
): Promise<unknown> {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  const args = [...nodeArgs, script, ...(json ? ['--json'] : [])];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      if (code !== 0) {
        process.exitCode = 1;
        log(`${name} failed (exit code ${code})`);
      }
      if (!json) return resolve(code === 0 ? 'printed above' : { error: `exit code ${code}` });
      try {
        resolve(JSON.parse(out));
      } catch {
        resolve({ error: `exit code ${code}`, output: out });
      }
    });
  });
}
