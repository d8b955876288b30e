/**
 * Long computations on the main thread, in chunks: the page stays responsive because the
 * computation awaits {@link TaskProgress.report} between chunks, which paints the progress
 * bar, gives the browser a turn (a zero-delay timeout) about every 40 ms, and throws
 * {@link CancelledError} once Cancel was pressed.
 */

/** Thrown out of a task whose Cancel button was pressed. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/**
 * Marks the page's first state as shown, or as being worked on (`<main data-ready>`): the
 * screenshot script and the end-to-end test wait for it.
 */
export function setReady(ready: boolean): void {
  document.querySelector('main')?.toggleAttribute('data-ready', ready);
}

/** One turn of the event loop for the page (clicks, painting) before going on. */
export function yieldToPage(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve));
}

/** What a running task calls between chunks. */
export interface TaskProgress {
  /** Shows `fraction` (0 to 1) and `label`; yields now and then; throws if cancelled. */
  report(fraction: number, label?: string): Promise<void>;
  readonly signal: AbortSignal;
}

/**
 * A progress bar, a status line and a Cancel button (all in the page's HTML) for one task at a
 * time. `run` resolves to the task's result, or to null if it was cancelled (or replaced by a
 * newer `run`); other errors are shown in the status line and rethrown.
 */
export class TaskView {
  private controller: AbortController | null = null;

  constructor(
    private readonly bar: HTMLProgressElement,
    private readonly status: HTMLElement,
    private readonly cancelButton: HTMLButtonElement,
  ) {
    cancelButton.disabled = true;
    cancelButton.addEventListener('click', () => this.cancel());
  }

  get busy(): boolean {
    return this.controller !== null;
  }

  cancel(): void {
    this.controller?.abort();
  }

  async run<T>(label: string, task: (progress: TaskProgress) => Promise<T>): Promise<T | null> {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    this.cancelButton.disabled = false;
    this.bar.hidden = false;
    let last = performance.now();
    const show = (fraction: number, text: string) => {
      this.bar.value = Math.max(0, Math.min(1, fraction));
      this.status.textContent = text;
    };
    const progress: TaskProgress = {
      signal: controller.signal,
      report: async (fraction, text = label) => {
        if (controller.signal.aborted) throw new CancelledError();
        if (performance.now() - last < 40) return;
        show(fraction, `${text}: ${Math.round(fraction * 100)}%`);
        await yieldToPage();
        last = performance.now();
        if (controller.signal.aborted) throw new CancelledError();
      },
    };
    show(0, `${label}…`);
    await yieldToPage();
    try {
      const result = await task(progress);
      if (controller.signal.aborted) throw new CancelledError();
      show(1, `${label}: done`);
      return result;
    } catch (e) {
      if (e instanceof CancelledError || controller.signal.aborted) {
        if (this.controller === controller) show(0, `${label}: cancelled`);
        return null;
      }
      show(0, `${label} failed: ${(e as Error).message}`);
      throw e;
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        this.cancelButton.disabled = true;
      }
    }
  }
}
