import { transfer } from 'comlink';
import { jsBackend } from '../kernels/backend';
import { bestBackend, initWasm } from '../kernels/wasm';
import { SplitLayout } from './split-layout';
import { SplitPart } from './split-part';
import type { SplitWorkerApi } from './split-protocol';

/**
 * The object a split worker exposes (`split.worker.ts` in a page, `split-worker.node.ts` in
 * Node). `exit` ends the worker's thread at once: the `exit` fault of the tests.
 */
export function splitWorkerApi(exit: () => void): SplitWorkerApi {
  let part: SplitPart | null = null;
  const made = (): SplitPart => {
    if (!part) throw new Error('split worker: init first');
    return part;
  };
  return {
    async init(init, buffer) {
      if (init.backend === 'wasm') await initWasm();
      const backend = init.backend === 'wasm' ? bestBackend() : jsBackend;
      const state = buffer ?? new ArrayBuffer(new SplitLayout(init.sizes, init.batch, 1).bytes);
      part = new SplitPart(init, backend, state);
      return part.backendName;
    },
    setWeights: (M, W) => made().setWeights(M, W),
    weights() {
      const w = made().weights();
      // Copies: the worker keeps its rows, the caller owns these buffers.
      return transfer(
        w,
        [...w.M, ...w.W].map((a) => a.buffer as ArrayBuffer),
      );
    },
    configure: (config) => made().configure(config),
    writeState: (x, eps) => made().writeState(x, eps),
    readState() {
      const s = made().readState();
      return transfer(
        s,
        [...s.x, ...s.eps].map((a) => a.buffer as ArrayBuffer),
      );
    },
    run: (request) => made().run(request, exit),
    commitWeights: () => made().commitWeights(),
  };
}
