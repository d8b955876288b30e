// Types of scripts/api-reference.mjs, for vite.config.ts.
/** The reference as markdown, formatted by prettier as docs/api.md holds it. */
export function renderFormatted(): Promise<string>;
/** The reference as a whole HTML page. */
export function renderHtml(markdown?: string, css?: string): string;
/** The range and unit a description states. */
export function rangeUnit(text?: string): string;
