/**
 * Plain words for the terms the element shows: each term is marked up by {@link term} with a
 * one-line meaning that works three ways: as a tooltip (`title`) under a mouse, as the term's
 * accessible description (`aria-describedby`, read by screen readers), and in the readout line
 * when the term is focused, clicked or tapped (the element listens; see `termOf`).
 */
import { html, type TemplateResult } from 'lit';

/** Each term's meaning, one line, with the paper's equation where there is one. */
export const GLOSSARY = {
  energy:
    'Energy F = −Σ ν(i)/2 ‖ε(i)‖² (eq. 2.7): how badly the layers’ predictions miss, summed; the dynamics raise it towards 0.',
  equilibrium:
    'Equilibrium: every state x and error ε has stopped changing (each rate below 0.001 a second); the network has settled.',
  eps: '‖ε(i)‖: the length of layer i’s error vector, how far its states x(i) are from μ(i), the prediction from the layer below (the input X for layer 1).',
  lines:
    'M/W lines: the weights between two layers. M (left of each pair) carries σ(x) up into the prediction of the layer above; W (right) carries that layer’s errors ε back down. Warm: positive, cool: negative; darker: larger.',
  ticks:
    'Ticks per step: how many Euler steps of dt the “Step N” button takes at once (1 to 1,000,000).',
  dt: 'dt: the simulated seconds one tick advances (the Euler step).',
  tau: 'τ: the time constant of the nodes, in seconds; each tick moves a node dt/τ of the way, so a larger τ is slower.',
  lambda:
    'λ: decay. λx pulls every state towards 0 while generating (eq. 3.11); λM and λW shrink the weights M and W while training (eq. 3.12).',
  nu: 'ν: the variance of a layer’s errors (eq. 2.2). ε settles at (x − μ)/ν, so a larger ν makes that layer’s mismatch count for less.',
} as const;

export type Term = keyof typeof GLOSSARY;

const id = (key: Term) => `pc-term-${key}`;

/** `text` marked as the glossary term `key`: focusable, with its meaning as tooltip and description. */
export function term(key: Term, text: string): TemplateResult {
  return html`<span
    class="term"
    tabindex="0"
    data-term=${key}
    title=${GLOSSARY[key]}
    aria-describedby=${id(key)}
    >${text}</span
  >`;
}

/** The descriptions that the terms point at (hidden: read through `aria-describedby`). */
export function glossaryView(): TemplateResult {
  return html`<div class="glossary" hidden>
    ${Object.entries(GLOSSARY).map(([key, text]) => html`<span id=${id(key as Term)}>${text}</span>`)}
  </div>`;
}

/** The term an event target is (a {@link term} span), if any. */
export function termOf(target: EventTarget | null | undefined): Term | null {
  if (!(target instanceof HTMLElement)) return null;
  const key = target.closest<HTMLElement>('[data-term]')?.dataset.term;
  return key !== undefined && Object.hasOwn(GLOSSARY, key) ? (key as Term) : null;
}
