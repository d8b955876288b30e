import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface SourceLoaderCallbacks {
  /** The file at `url` arrived (its bytes are not checked here). */
  loaded(bytes: Uint8Array, url: string): void | Promise<void>;
  /** The file at `url` could not be fetched. */
  failed(message: string, url: string): void;
}

/**
 * Fetches the file an element's `src` names while the element is connected: a new URL aborts the
 * fetch in flight, and so does disconnecting (a reconnection fetches again, unless the file had
 * already arrived). Any URL `fetch` takes works, `data:` and `blob:` ones included.
 */
export class SourceLoader implements ReactiveController {
  private url: string | null = null;
  private done: string | null = null;
  private abort: AbortController | null = null;
  private connected = false;

  constructor(
    host: ReactiveControllerHost,
    private readonly callbacks: SourceLoaderCallbacks,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {
    host.addController(this);
  }

  /** Loads from `url` (when connected); null or '' stops any fetch and keeps what was loaded. */
  set(url: string | null | undefined): void {
    const next = url ? url : null;
    if (next === this.url) return;
    this.url = next;
    this.done = null;
    this.start();
  }

  hostConnected(): void {
    this.connected = true;
    this.start();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.abort?.abort();
    this.abort = null;
  }

  private start(): void {
    this.abort?.abort();
    this.abort = null;
    const url = this.url;
    if (!this.connected || url === null || this.done === url) return;
    const abort = (this.abort = new AbortController());
    void this.fetch(url, abort.signal);
  }

  private async fetch(url: string, signal: AbortSignal): Promise<void> {
    let bytes: Uint8Array;
    try {
      const response = await this.fetcher(url, { signal });
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      if (signal.aborted) return;
      this.finish(url);
      this.callbacks.failed(`Could not fetch ${shorten(url)}: ${(e as Error).message}`, url);
      return;
    }
    if (signal.aborted) return;
    this.finish(url);
    await this.callbacks.loaded(bytes, url);
  }

  private finish(url: string): void {
    this.done = url;
    this.abort = null;
  }
}

/** A URL short enough for a message (a data: URL can be megabytes). */
function shorten(url: string): string {
  return url.length > 80 ? `${url.slice(0, 77)}...` : url;
}
