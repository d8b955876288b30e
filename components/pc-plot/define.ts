/** Registers `<pc-plot>` (once: a second import, or another copy of the library, is a no-op). */
import { PcPlot } from './pc-plot';

if (!customElements.get('pc-plot')) customElements.define('pc-plot', PcPlot);

export { PcPlot };
