/**
 * How much memory a network takes, and the budget that refuses one too large before anything is
 * allocated: a network of 20000-20000 needs 3 GiB, which a browser tab cannot give (the worker
 * runs out, or the page freezes while it tries).
 */
import { type NetworkSpec, type NetworkSpecInput, parseLayers, SpecError } from './spec';

/** The element's budget when none is set: 1024 MiB (see {@link checkMemoryBudget}). */
export const DEFAULT_MEMORY_BUDGET_MIB = 1024;

const MIB = 1024 * 1024;
/** A WebAssembly memory grows in pages of 64 KiB; the backend adds one page of slack. */
const PAGE = 65536;
/** nodeUpdate's scratch at the start of the memory. */
const SCRATCH = 64;

/** The spec fields that decide a network's size. */
export type SizedSpec = Pick<NetworkSpecInput, 'layers' | 'learning'> | Readonly<NetworkSpec>;

/**
 * The bytes the arrays of a network of `spec` take for `batch` samples: M(i) and W(i) (twice
 * with `learning: 'accumulate'`, for their accumulators), and per sample and layer the nine
 * node vectors `Network` keeps (x, ε and their next values, σ(x), σ'(x), μ, the feedback and
 * the clamp values), Y, and an int32 clamp index per node. This is the WebAssembly backend's
 * layout (one memory, rounded up to whole 64 KiB pages, plus a page of slack); the JavaScript
 * backend needs at most as much. Copies outside the network (a file's bytes, a snapshot) are
 * not counted.
 */
export function networkBytes(spec: SizedSpec, batch = 1): number {
  const N = parseLayers(spec.layers);
  const L = N.length;
  const nodes = N.reduce((a, b) => a + b, 0);
  let weights = 0;
  for (let l = 0; l + 1 < L; l++) weights += 2 * N[l] * N[l + 1];
  const accumulate = spec.learning === 'accumulate';
  const floats = 9 * batch * nodes + batch * N[L - 1] + weights * (accumulate ? 2 : 1);
  // As `createWasmBackend` sizes it: the arrays' 16-byte alignment fits in the slack page.
  const memory = Math.ceil((SCRATCH + 4 * floats + PAGE) / PAGE) * PAGE;
  return memory + 4 * nodes;
}

/** A network larger than the memory budget: nothing was allocated. */
export class MemoryBudgetError extends SpecError {
  constructor(
    readonly bytes: number,
    readonly budgetMiB: number,
    message: string,
  ) {
    super('memoryBudget', message);
    this.name = 'MemoryBudgetError';
  }
}

let processBudget: { mib: number | undefined; setting: string } = {
  mib: undefined,
  setting: 'memoryBudget',
};

/**
 * The budget of every `Network` made in this thread without a `memoryBudget` option (the CLI's
 * `--memory-budget`); `undefined`, the default, means none.
 */
export function setDefaultMemoryBudget(mib: number | undefined, setting = 'memoryBudget'): void {
  if (mib !== undefined && !isMemoryBudget(mib)) {
    throw new SpecError('memoryBudget', `${setting} must be a number of MiB above 0, got ${mib}`);
  }
  processBudget = { mib, setting };
}

/** The budget `setDefaultMemoryBudget` set, and where it was set. */
export function getDefaultMemoryBudget(): { mib: number | undefined; setting: string } {
  return processBudget;
}

/** `bytes` for a message: MiB below 10 GiB, GiB above, never "0 MiB" for a small network. */
export function formatBytes(bytes: number): string {
  const mib = bytes / MIB;
  if (mib >= 10240) return `${(mib / 1024).toFixed(0)} GiB`;
  if (mib >= 10) return `${Math.round(mib)} MiB`;
  return `${mib.toFixed(1)} MiB`;
}

/** Whether `mib` is a memory budget: a finite number of MiB above 0. */
export function isMemoryBudget(mib: unknown): mib is number {
  return typeof mib === 'number' && Number.isFinite(mib) && mib > 0;
}

/**
 * Throws a {@link MemoryBudgetError} if a network of `spec` (for `batch` samples) needs more
 * than `budgetMiB` MiB, naming the size, the budget and `setting` (where the budget is set:
 * `memory-budget` on the element, `--memory-budget` in the CLI); returns its bytes otherwise.
 * `Infinity` or `undefined`: no budget. Call it before building the network: it allocates
 * nothing.
 */
export function checkMemoryBudget(
  spec: SizedSpec,
  budgetMiB: number | undefined,
  setting = 'memoryBudget',
  batch = 1,
): number {
  const bytes = networkBytes(spec, batch);
  if (budgetMiB === undefined || budgetMiB === Infinity) return bytes;
  if (!isMemoryBudget(budgetMiB)) {
    throw new SpecError(
      'memoryBudget',
      `${setting} must be a number of MiB above 0, got ${JSON.stringify(budgetMiB)}`,
    );
  }
  if (bytes > budgetMiB * MIB) {
    const layers = parseLayers(spec.layers).join('-');
    const samples = batch > 1 ? ` for a batch of ${batch}` : '';
    throw new MemoryBudgetError(
      bytes,
      budgetMiB,
      `layers ${layers} need ${formatBytes(bytes)}${samples}; the memory budget is ` +
        `${budgetMiB} MiB (${setting})`,
    );
  }
  return bytes;
}
