/**
 * The plots under the network: the energy F (eq. 2.7) and the norm ‖ε(i)‖ of every layer's
 * error nodes, over simulated time, fed from the snapshots the element draws (so at most once
 * per display frame) into two `<pc-plot>`s.
 */
import { html, type TemplateResult } from 'lit';
import type { SimulationSnapshot } from '../../controllers/simulation';
import { PcPlot } from '../../pc-plot/pc-plot';
import { GLOSSARY } from './glossary';

const ENERGY_SERIES = ['F'] as const;

export class PlotFeed {
  private errorSeries: string[] = [];
  private readonly energy = new Float64Array(1);
  private norms = new Float64Array(0);
  private source: number | null = null;
  private tick = -1;

  /** The two plots, for a network of `depth` layers. */
  view(depth: number): TemplateResult {
    if (this.errorSeries.length !== depth) {
      this.errorSeries = Array.from({ length: depth }, (_, l) => `‖ε(${l + 1})‖`);
      this.norms = new Float64Array(depth);
    }
    return html`<div class="plots">
      <pc-plot
        part="plot"
        class="energy"
        label="Energy F"
        data-term="energy"
        title=${GLOSSARY.energy}
        aria-describedby="pc-term-energy"
        .series=${ENERGY_SERIES}
      ></pc-plot>
      <pc-plot
        part="plot"
        class="errors"
        data-term="eps"
        title=${GLOSSARY.eps}
        aria-describedby="pc-term-eps"
        label="Error norms ‖ε(i)‖"
        .series=${this.errorSeries}
      ></pc-plot>
    </div>`;
  }

  /**
   * After a render: adds the snapshot's point if the network moved on since the last one, and
   * starts the plots over when the network was reset or replaced (`source` counts networks).
   */
  feed(root: ParentNode, snap: SimulationSnapshot, source: number): void {
    const energy = root.querySelector('pc-plot.energy');
    const errors = root.querySelector('pc-plot.errors');
    if (!(energy instanceof PcPlot && errors instanceof PcPlot)) return;
    if (source !== this.source || snap.tick < this.tick) {
      energy.clear();
      errors.clear();
      this.source = source;
      this.tick = -1;
    }
    if (snap.tick === this.tick) return;
    this.tick = snap.tick;
    this.energy[0] = snap.energy;
    energy.push(snap.time, this.energy);
    for (let l = 0; l < snap.eps.length && l < this.norms.length; l++) {
      const e = snap.eps[l];
      let sum = 0;
      for (let i = 0; i < e.length; i++) sum += e[i] * e[i];
      this.norms[l] = Math.sqrt(sum);
    }
    errors.push(snap.time, this.norms);
  }
}
