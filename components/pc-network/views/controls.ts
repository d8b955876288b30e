/** The toolbar, the status line and the output-class buttons: native controls with labels. */
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { argmax, MODES, type Mode } from '../../../src/index';
import type { SimulationSnapshot } from '../../controllers/simulation';
import { numberAttribute } from '../config';
import { formatValue } from './colour';
import { term } from './glossary';

export interface ControlsHandlers {
  togglePlay(): void;
  stepOne(): void;
  stepMany(): void;
  reset(): void;
  setSpeed(event: Event): void;
  setStepSize(event: Event): void;
  setMode(event: Event): void;
}

export function controlsView(
  state: { running: boolean; mode: Mode; speed: number; stepSize: number },
  on: ControlsHandlers,
): TemplateResult {
  return html`<div class="controls" part="controls">
    <button part="button" class="play" @click=${on.togglePlay}>
      ${state.running ? 'Pause' : 'Play'}
    </button>
    <button part="button" @click=${on.stepOne}>Step 1</button>
    <button part="button" @click=${on.stepMany}>Step ${state.stepSize}</button>
    <button part="button" @click=${on.reset}>Reset</button>
    <label
      >${term('ticks', 'Ticks per step')}
      <input
        part="input"
        class="step-size"
        type="number"
        min="1"
        step="1"
        .value=${live(String(state.stepSize))}
        @change=${on.setStepSize}
    /></label>
    <label
      >Speed
      <input
        part="input"
        class="speed"
        type="number"
        min="1"
        step="any"
        .value=${live(String(state.speed))}
        @change=${on.setSpeed}
      />
      ticks/s</label
    >
    <label
      >Mode
      <select part="input" class="mode" @change=${on.setMode}>
        ${MODES.map((m) => html`<option value=${m} ?selected=${m === state.mode}>${m}</option>`)}
      </select></label
    >
  </div>`;
}

/** The status line; `job`: a training or evaluation in progress, as text. */
export function statusView(snap: SimulationSnapshot, job: string | null = null): TemplateResult {
  const item = (name: string | TemplateResult, field: string, value: string) =>
    html`<div>
      <dt>${name}</dt>
      <dd data-field=${field}>${value}</dd>
    </div>`;
  return html`<dl class="status" part="status">
    ${item('Mode', 'mode', snap.mode)} ${item('Tick', 'tick', String(snap.tick))}
    ${item('Time', 'time', `${snap.time.toFixed(3)} s`)}
    ${item(term('energy', 'Energy F'), 'energy', formatValue(snap.energy))}
    ${item(term('equilibrium', 'Equilibrium'), 'equilibrium', snap.equilibrium ? 'yes' : 'no')}
    ${job ? item('Data', 'job', job) : nothing}
  </dl>`;
}

/** The class that the output is clamped to (all output nodes held at one-hot k), or null. */
export function clampedClass(snap: SimulationSnapshot): number | null {
  const top = snap.sizes.length - 1;
  const x = snap.x[top];
  if (!snap.clamped[top].every((c) => c === 1)) return null;
  const k = x.indexOf(1);
  return k >= 0 && x.every((v, i) => v === (i === k ? 1 : 0)) ? k : null;
}

/** One button a class, named by `classNames` when the network has them. */
export function classButtonsView(
  snap: SimulationSnapshot,
  on: { clampClass(event: Event): void; releaseOutput(): void },
  classNames: readonly string[] | null = null,
): TemplateResult | typeof nothing {
  const n = snap.sizes[snap.sizes.length - 1];
  if (n > 32) return nothing;
  const active = clampedClass(snap);
  return html`<div class="classes" part="classes" role="group" aria-label="Clamp output to class">
    <span aria-hidden="true">Clamp output to class</span>
    ${Array.from(
      { length: n },
      (_, k) =>
        html`<button
          part="button"
          data-class=${k}
          aria-pressed=${active === k ? 'true' : 'false'}
          @click=${on.clampClass}
        >
          ${classNames?.[k] ?? k}
        </button>`,
    )}
    <button part="button" class="release" @click=${on.releaseOutput}>Release</button>
  </div>`;
}

/** argmax of `values` when it stands out (by more than 1e-6), else null (nothing to announce). */
export function clearWinner(values: ArrayLike<number>): number | null {
  const k = argmax(values);
  for (let i = 0; i < values.length; i++) {
    if (i !== k && values[k] - values[i] <= 1e-6) return null;
  }
  return k;
}

/** What was typed into a number input: a number, or the text itself (so errors name it). */
export function inputNumber(e: Event): number {
  return numberAttribute.fromAttribute!((e.target as HTMLInputElement).value) as number;
}

export function oneHot(k: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === k ? 1 : 0));
}
