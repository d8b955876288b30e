/** Registers `<pc-network>` (once: a second import, or another copy of the library, is a no-op). */
import '../pc-plot/define';
import { PcNetwork } from './pc-network';

if (!customElements.get('pc-network')) customElements.define('pc-network', PcNetwork);

export { PcNetwork };
