/**
 * How it works: the equations (2.2, 2.3, 3.11, 2.9, 2.10) beside a live 2-2-1 network, each
 * term shown with its value for the chosen neuron, updated every tick; "Step one tick" takes
 * one Euler step so that a reader can check the arithmetic. The network plays when the page
 * opens (the input X held, the layers above settling toward what it predicts).
 */
import '../../components/define.ts';
import { MODES } from '../../src/index';
import { followNetwork, restoreNetwork } from '../shared/element-state';
import { type Field, clampList, int, num, numList, oneOf, UrlState } from '../shared/url-state';
import { type NeuronTerms, neuronTerms, shownState } from './terms';

/** A neuron as `layer.index`, 0-based. */
const neuronField: Field<[number, number]> = {
  fallback: [0, 0],
  parse: (text) => {
    const m = /^(\d)\.(\d)$/.exec(text);
    return m ? [Number(m[1]), Number(m[2])] : undefined;
  },
  format: ([l, i]) => `${l}.${i}`,
};

const state = new UrlState({
  act: oneOf(['identity', 'tanh'] as const, 'tanh'),
  seed: int(1, 0, 0xffffffff),
  mode: oneOf(MODES, 'classify'),
  lx: num(0.2, 0, 1),
  X: numList([1, -0.5], 2, -2, 2),
  clamps: clampList(),
  sel: neuronField,
});

const $ = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
const live = $<HTMLElementTagNameMap['pc-network']>('live');
const LAYER_NAMES = ['input', 'hidden', 'output'];

/** The last step's prediction, to compare with what the network then computed. */
let predicted: { tick: number; terms: NeuronTerms } | null = null;

function neuronButtons(): void {
  const sizes = live.snapshot.sizes;
  const buttons: HTMLButtonElement[] = [];
  for (let l = 0; l < sizes.length; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      const b = document.createElement('button');
      b.innerHTML = `x<sup>(${l + 1})</sup><sub>${i + 1}</sub>`;
      b.title = `layer ${l + 1} (${LAYER_NAMES[l]}), node ${i + 1}`;
      b.setAttribute(
        'aria-pressed',
        String(state.values.sel[0] === l && state.values.sel[1] === i),
      );
      b.addEventListener('click', () => {
        state.set({ sel: [l, i] });
        predicted = null;
        neuronButtons();
        show();
      });
      buttons.push(b);
    }
  }
  $('neurons').replaceChildren(...buttons);
}

function setTerm(name: string, value: number | null, scale: number, note?: string): void {
  const row = document.querySelector<HTMLTableRowElement>(`tr[data-term="${name}"]`)!;
  row.classList.toggle('inactive', value === null);
  const bar = row.querySelector<HTMLElement>('.bar span')!;
  const v = value ?? 0;
  const w = Math.min(1, Math.abs(v) / scale) * 50;
  bar.style.left = v >= 0 ? '50%' : `${50 - w}%`;
  bar.style.width = `${w}%`;
  bar.classList.toggle('negative', v < 0);
  row.querySelector('output')!.textContent = note ?? (value === null ? '–' : value.toFixed(4));
}

/** Every term for the chosen neuron, from the network as it is now. */
function show(): void {
  const net = shownState(live);
  const [l, i] = state.values.sel;
  if (!net || l >= net.depth || i >= net.sizes[l]) return;
  const t = neuronTerms(net, l, i);
  const top = net.depth - 1;
  const role = LAYER_NAMES[l] ?? 'hidden';
  const aName = l === 0 ? 'α' : l === top ? 'β' : '';
  $('where').textContent =
    `Layer ${l + 1} (${role}), node ${i + 1}, at tick ${net.tick} in ${net.mode} mode` +
    (aName
      ? `: ${aName} = ${t.a}, so its own error ${t.a ? 'pulls it' : 'does not act on it'} (eq. ${l === 0 ? '3.2' : '3.4'}).`
      : '.') +
    (t.held
      ? ` Its state is held (${t.held === 'clamped' ? 'clamped by a click' : t.held === 'target' ? 'the output is held at the target Y' : 'at the input X'}), so it does not move.`
      : '');
  const scale = Math.max(1, Math.abs(t.x), Math.abs(t.mu), Math.abs(t.eps));
  setTerm('x', t.x, scale);
  setTerm('mu', t.mu, scale);
  setTerm('nuEps', t.nu * t.eps, scale);
  setTerm('epsDrive', t.epsDrive, scale);
  setTerm('nextEps', t.nextEps, scale);
  setTerm('feedback', t.feedback, scale);
  setTerm('slope', t.feedback === null ? null : t.slope, scale);
  setTerm('fbSlope', t.feedback === null ? null : t.feedback * t.slope, scale);
  setTerm('aEps', -t.a * t.eps, scale);
  setTerm(
    'decay',
    t.lambdaX ? -t.lambdaX * t.x : null,
    scale,
    t.lambdaX ? undefined : `0 (${l === top ? 'output layer' : `${net.mode} mode`})`,
  );
  setTerm('xDrive', t.held ? null : t.xDrive, scale, t.held ? 'held' : undefined);
  setTerm('nextX', t.nextX, scale);
  $('weights').querySelector('tbody')!.innerHTML =
    t.weights.length === 0
      ? '<tr><td colspan="5">The output layer has no weights to a layer above.</td></tr>'
      : t.weights
          .map(
            (w) =>
              `<tr><td>x<sup>(${l + 2})</sup><sub>${w.to + 1}</sub></td><td>${w.M.toFixed(4)}</td><td>${w.dM.toFixed(4)}</td><td>${w.W.toFixed(4)}</td><td>${w.dW.toFixed(4)}</td></tr>`,
          )
          .join('');
  if (
    predicted &&
    net.tick === predicted.tick + 1 &&
    predicted.terms.layer === l &&
    predicted.terms.index === i
  ) {
    const p = predicted.terms;
    const ok = Math.abs(p.nextX - t.x) < 1e-5 && Math.abs(p.nextEps - t.eps) < 1e-5;
    $('check').textContent =
      `Tick ${net.tick}: the equations said x = ${p.nextX.toFixed(5)}, ε = ${p.nextEps.toFixed(5)}; ` +
      `the network now has x = ${t.x.toFixed(5)}, ε = ${t.eps.toFixed(5)} ${ok ? '✓' : '(differs)'}`;
  } else if (!predicted || net.tick !== predicted.tick + 1) {
    $('check').textContent = '';
  }
}

function showOutputs(): void {
  for (const [id, v] of [
    ['x1-value', state.values.X[0]],
    ['x2-value', state.values.X[1]],
    ['lambda-x-value', state.values.lx],
  ] as const) {
    $<HTMLOutputElement>(id).value = v.toFixed(2);
  }
}

async function start(): Promise<void> {
  await customElements.whenDefined('pc-network');
  live.activation = state.values.act;
  live.seed = state.values.seed;
  live.lambdaX = state.values.lx;
  await live.updateComplete;
  live.clampInput(state.values.X);
  restoreNetwork(live, state.values.mode, state.values.clamps);
  await live.updateComplete;
  neuronButtons();
  show();
  document.querySelector('main')!.toggleAttribute('data-ready', true);
}

/** A rebuilt network (activation or seed changed): its input and clamps are put back. */
async function rebuilt(): Promise<void> {
  await live.updateComplete;
  live.clampInput(state.values.X);
  restoreNetwork(live, state.values.mode, state.values.clamps);
  predicted = null;
  show();
}

$('step').addEventListener('click', () => void stepOneTick());

/**
 * The page plays from the start (`autoplay`); stepping pauses it first, so that no tick comes
 * between the prediction and the check. The input is sent again (the same X, so nothing
 * changes) only to make `updateComplete` fetch the worker's state as of the pause: the last
 * snapshot shown may be a tick or two behind it.
 */
async function stepOneTick(): Promise<void> {
  live.pause();
  live.clampInput(state.values.X);
  await live.updateComplete;
  const [l, i] = state.values.sel;
  const net = shownState(live);
  predicted = net && { tick: net.tick, terms: neuronTerms(net, l, i) };
  live.step(1);
  await live.updateComplete;
  show();
}
live.addEventListener('pc-tick', () => show());
followNetwork(
  live,
  () => state.values.clamps,
  (change) => {
    state.set(change);
    predicted = null;
    show();
  },
);
const x1 = $<HTMLInputElement>('x1');
const x2 = $<HTMLInputElement>('x2');
x1.value = String(state.values.X[0]);
x2.value = String(state.values.X[1]);
for (const input of [x1, x2]) {
  input.addEventListener('input', () => {
    state.set({ X: [Number(x1.value), Number(x2.value)] });
    live.clampInput(state.values.X);
    showOutputs();
    show();
  });
}
state.bind('lx', $('lambda-x'), (lx) => {
  live.lambdaX = lx;
  showOutputs();
  void live.updateComplete.then(show);
});
state.bind('act', $('activation'), (act) => {
  live.activation = act;
  void rebuilt();
});
state.bind('seed', $('seed'), (seed) => {
  live.seed = seed;
  void rebuilt();
});
showOutputs();
void start();
