/**
 * A `<pc-network>`'s mode and clamped nodes as part of a page's link: put them back on the
 * element when the page opens, and hear when the person changes them (the element sends
 * `pc-mode-change` and `pc-clamp-change` for user actions only, never for the page's own calls).
 */
import type { PcNetwork } from '../../components/index';
import type { Mode } from '../../src/index';
import { applyClampChange, type Clamp } from './url-state';

/** Layers wider than this (an MNIST input) are not kept in the link node by node. */
const MAX_LINKED_LAYER = 64;

/** Sets the mode and holds each clamp (a clamp outside the network is skipped). */
export function restoreNetwork(el: PcNetwork, mode: Mode, clamps: readonly Clamp[]): void {
  el.mode = mode;
  const sizes = el.spec.layers;
  for (const c of clamps) {
    if (c.layer < sizes.length && c.index < sizes[c.layer]) el.clampNode(c.layer, c.index, c.value);
  }
}

/** The clamps and mode the person sets on `el`, reported through `onChange`. */
export function followNetwork(
  el: PcNetwork,
  current: () => readonly Clamp[],
  onChange: (change: { mode?: Mode; clamps?: Clamp[] }) => void,
): void {
  el.addEventListener('pc-mode-change', (e) => onChange({ mode: e.detail.mode }));
  el.addEventListener('pc-clamp-change', (e) => {
    if (el.spec.layers[e.detail.layer] > MAX_LINKED_LAYER) return;
    onChange({ clamps: applyClampChange(current(), e.detail) });
  });
}
