/** The "Parameters" panel: the live parameters as labelled inputs, changed without a reset. */
import { html, type TemplateResult } from 'lit';
import { PARAMS, type NetworkSpec } from '../../../src/index';
import { checkLiveParam, LIVE_KEYS, nuAttribute, numberAttribute } from '../config';
import { term, type Term } from './glossary';

type LiveKey = (typeof LIVE_KEYS)[number];

/**
 * What a person can change on a running network, in the order shown, each with its glossary
 * entry; the attribute, symbol, label and unit come from the engine's PARAMS table.
 */
const SHOWN = [
  ['dt', 'dt'],
  ['tau', 'tau'],
  ['lambdaX', 'lambda'],
  ['lambdaM', 'lambda'],
  ['lambdaW', 'lambda'],
  ['nu', 'nu'],
] as const satisfies readonly (readonly [LiveKey, Term])[];

export const PARAMETERS = SHOWN.map(([key, glossary]) => {
  const p = PARAMS.find((row) => row.name === key)!;
  return {
    key,
    attribute: p.attribute as string, // every LIVE_KEYS row has one
    name: p.symbol,
    term: glossary,
    what: p.unit ? `${p.label}, ${p.unit}` : p.label,
  };
});

export type Parameter = (typeof PARAMETERS)[number];
export type ParameterKey = Parameter['key'];

/**
 * What was typed into a parameter's input: the attribute to set and its text; or, for a value
 * the engine would reject, the message, with the input back at the live value. Null for an
 * input that is not a parameter's.
 */
export function readParameter(
  input: HTMLInputElement,
  spec: Readonly<NetworkSpec>,
): { attribute: string; text: string } | { error: string } | null {
  const parameter = PARAMETERS.find((p) => p.key === input.dataset.param);
  if (!parameter) return null;
  const { key, attribute } = parameter;
  const value =
    key === 'nu'
      ? nuAttribute.fromAttribute!(input.value)
      : numberAttribute.fromAttribute!(input.value);
  try {
    checkLiveParam(spec, key, value);
  } catch (e) {
    input.value = parameterText(spec, key);
    return { error: (e as Error).message };
  }
  return { attribute, text: Array.isArray(value) ? value.join(' ') : String(value) };
}

/** A parameter's value as the panel shows it (ν as one number when every layer shares it). */
export function parameterText(spec: Readonly<NetworkSpec>, key: ParameterKey): string {
  if (key !== 'nu') return String(spec[key]);
  return spec.nu.every((v) => v === spec.nu[0]) ? String(spec.nu[0]) : spec.nu.join(' ');
}

export function parametersView(
  spec: Readonly<NetworkSpec>,
  onChange: (event: Event) => void,
): TemplateResult {
  return html`<details class="parameters" part="parameters">
    <summary>Parameters</summary>
    <div class="fields">
      ${PARAMETERS.map(
        (p) =>
          html`<label
            ><span class="name">${term(p.term, p.name)}</span> <span class="what">${p.what}</span>
            <input
              part="input"
              data-param=${p.key}
              type=${p.key === 'nu' ? 'text' : 'number'}
              inputmode="decimal"
              step="any"
              .value=${parameterText(spec, p.key)}
              @change=${onChange}
          /></label>`,
      )}
    </div>
  </details>`;
}
