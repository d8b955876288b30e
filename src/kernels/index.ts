/**
 * Numeric kernels: pure functions over preallocated Float32Arrays, `(out, ...inputs, dims)`,
 * row-major matrices, no allocation. One kernel per file.
 */
export { ACTIVATION, activate, type ActivationName } from './activate';
export { adamStep } from './adamStep';
export { axpy } from './axpy';
export { batchMatMul } from './batchMatMul';
export { batchMatMulT } from './batchMatMulT';
export { errorEquilibrium } from './errorEquilibrium';
export { gemv } from './gemv';
export { gemvT } from './gemvT';
export { nodeUpdate } from './nodeUpdate';
export { rank1Update } from './rank1Update';
export { rankBUpdate } from './rankBUpdate';
export { stateUpdate } from './stateUpdate';
export { sumSquares } from './sumSquares';
