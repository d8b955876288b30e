/**
 * The WebAssembly kernels: each takes byte offsets into the imported memory where the
 * JavaScript kernel of the same name takes Float32Arrays (see `../../kernels.ts`).
 */
export { activate } from './activate';
export { adamStep } from './adamStep';
export { axpy } from './axpy';
export { batchMatMul } from './batchMatMul';
export { errorEquilibrium } from './errorEquilibrium';
export { nodeUpdate } from './nodeUpdate';
export { rankBUpdate } from './rankBUpdate';
export { stateUpdate } from './stateUpdate';
export { sumSquares } from './sumSquares';
