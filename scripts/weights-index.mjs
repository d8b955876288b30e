// Lists the shipped weights files for the MNIST demo (demo/public/weights/index.json), so the
// page never requests a file that is not there.
import { readdirSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

const dir = 'demo/public/weights/';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.safetensors'))
  .sort();
// Formatted as `npm test`'s prettier check wants it.
const path = `${dir}index.json`;
const config = await resolveConfig(path);
writeFileSync(path, await format(JSON.stringify({ files }), { ...config, filepath: path }));
console.log(`${dir}index.json: ${files.join(', ')}`);
