/**
 * The plain-JavaScript kernels: the fallback where WebAssembly SIMD is missing, and the
 * reference every other backend is tested against. One kernel per file; import a kernel from
 * its file, or the set as {@link JS_KERNELS}.
 */
import type { Kernels } from '../kernels';
import { activate } from './activate';
import { adamStep } from './adamStep';
import { axpy } from './axpy';
import { batchMatMul } from './batchMatMul';
import { errorEquilibrium } from './errorEquilibrium';
import { nodeUpdate } from './nodeUpdate';
import { rankBUpdate } from './rankBUpdate';
import { stateUpdate } from './stateUpdate';
import { sumSquares } from './sumSquares';

/** The JavaScript kernel set. */
export const JS_KERNELS: Readonly<Kernels> = Object.freeze({
  activate,
  adamStep,
  axpy,
  batchMatMul,
  errorEquilibrium,
  nodeUpdate,
  rankBUpdate,
  stateUpdate,
  sumSquares,
});
