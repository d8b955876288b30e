/**
 * The page's data: labelled points of the plane, as drawn or as a loaded data set shows them
 * (its first two features, or its first two principal components), in the plot's coordinates
 * [−VIEW, VIEW]². Small sets travel in the page's address ({@link pointsField}); any set
 * downloads as CSV ({@link toCsv}).
 */
import { PCA } from 'ml-pca';
import { applyScaling, type Dataset, fitScaling } from '../../src/data/dataset';
import { Random } from '../../src/random';
import type { Field } from '../shared/url-state';

/** The plot shows [−VIEW, VIEW]² (loaded data is scaled to [−1, 1], leaving a margin). */
export const VIEW = 1.25;
/** The most points the address holds (3 characters each: about 1.2 kB). */
export const MAX_URL_POINTS = 400;
/** The most classes the page draws (one colour each). */
export const MAX_CLASSES = 6;
/** The names of drawn classes. */
export const DRAWN_NAMES = ['A', 'B', 'C'];

export interface Points {
  /** x, y of each point, flat. */
  xy: number[];
  /** The class of each point, 0 to classNames.length − 1. */
  labels: number[];
  classNames: string[];
}

/** How a data set with more than two features is shown on the plane. */
export type Projection = 'pca' | 'first';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Each coordinate on a grid of 512 steps over [−VIEW, VIEW]: 9 bits, 2 coordinates = 3 chars. */
const STEPS = 511;

const quantise = (v: number) =>
  Math.max(0, Math.min(STEPS, Math.round(((v + VIEW) / (2 * VIEW)) * STEPS)));
const dequantise = (q: number) => Math.round(((q / STEPS) * 2 * VIEW - VIEW) * 1e4) / 1e4;

/** `v` on the address's grid (what a point becomes after a trip through the URL). */
export const onGrid = (v: number) => dequantise(quantise(v));

/**
 * Points as the URL's `p`: one group of 3-character points per class, groups separated by `.`
 * (group k is class k), e.g. `p=gAAhBB.Xyz` for two points of class 0 and one of class 1.
 * The class names are not kept (a link opens with A, B, C). More than {@link MAX_URL_POINTS}
 * points format as '' (the caller says so on the page).
 */
export function pointsField(fallback: Points): Field<Points> {
  return {
    fallback,
    parse(text) {
      const groups = text === '' ? [] : text.split('.');
      if (groups.length > MAX_CLASSES) return undefined;
      const xy: number[] = [];
      const labels: number[] = [];
      for (const [c, group] of groups.entries()) {
        if (group.length % 3 !== 0) return undefined;
        for (let i = 0; i < group.length; i += 3) {
          const d = [0, 1, 2].map((k) => ALPHABET.indexOf(group[i + k]));
          if (d.some((v) => v < 0)) return undefined;
          const bits = (d[0] << 12) | (d[1] << 6) | d[2];
          xy.push(dequantise(bits >> 9), dequantise(bits & STEPS));
          labels.push(c);
        }
      }
      const classes = Math.max(DRAWN_NAMES.length, groups.length);
      return { xy, labels, classNames: namesFor(classes) };
    },
    format(p) {
      if (p.labels.length > MAX_URL_POINTS) return '';
      const classes = p.labels.reduce((m, c) => Math.max(m, c + 1), 0);
      const groups = Array.from({ length: classes }, () => '');
      p.labels.forEach((c, i) => {
        const bits = (quantise(p.xy[2 * i]) << 9) | quantise(p.xy[2 * i + 1]);
        groups[c] += ALPHABET[bits >> 12] + ALPHABET[(bits >> 6) & 63] + ALPHABET[bits & 63];
      });
      return groups.join('.');
    },
  };
}

function namesFor(classes: number): string[] {
  return Array.from({ length: classes }, (_, c) => DRAWN_NAMES[c] ?? String.fromCharCode(65 + c));
}

/** The first page's example: two clusters of 25 points, on the address's grid. */
export function examplePoints(): Points {
  const random = new Random(6);
  const centres = [
    [-0.5, -0.35],
    [0.45, 0.5],
  ];
  const xy: number[] = [];
  const labels: number[] = [];
  for (const [c, [cx, cy]] of centres.entries()) {
    for (let i = 0; i < 25; i++) {
      xy.push(onGrid(cx + 0.16 * random.normal()), onGrid(cy + 0.16 * random.normal()));
      labels.push(c);
    }
  }
  return { xy, labels, classNames: namesFor(DRAWN_NAMES.length) };
}

/**
 * A loaded data set on the plane: its two features as they are, or (more than two) its first
 * two features or first two principal components (ml-pca, centred, unscaled), then each axis
 * min-max scaled to [−1, 1]. Returns the points and the axes' names.
 */
export function projectDataset(
  data: Dataset,
  projection: Projection,
): { points: Points; axes: [string, string] } {
  let plane: Float32Array;
  let axes: [string, string];
  if (data.dim === 1) {
    plane = new Float32Array(2 * data.count);
    for (let i = 0; i < data.count; i++) plane[2 * i] = data.inputs[i];
    axes = [data.featureNames[0], '(none)'];
  } else if (data.dim === 2 || projection === 'first') {
    plane = new Float32Array(2 * data.count);
    for (let i = 0; i < data.count; i++) {
      plane[2 * i] = data.inputs[i * data.dim];
      plane[2 * i + 1] = data.inputs[i * data.dim + 1];
    }
    axes = [data.featureNames[0], data.featureNames[1]];
  } else {
    const rows = Array.from({ length: data.count }, (_, i) =>
      Array.from(data.inputs.subarray(i * data.dim, (i + 1) * data.dim)),
    );
    const pca = new PCA(rows);
    plane = Float32Array.from(pca.predict(rows, { nComponents: 2 }).to1DArray());
    axes = ['principal component 1', 'principal component 2'];
  }
  const flat: Dataset = { ...data, inputs: plane, dim: 2, featureNames: axes };
  const scaled = applyScaling(plane, fitScaling(flat, [-1, 1]));
  return {
    points: {
      xy: Array.from(scaled),
      labels: Array.from(data.labels),
      classNames: data.classNames.slice(),
    },
    axes,
  };
}

/** A CSV field, quoted when it must be (RFC 4180). */
function field(text: string): string {
  return /[",\r\n]/.test(text) || text.trim() !== text ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A data set as CSV: a header of the feature names and `label`, one row per sample. */
export function datasetCsv(data: Dataset): string {
  const label = data.featureNames.includes('label') ? 'class' : 'label';
  const lines = [[...data.featureNames, label].map(field).join(',')];
  for (let i = 0; i < data.count; i++) {
    const row = Array.from(data.inputs.subarray(i * data.dim, (i + 1) * data.dim), String);
    lines.push([...row, field(data.classNames[data.labels[i]])].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Points as CSV: `x,y,label`, the classes by name. */
export function pointsCsv(p: Points): string {
  const lines = ['x,y,label'];
  p.labels.forEach((c, i) => {
    lines.push(`${p.xy[2 * i]},${p.xy[2 * i + 1]},${field(p.classNames[c])}`);
  });
  return `${lines.join('\n')}\n`;
}
