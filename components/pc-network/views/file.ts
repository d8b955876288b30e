/** Saving the network to a weights file and loading one the person chooses. */
import { html, type TemplateResult } from 'lit';

/** The name a saved network downloads as. */
export const SAVE_NAME = 'network.safetensors';

export function fileView(on: { save(): void; load(event: Event): void }): TemplateResult {
  return html`<div class="file" part="file" role="group" aria-label="Weights file">
    <button part="button" class="save" @click=${on.save}>Save network</button>
    <label class="button load"
      >Load network…<input
        part="input"
        class="visually-hidden"
        type="file"
        accept=".safetensors"
        @change=${on.load}
    /></label>
  </div>`;
}

/** Offers `bytes` as a download called `name` (a Blob behind an `<a download>`). */
export function downloadBytes(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(
    new Blob([bytes as BlobPart], { type: 'application/octet-stream' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The download has started by the next task; the URL is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url));
}

/** The bytes and name of the file chosen in a file input's `change` event (null if none). */
export async function chosenFile(
  event: Event,
): Promise<{ bytes: Uint8Array; name: string } | null> {
  const input = event.target as HTMLInputElement;
  const file = input.files?.[0];
  if (!file) return null;
  const bytes = new Uint8Array(await file.arrayBuffer());
  input.value = ''; // choosing the same file again is a change too
  return { bytes, name: file.name };
}
