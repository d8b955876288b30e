/**
 * The page around the smallest embed: the element needs nothing of this file. It only keeps
 * the seed, the mode and the clamped nodes in the page's link, as every demo does.
 */
import '../../components/define.ts';
import { MODES } from '../../src/index';
import { followNetwork, restoreNetwork } from '../shared/element-state';
import { clampList, int, oneOf, UrlState } from '../shared/url-state';

const state = new UrlState({
  seed: int(1, 0, 0xffffffff),
  mode: oneOf(MODES, 'generate'),
  clamps: clampList(),
});
const net = document.querySelector('pc-network')!;
const seed = document.getElementById('seed') as HTMLInputElement;

async function restore(): Promise<void> {
  net.seed = state.values.seed;
  await net.updateComplete;
  restoreNetwork(net, state.values.mode, state.values.clamps);
}

state.bind('seed', seed, () => void restore());
followNetwork(
  net,
  () => state.values.clamps,
  (change) => state.set(change),
);
await customElements.whenDefined('pc-network');
await restore();
document.querySelector('main')!.toggleAttribute('data-ready', true);
