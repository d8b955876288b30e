import { map, type Observable } from 'rxjs';
import type { Network } from '../model/network';
import { SpecError } from '../model/spec';
import type { LayerNode } from './layer';

export interface NodeOptions {
  /** Which node: the state x (default), the error ε, or the prediction μ it receives. */
  of?: 'x' | 'eps' | 'mu';
  /** Which sample of the batch (default 0). */
  sample?: number;
}

/**
 * A single neuron selected from its layer's vector stream (STYLE.md point 3: streams carry
 * whole layers; one node is a view of one). Emits a number each time the layer emits.
 */
export function selectNode(
  net: Network,
  layers: readonly LayerNode[],
  layer: number,
  index: number,
  { of = 'x', sample = 0 }: NodeOptions,
): Observable<number> {
  const node = layers[layer];
  if (!node) throw new SpecError('layer', `layer must be from 0 to ${net.depth - 1}, got ${layer}`);
  const n = net.sizes[layer];
  if (!Number.isInteger(index) || index < 0 || index >= n) {
    throw new SpecError('index', `node index must be an integer from 0 to ${n - 1}, got ${index}`);
  }
  if (!Number.isInteger(sample) || sample < 0 || sample >= net.batch) {
    throw new SpecError('sample', `sample must be from 0 to ${net.batch - 1}, got ${sample}`);
  }
  const source = of === 'x' ? node.state$ : of === 'eps' ? node.error$ : node.prediction$;
  const at = sample * n + index;
  return source.pipe(map((v) => v[at]));
}
