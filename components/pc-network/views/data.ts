/** The data held, and the Train and Cancel buttons (shown once there are data or a job). */
import { html, nothing, type TemplateResult } from 'lit';
import type { PcDataDetail } from '../events';

export function dataView(
  state: { data: PcDataDetail | null; job: { kind: string; text: string } | null },
  on: { train(): void; cancel(): void },
): TemplateResult | typeof nothing {
  const { data, job } = state;
  if (!data && !job) return nothing;
  const what = data
    ? `${data.source}: ${data.rows} rows, ${data.features} features` +
      (data.shape ? ` (${data.shape.width} × ${data.shape.height})` : '') +
      `, ${data.classes} classes`
    : '';
  return html`<div class="data" part="data" role="group" aria-label="Data">
    <span class="data-summary">${what}</span>
    ${
      job
        ? html`<button part="button" class="cancel" @click=${on.cancel}>Cancel</button>`
        : html`<button part="button" class="train" @click=${on.train}>Train</button>`
    }
  </div>`;
}
