// Lists the shipped weights files for the MNIST demo (demo/public/weights/index.json), so the
// page never requests a file that is not there.
import { readdirSync, writeFileSync } from 'node:fs';

const dir = 'demo/public/weights/';
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.safetensors'))
  .sort();
writeFileSync(`${dir}index.json`, `${JSON.stringify({ files })}\n`);
console.log(`${dir}index.json: ${files.join(', ')}`);
