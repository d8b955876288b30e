/**
 * MNIST (Figs. 8 to 10, Table 3): trained 784-600-10 networks from ../weights/ (made by
 * `npm run weights`), or a pair trained here; a live `<pc-network>` to draw on (classify) and
 * to hold at a digit (generate); each network's generated digits beside the class means, with
 * the cosine similarity of each.
 */
import '../../components/define.ts';
import { encodeNetwork, MODES } from '../../src/index';
import { classImage, classMeanImages, type MnistSet } from '../../src/data/mnist';
import { cosineSimilarity, minAvgMax } from '../../src/metrics';
import { setReady, TaskView } from '../shared/task';
import { int, oneOf, UrlState, type Field } from '../shared/url-state';
import { decodeDigit, digitCanvases, drawBars, encodeDigit, paintDigit } from './digits';
import {
  DATA_URL,
  digitGenerator,
  GENERATION,
  CLASSIFIER_FILE,
  type Kind,
  KINDS,
  type LiveKind,
  loadTestDigits,
  loadWeights,
  trainPair,
  WEIGHT_FILES,
  type Weights,
} from './networks';

/** A drawn digit, as {@link encodeDigit} writes it ('' for none). */
const digitField: Field<string> = {
  fallback: '',
  parse: (text) => (text === '' || decodeDigit(text) ? text : undefined),
  format: (v) => v,
};

const state = new UrlState({
  net: oneOf(['decay', 'nodecay', 'classifier'] as const, 'decay'),
  mode: oneOf(MODES, 'classify'),
  cls: int(-1, -1, 9),
  digit: digitField,
  gs: int(20, 1, 120),
  digits: int(200, 20, 10000),
  epochs: int(1, 1, 20),
  seed: int(1, 0, 0xffffffff),
});

const $ = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
const live = $<HTMLElementTagNameMap['pc-network']>('live');
const notice = $<HTMLElement>('notice');
const task = new TaskView($('progress'), $('status'), $('cancel'));
const networks: Partial<Record<LiveKind, Weights>> = {};
let testSet: MnistSet | null = null;
let means: Float32Array | null = null;

// ---- The live element -------------------------------------------------------------------

const outputs = $<HTMLOListElement>('outputs');
outputs.replaceChildren(
  ...Array.from({ length: 10 }, (_, k) => {
    const li = document.createElement('li');
    li.innerHTML = `<span>${k}</span><span class="bar"><span></span></span><output>0</output>`;
    return li;
  }),
);

/** The 10 output nodes x(3) as bars around 0, the largest highlighted. */
function showOutputs(): void {
  const { x: states } = live.snapshot;
  const x = states[states.length - 1];
  const scale = Math.max(1, ...Array.from(x, Math.abs));
  let best = 0;
  for (let k = 1; k < 10; k++) if (x[k] > x[best]) best = k;
  Array.from(outputs.children).forEach((li, k) => {
    const bar = li.querySelector<HTMLElement>('.bar span')!;
    const w = (Math.abs(x[k]) / scale) * 50;
    bar.style.left = x[k] >= 0 ? '50%' : `${50 - w}%`;
    bar.style.width = `${w}%`;
    li.querySelector('output')!.textContent = x[k].toFixed(3);
    li.classList.toggle('winner', k === best && x[k] > 0.1);
  });
}
live.addEventListener('pc-tick', showOutputs);

// On a narrow screen the readout is stuck to the bottom of the screen (mnist.css), where it
// would cover the element's own output layer as one scrolls through the network: while that
// layer is in the readout's band at the bottom of the screen, the readout makes way
// (`data-output-in-view`, see mnist.css). The band is the observer's root, the screen less its
// top part, measured again when the screen or the readout changes size.
const readout = outputs.closest('aside')!;
let watched: Element | null = null;
let outputLayerSeen: IntersectionObserver | null = null;

function observeBand(): void {
  outputLayerSeen?.disconnect();
  const above = Math.max(0, window.innerHeight - readout.offsetHeight);
  outputLayerSeen = new IntersectionObserver(
    (entries) => {
      const inBand = entries[entries.length - 1].isIntersecting;
      readout.toggleAttribute('data-output-in-view', inBand);
    },
    { rootMargin: `-${above}px 0px 0px 0px` },
  );
  if (watched) outputLayerSeen.observe(watched);
}
window.addEventListener('resize', observeBand);
new ResizeObserver(observeBand).observe(readout);

/** Watches the element's output layer (again after a load, which may render a new one). */
function watchOutputLayer(): void {
  const top = live.snapshot.sizes.length - 1;
  const layer = live.shadowRoot?.querySelector(`section.layer[data-layer="${top}"]`) ?? null;
  if (layer === watched) return;
  readout.removeAttribute('data-output-in-view');
  watched = layer;
  observeBand();
}
void live.updateComplete.then(watchOutputLayer);
live.addEventListener('pc-tick', () => {
  if (!watched?.isConnected) watchOutputLayer();
});

const buttons = Array.from({ length: 10 }, (_, k) => {
  const b = document.createElement('button');
  b.textContent = String(k);
  b.dataset.class = String(k);
  b.setAttribute('aria-pressed', 'false');
  b.addEventListener('click', () => generateLive(k));
  return b;
});
document.querySelector('.digit-buttons')!.replaceChildren(...buttons);

function pressed(k: number): void {
  buttons.forEach((b, i) => b.setAttribute('aria-pressed', String(i === k)));
}

/** Generate mode, the output held at k, from the zero state. */
function generateLive(k: number): void {
  live.generate(k);
  pressed(k);
  state.set({ mode: 'generate', cls: k });
}

/** Classify mode with `image` as the input X; the output free, settling tick by tick. */
function classifyLive(image: ArrayLike<number>): void {
  live.mode = 'classify';
  live.release(live.snapshot.sizes.length - 1);
  live.reset();
  live.clampInput(image);
  live.play();
  pressed(-1);
}

live.addEventListener('pc-clamp-change', (e) => {
  const top = live.snapshot.sizes.length - 1;
  if (e.detail.layer === 0 && e.detail.clamped) {
    // A drawing ended: the element is in classify mode with the drawing as X.
    live.release(top);
    live.play();
    pressed(-1);
    state.set({ mode: 'classify', cls: -1, digit: encodeDigit(e.detail.values) });
  } else if (e.detail.layer === top) {
    const k = e.detail.clamped ? e.detail.values.indexOf(1) : -1;
    pressed(k);
    state.set({ cls: k });
  }
});
live.addEventListener('pc-mode-change', (e) => state.set({ mode: e.detail.mode }));

/** Whether the page was opened without a state in its link. */
let fresh = !new URLSearchParams(location.search).has('mode');

/** Shows the chosen network in the element and puts back what the link holds. */
async function showLive(): Promise<void> {
  const weights = networks[state.values.net];
  if (weights) {
    const { spec, M, W } = weights;
    const lambdaX = state.values.net === 'decay' ? 0.05 : 0;
    await live.load(encodeNetwork({ ...spec, lambdaX, mode: state.values.mode }, M, W));
    await live.updateComplete;
    watchOutputLayer();
  }
  const image = decodeDigit(state.values.digit);
  if (fresh && weights) {
    // A first visit with trained networks: something to watch at once.
    fresh = false;
    generateLive(3);
  } else if (state.values.mode === 'generate' && state.values.cls >= 0) {
    live.generate(state.values.cls);
    pressed(state.values.cls);
  } else if (image) {
    classifyLive(image);
  }
  showOutputs();
}

// ---- The grids of generated digits ------------------------------------------------------

function section(kind: Kind): HTMLElement {
  return document.querySelector(`#grids [data-kind="${kind}"]`)!;
}

function showMeans(): void {
  if (!means) return;
  for (const kind of KINDS) {
    digitCanvases(section(kind).querySelector('[data-row="means"]')!, 'mean of class').forEach(
      (c, k) => paintDigit(c, classImage(means!, k), 0, 1),
    );
  }
}

/** Both networks generate one digit per class, side by side, drawn as they form. */
async function generateGrids(): Promise<void> {
  const kinds = KINDS.filter((kind) => networks[kind]);
  $<HTMLButtonElement>('generate-all').disabled = kinds.length === 0;
  if (kinds.length === 0) {
    for (const kind of KINDS)
      section(kind).querySelector('.summary')!.textContent = 'No network yet.';
    return;
  }
  const gens = kinds.map((kind) => ({ kind, net: digitGenerator(networks[kind]!, kind) }));
  const total = Math.round(state.values.gs / GENERATION.dt);
  $('gen-seconds').textContent = String(state.values.gs);
  await task.run('Generating digits', async (progress) => {
    while (gens[0].net.tick < total) {
      for (const { kind, net } of gens) {
        net.step(Math.min(GENERATION.ticksPerChunk, total - net.tick));
        showGenerated(kind, net.x(0));
      }
      await progress.report(
        gens[0].net.tick / total,
        `Generating digits (${gens[0].net.time.toFixed(1)} s)`,
      );
    }
  });
}

function showGenerated(kind: Kind, x: Float32Array): void {
  const el = section(kind);
  const canvases = digitCanvases(
    el.querySelector('[data-row="generated"]')!,
    `${kind} network generated`,
  );
  const cosines = canvases.map((c, k) => {
    const image = classImage(x, k);
    paintDigit(c, image);
    return means ? cosineSimilarity(image, classImage(means, k)) : 0;
  });
  if (!means) return;
  drawBars(el.querySelector('[data-row="cosine"]')!, cosines);
  const { avg, max } = minAvgMax(cosines);
  el.querySelector('.summary')!.textContent =
    `cosine similarity: average ${avg.toFixed(4)}, maximum ${max.toFixed(4)}`;
}

// ---- Training in the page ---------------------------------------------------------------

async function trainHere(): Promise<void> {
  if (!testSet) return;
  const set = testSet;
  const { digits, epochs, seed } = state.values;
  const trained = await task.run('Training', (progress) =>
    trainPair(set, { digits, epochs, seed }, progress),
  );
  if (!trained) return;
  Object.assign(networks, trained);
  for (const kind of KINDS) ($(`save-${kind}`) as HTMLButtonElement).disabled = false;
  notice.textContent = `Showing the networks trained here on ${Math.min(digits, set.count)} digits, ${epochs} epoch${epochs > 1 ? 's' : ''}.`;
  await showLive();
  await generateGrids();
}

function save(kind: Kind): void {
  const w = networks[kind];
  if (!w) return;
  const url = URL.createObjectURL(new Blob([encodeNetwork(w.spec, w.M, w.W) as BlobPart]));
  const a = document.createElement('a');
  a.href = url;
  a.download = WEIGHT_FILES[kind];
  a.click();
  setTimeout(() => URL.revokeObjectURL(url));
}

// ---- Start ------------------------------------------------------------------------------

state.bind('net', $('net'), () => void showLive());
state.bind('digits', $('digits'));
state.bind('epochs', $('epochs'));
state.bind('seed', $('seed'));
$('train').addEventListener('click', () => void trainHere());
$('generate-all').addEventListener('click', () => void generateGrids());
for (const kind of KINDS) $(`save-${kind}`).addEventListener('click', () => save(kind));
$('gen-seconds').textContent = String(state.values.gs);

async function start(): Promise<void> {
  const messages: string[] = [];
  try {
    for (const kind of KINDS) networks[kind] = await loadWeights(WEIGHT_FILES[kind]);
    networks.classifier = await loadWeights(CLASSIFIER_FILE);
    messages.push(
      `Trained networks, shipped with the element (presets mnist, mnist-nodecay and mnist-classifier): ${WEIGHT_FILES.decay}, ${WEIGHT_FILES.nodecay} and ${CLASSIFIER_FILE}.`,
    );
  } catch (e) {
    messages.push(
      `The shipped networks could not be fetched (${(e as Error).message}); train a pair below.`,
    );
    $<HTMLDetailsElement>('train-panel').open = true;
    $<HTMLOptionElement>('classifier-option').disabled = true;
    if (state.values.net === 'classifier') state.set({ net: 'decay' });
  }
  try {
    testSet = await loadTestDigits();
    means = classMeanImages(testSet);
    showMeans();
  } catch (e) {
    messages.push(
      `The MNIST digits could not be loaded from ${DATA_URL}/ (${(e as Error).message}).`,
    );
    $<HTMLButtonElement>('train').disabled = true;
  }
  notice.textContent = messages.join(' ');
  notice.innerHTML = notice.innerHTML.replace(/`([^`]+)`/g, '<code>$1</code>');
  await customElements.whenDefined('pc-network');
  await showLive();
  await generateGrids();
  setReady(true);
}
void start();
