/// <reference types="@webgpu/types" preserve="true" />
/**
 * The one tick of `step.ts` on the WebGPU kernels: the same equations, the same order of
 * operations, over {@link GpuArray}s that stay on the GPU. For layer l (0-based), k = dt/τ:
 *
 *     μ(l)  = M(l−1) σ(x(l−1))                  (μ(1) = X)
 *     ε(l) += k (x(l) − μ(l) − ν(l) ε(l))                                   (2.2)
 *     x(l) += k ((W(l) ε(l+1)) ⊙ σ'(x(l)) − a ε(l) − λx x(l))               (2.3, 3.2, 3.4, 3.11)
 *
 * then the layer's holds and clamps, and in `train` mode the weights' step
 *
 *     M(l) += (dt/γ) (⟨ε(l+1) ⊗ σ(x(l))⟩ − λM M(l))                         (2.9, 3.12)
 *     W(l) += (dt/γ) (⟨σ(x(l)) ⊗ ε(l+1)⟩ − λW W(l))                         (2.10)
 *
 * Nothing is read back here: the maxima the divergence check needs are reduced on the GPU into
 * a stats buffer, {@link STATS_PER_LAYER} values a layer (see {@link GpuLayerTick.at}), which
 * the driver (`gpu-network.ts`) reads every `checkEvery` ticks.
 */
import type { GpuArray, GpuKernels } from '../kernels/webgpu/kernels';
import type { TickScalars } from './step';

/**
 * The stats of one layer: [0] |x(t)|, [1] |ε(t)|, [2] |Δx|, [3] |Δε| from `nodeUpdate`; [4]
 * |Δx| and [5] |x(t)| after the holds, from `holdNodes` (a held layer's check reads these);
 * [6], [7] unused (keeps each layer's block 32 bytes).
 */
export const STATS_PER_LAYER = 8;
/** The first change slot of a layer's block and how many follow ([2] to [4]): cleared every tick. */
export const DELTA_SLOT = 2;
export const DELTA_SLOTS = 3;

/** One layer's GPU buffers for one tick, as `step.ts`'s `LayerTick` (the driver re-points x, eps). */
export interface GpuLayerTick {
  readonly l: number;
  readonly depth: number;
  readonly batch: number;
  readonly rows: number;
  readonly below: number;
  readonly above: number;
  /** The first of this layer's {@link STATS_PER_LAYER} stats. */
  readonly at: number;
  nu: number;
  x: GpuArray;
  eps: GpuArray;
  xNext: GpuArray;
  epsNext: GpuArray;
  mu: GpuArray;
  fb: GpuArray;
  ds: GpuArray;
  sBelow: GpuArray | null;
  M: GpuArray | null;
  epsAbove: GpuArray | null;
  W: GpuArray | null;
}

/**
 * A layer's holds on its next states: `none`, or the values and 0/1 mask to put back and
 * whether the layer is held whole (the input under `inputClamp: 'hold'`, the top while β = 0).
 */
export interface GpuHold {
  kind: 0 | 1 | 2;
  value: GpuArray | null;
  mask: GpuArray | null;
}

/** One layer's tick (`step.ts` `layerStep`): its two products, the fused update, its holds. */
export function gpuLayerStep(
  k: GpuKernels,
  t: GpuLayerTick,
  c: TickScalars,
  hold: GpuHold,
  stats: GpuArray,
): void {
  const { l, batch: B, rows } = t;
  const top = l === t.depth - 1;
  if (l > 0) k.batchMatMul(t.mu, t.sBelow!, t.M!, B, rows, t.below);
  if (!top) k.batchMatMul(t.fb, t.epsAbove!, t.W!, B, rows, t.above);
  const a = l === 0 ? c.alpha : top ? c.beta : 1;
  // prettier-ignore
  k.nodeUpdate(t.xNext, t.epsNext, t.x, t.eps, t.mu, top ? null : t.fb, top ? null : t.ds,
    B * rows, c.k, a, t.nu, top ? 0 : c.lambdaX, stats, t.at);
  if (hold.kind !== 0) {
    // prettier-ignore
    k.holdNodes(t.xNext, t.x, hold.value!, hold.mask!, B * rows, hold.kind === 2, stats,
      t.at + 4);
  }
}

/**
 * The check of one layer from its stats block (`step.ts` `checkLayer`): the quantity and value
 * that passed `limit` (NaN included), or the layer's largest change max(|Δx|, |Δε|).
 */
export function gpuCheckLayer(
  st: Float64Array,
  at: number,
  held: boolean,
  limit: number,
): { quantity: 'x' | 'eps'; value: number } | number {
  const x = held ? st[at + 5] : st[at];
  if (!(x <= limit)) return { quantity: 'x', value: x };
  if (!(st[at + 1] <= limit)) return { quantity: 'eps', value: st[at + 1] };
  return Math.max(held ? st[at + 4] : st[at + 2], st[at + 3]);
}

/** `step.ts` `learnWeights` on the GPU: eqs. 2.9, 2.10, 3.12, or into the accumulator dw. */
export function gpuLearnWeights(
  k: GpuKernels,
  w: GpuArray,
  dw: GpuArray | null,
  U: GpuArray,
  V: GpuArray,
  B: number,
  rows: number,
  cols: number,
  rate: number,
  lambda: number,
): void {
  if (dw !== null) {
    k.rankBUpdate(dw, U, V, B, rows, cols, rate / B, 0);
    k.axpy(dw, -rate * lambda, w, w.length);
  } else k.rankBUpdate(w, U, V, B, rows, cols, rate / B, rate * lambda);
}

/** `step.ts` `commitWeights`: w += dw, dw = 0 (`learning: 'accumulate'`). */
export function gpuCommitWeights(k: GpuKernels, w: GpuArray, dw: GpuArray): void {
  k.axpy(w, 1, dw, w.length);
  k.clear(dw);
}
