// Writes the image fixtures of test/fixtures/images/ (issue 15): three classes of 12 × 12 PNG
// images, 8 of each — a horizontal bar, a vertical bar, a diagonal — dark ink on a light,
// slightly coloured ground with noise, the stroke's position and thickness varying, and
// shapes.zip, the same folder zipped (with the folder itself at the top, as zipping a folder
// makes). Deterministic (a seeded generator): running it again writes the same bytes.
//   node scripts/make-image-fixtures.mjs
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';

const root = new URL('../test/fixtures/images/', import.meta.url).pathname;
const folder = join(root, 'shapes');
const SIZE = 12;
const PER_CLASS = 8;

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether pixel (x, y) is ink for each class, given a position p and a thickness t. */
const SHAPES = {
  horizontal: (x, y, p, t) => y >= p && y < p + t,
  vertical: (x, y, p, t) => x >= p && x < p + t,
  diagonal: (x, y, p, t) => Math.abs(x - y - (p - SIZE / 2 + 2)) < t / 2 + 0.5,
};

const rng = random(15);
rmSync(folder, { recursive: true, force: true });
for (const [name, ink] of Object.entries(SHAPES)) {
  mkdirSync(join(folder, name), { recursive: true });
  for (let k = 0; k < PER_CLASS; k++) {
    const p = 2 + Math.floor(rng() * (SIZE - 5));
    const t = 2 + Math.floor(rng() * 2);
    const png = new PNG({ width: SIZE, height: SIZE });
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const noise = (rng() - 0.5) * 60;
        const base = ink(x, y, p, t) ? 40 : 225;
        const i = (y * SIZE + x) * 4;
        png.data[i] = clamp(base + noise + 10);
        png.data[i + 1] = clamp(base + noise);
        png.data[i + 2] = clamp(base + noise - 10);
        png.data[i + 3] = 255;
      }
    }
    writeFileSync(join(folder, name, `${k}.png`), PNG.sync.write(png));
  }
}

const files = {};
for (const name of Object.keys(SHAPES).sort()) {
  for (const file of readdirSync(join(folder, name)).sort()) {
    // A fixed time, so the zip's bytes do not depend on when it was made.
    files[`shapes/${name}/${file}`] = [
      readFileSync(join(folder, name, file)),
      { mtime: new Date(2026, 0, 1) },
    ];
  }
}
writeFileSync(join(root, 'shapes.zip'), zipSync(files, { level: 9 }));
console.log(`wrote ${folder} (3 classes × ${PER_CLASS} images, ${SIZE}×${SIZE}) and shapes.zip`);

function clamp(v) {
  return Math.max(0, Math.min(255, Math.round(v)));
}
