/**
 * The dataflow layer: a network as layer streams ticked by a fixed-step clock. See
 * `graph.ts` (the streams), `clock.ts` (the clock) and `display.ts` (sampling for a page).
 */
export { Clock } from './clock';
export type { ClockOptions, ClockTarget, RunCondition, RunResult, TickRate } from './clock';
export { DISPLAY_FPS, toDisplayRate } from './display';
export { LayerGraph } from './graph';
export type { ClampsState, EquilibriumEvent } from './graph';
export type { NodeOptions } from './select';
export { LayerNode } from './layer';
export { YieldScheduler } from './yield-scheduler';
