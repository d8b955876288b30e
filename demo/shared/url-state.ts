/**
 * A demo page's configuration in its URL query string, so that any state is a link (STYLE.md,
 * point 13). A page declares its fields once with a default and a parser; a missing or bad
 * value in the URL falls back to the default, so a mangled link still opens. Every change is
 * written back with `history.replaceState` (no history entry per slider move). Parameters the
 * page does not declare are kept as they are.
 *
 *     const state = new UrlState({ seed: int(1, 0), decay: bool(true), lx: num(0.05, 0, 1) });
 *     state.bind('seed', seedInput, () => retrain());   // the input shows and edits `seed`
 *     state.values.decay;                                // typed: boolean
 */

/** How one value reads from and writes to the query string. */
export interface Field<T> {
  readonly fallback: T;
  /** The value, or undefined if the text is not a valid one. */
  parse(text: string): T | undefined;
  format(value: T): string;
}

/** A finite number in [min, max]. */
export function num(fallback: number, min = -Infinity, max = Infinity): Field<number> {
  return {
    fallback,
    parse: (text) => {
      const v = text.trim() === '' ? NaN : Number(text);
      return Number.isFinite(v) && v >= min && v <= max ? v : undefined;
    },
    format: (v) => String(v),
  };
}

/** An integer in [min, max]. */
export function int(fallback: number, min = -Infinity, max = Infinity): Field<number> {
  const base = num(fallback, min, max);
  return {
    ...base,
    parse: (text) => ((v) => (Number.isInteger(v) ? v : undefined))(base.parse(text)),
  };
}

/** A switch: `1` or `0` (also reads `true`, `false`, `on`, `off`). */
export function bool(fallback: boolean): Field<boolean> {
  return {
    fallback,
    parse: (text) =>
      ['1', 'true', 'on', 'yes'].includes(text)
        ? true
        : ['0', 'false', 'off', 'no'].includes(text)
          ? false
          : undefined,
    format: (v) => (v ? '1' : '0'),
  };
}

/** One of a fixed list of words. */
export function oneOf<T extends string>(choices: readonly T[], fallback: T): Field<T> {
  return {
    fallback,
    parse: (text) => (choices.includes(text as T) ? (text as T) : undefined),
    format: (v) => v,
  };
}

/** A list of numbers, comma-separated, each in [min, max]; `length` fixes how many. */
export function numList(
  fallback: number[],
  length?: number,
  min = -Infinity,
  max = Infinity,
): Field<number[]> {
  const one = num(0, min, max);
  return {
    fallback,
    parse: (text) => {
      const values = text.split(',').map((t) => one.parse(t));
      if (values.some((v) => v === undefined) || (length !== undefined && values.length !== length))
        return undefined;
      return values as number[];
    },
    format: (v) => v.join(','),
  };
}

/** A node held at a value: 0-based layer and index, as in the engine and the element's API. */
export interface Clamp {
  layer: number;
  index: number;
  value: number;
}

/** Clamped nodes as `layer.index:value,…`, e.g. `0.1:1,2.0:0.5` (0-based). */
export function clampList(): Field<Clamp[]> {
  return {
    fallback: [],
    parse: (text) => {
      if (text === '') return [];
      const out: Clamp[] = [];
      for (const item of text.split(',')) {
        const m = /^(\d+)\.(\d+):(-?[\d.]+(?:e-?\d+)?)$/i.exec(item);
        if (!m || !Number.isFinite(Number(m[3]))) return undefined;
        out.push({ layer: Number(m[1]), index: Number(m[2]), value: Number(m[3]) });
      }
      return out;
    },
    format: (v) => v.map((c) => `${c.layer}.${c.index}:${round(c.value)}`).join(','),
  };
}

/** The clamp list after a `pc-clamp-change` event of `<pc-network>` (`detail` as it sends it). */
export function applyClampChange(
  clamps: readonly Clamp[],
  detail: { layer: number; indices: number[]; values: number[]; clamped: boolean },
): Clamp[] {
  const touched = new Set(detail.indices);
  const kept = clamps.filter((c) => c.layer !== detail.layer || !touched.has(c.index));
  if (!detail.clamped) return kept;
  const added = detail.indices.map((index, i) => ({
    layer: detail.layer,
    index,
    value: detail.values[i],
  }));
  return [...kept, ...added].sort((a, b) => a.layer - b.layer || a.index - b.index);
}

type Values<S> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never };

/** The page's fields, read from the URL once, written back on every change. */
export class UrlState<S extends Record<string, Field<unknown>>> {
  /** The current values (read-only: change them with {@link set}). */
  readonly values: Values<S>;

  constructor(private readonly schema: S) {
    const params = new URLSearchParams(location.search);
    const values = {} as Record<string, unknown>;
    for (const [key, field] of Object.entries(schema)) {
      const text = params.get(key);
      const parsed = text === null ? undefined : field.parse(text);
      values[key] = parsed === undefined ? field.fallback : parsed;
    }
    this.values = values as Values<S>;
  }

  /** Changes some values and rewrites the URL (every declared field, so the link is complete). */
  set(patch: Partial<Values<S>>): void {
    Object.assign(this.values, patch);
    const params = new URLSearchParams(location.search);
    for (const [key, field] of Object.entries(this.schema)) {
      params.set(key, (field.format as (v: unknown) => string)(this.values[key]));
    }
    // URLSearchParams escapes `,` and `:`, which are fine in a query and easier to read plain.
    const query = params.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':');
    history.replaceState(history.state, '', `${location.pathname}?${query}${location.hash}`);
  }

  /**
   * Two-way binding of a form control to a field: the control shows the value now, and every
   * user change (the `input` event of sliders, `change` of the rest) sets it and calls
   * `onChange`. Checkboxes bind to booleans; other controls to numbers or words.
   */
  bind<K extends keyof S & string>(
    key: K,
    control: HTMLInputElement | HTMLSelectElement,
    onChange?: (value: Values<S>[K]) => void,
  ): void {
    const field = this.schema[key];
    const checkbox = control instanceof HTMLInputElement && control.type === 'checkbox';
    if (checkbox) control.checked = Boolean(this.values[key]);
    else control.value = (field.format as (v: unknown) => string)(this.values[key]);
    const live = control instanceof HTMLInputElement && control.type === 'range';
    control.addEventListener(live ? 'input' : 'change', () => {
      const value = checkbox ? (control as HTMLInputElement).checked : field.parse(control.value);
      if (value === undefined) {
        control.value = (field.format as (v: unknown) => string)(this.values[key]);
        return;
      }
      this.set({ [key]: value } as Partial<Values<S>>);
      onChange?.(value as Values<S>[K]);
    });
  }
}

/** Up to 4 decimals, without trailing zeros: short, readable links. */
function round(v: number): string {
  return String(Math.round(v * 1e4) / 1e4);
}
