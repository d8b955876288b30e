/// <reference types="@webgpu/types" preserve="true" />
/**
 * The WGSL kernels (one a file in `wgsl/`) over GPU buffers: the same meaning as the
 * JavaScript kernels of `../js/` (the reference they are tested against), on {@link GpuArray}s
 * that stay on the GPU. A call encodes its dispatch and returns; nothing is read back until
 * {@link GpuKernels.download} or {@link GpuKernels.readStats}, which submit what is pending and
 * resolve when the GPU has done it. The maxima of `nodeUpdate` and `stateUpdate` are reduced
 * on the GPU into a stats buffer ({@link GpuKernels.stats}), running until it is cleared.
 * Nothing is allocated on the GPU per call (see `encoder.ts`).
 */
import { ACTIVATION } from '../kernels';
import { createPipelines, Encoder, USAGE } from './encoder';
import { ACTIVATE } from './wgsl/activate';
import { ADAM_STEP } from './wgsl/adamStep';
import { AXPY } from './wgsl/axpy';
import { BATCH_MAT_MUL, TILE, WG_2D } from './wgsl/batchMatMul';
import { WG } from './wgsl/common';
import { ERROR_EQUILIBRIUM } from './wgsl/errorEquilibrium';
import { HOLD_NODES } from './wgsl/holdNodes';
import { NODE_UPDATE } from './wgsl/nodeUpdate';
import { RANK_B_UPDATE } from './wgsl/rankBUpdate';
import { STATE_UPDATE } from './wgsl/stateUpdate';

/** A vector or matrix on the GPU: `length` f32 values (u32 for stats) from offset 0. */
export interface GpuArray {
  readonly buffer: GPUBuffer;
  readonly length: number;
}

/** Each kernel's shader and its storage bindings after the uniform (binding 0), in order. */
const KERNELS = {
  activate: { code: ACTIVATE, bindings: 'wwr' },
  adamStep: { code: ADAM_STEP, bindings: 'wwwr' },
  axpy: { code: AXPY, bindings: 'wr' },
  batchMatMul: { code: BATCH_MAT_MUL, bindings: 'wrr' },
  errorEquilibrium: { code: ERROR_EQUILIBRIUM, bindings: 'wrr' },
  holdNodes: { code: HOLD_NODES, bindings: 'wwrrr' },
  nodeUpdate: { code: NODE_UPDATE, bindings: 'wwwrrrrr' },
  rankBUpdate: { code: RANK_B_UPDATE, bindings: 'wrr' },
  stateUpdate: { code: STATE_UPDATE, bindings: 'wwrrr' },
} as const;
type KernelName = keyof typeof KERNELS;

const MAX_GROUPS = 65_535;
const ARRAY_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;
/** drive = 0, fb or fb ⊙ ds: the `form` of nodeUpdate and stateUpdate. */
const form = (fb: GpuArray | null, ds: GpuArray | null) => (fb === null ? 0 : ds === null ? 1 : 2);

export class GpuKernels {
  readonly device: GPUDevice;
  private readonly enc: Encoder<KernelName>;
  private readonly u32: Uint32Array;
  private readonly f32: Float32Array;
  /** Bound where a kernel's fb or ds is null. */
  private readonly none: GPUBuffer;

  /** Compiles every kernel's pipeline; a shader or pipeline error rejects. */
  static async create(device: GPUDevice): Promise<GpuKernels> {
    return new GpuKernels(new Encoder(device, await createPipelines(device, KERNELS)));
  }

  private constructor(enc: Encoder<KernelName>) {
    this.enc = enc;
    this.device = enc.device;
    this.u32 = enc.u32;
    this.f32 = enc.f32;
    this.none = this.device.createBuffer({ label: 'none', size: 16, usage: USAGE.STORAGE });
  }

  // Memory.

  /** A zeroed array of n values on the GPU. */
  alloc(n: number, label?: string): GpuArray {
    const size = Math.max(16, 4 * n);
    return { buffer: this.device.createBuffer({ label, size, usage: ARRAY_USAGE }), length: n };
  }

  /** A copy of `data` on the GPU. */
  upload(data: Float32Array, label?: string): GpuArray {
    const a = this.alloc(data.length, label);
    this.device.queue.writeBuffer(a.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return a;
  }

  /** Overwrites `a` from `data` after every call encoded before it. */
  write(a: GpuArray, data: Float32Array): void {
    need(a, data.length, 'write');
    this.flush();
    this.device.queue.writeBuffer(a.buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  }

  /** `a`'s values, once every call encoded before has run. */
  async download(a: GpuArray): Promise<Float32Array> {
    return new Float32Array(await this.enc.read(a.buffer, a.length));
  }

  /** An array of n running maxima, all 0, for nodeUpdate (4 a call) and stateUpdate (1). */
  stats(n: number): GpuArray {
    return this.alloc(n, 'stats');
  }

  /** Sets every maximum of `stats` back to 0 (in order with the calls around it). */
  resetStats(stats: GpuArray): void {
    this.enc.commands().clearBuffer(stats.buffer, 0, stats.buffer.size);
  }

  /** The maxima of `stats` (NaN where a NaN was met), once the calls before have run. */
  async readStats(stats: GpuArray): Promise<Float64Array> {
    const bits = new Uint32Array(await this.enc.read(stats.buffer, stats.length));
    const out = new Float64Array(bits.length);
    const value = new Float32Array(bits.buffer);
    for (let i = 0; i < bits.length; i++) out[i] = bits[i] > 0x7f800000 ? NaN : value[i];
    return out;
  }

  /** Copies the first n values of `src` into `dst` (in order with the calls around it). */
  copy(dst: GpuArray, src: GpuArray, n = src.length): void {
    need(dst, n, 'copy dst');
    need(src, n, 'copy src');
    if (n > 0) this.enc.commands().copyBufferToBuffer(src.buffer, 0, dst.buffer, 0, 4 * n);
  }

  /** Sets `a` to zeros, or only its values from..from + n − 1 (in order with the calls around it). */
  clear(a: GpuArray, from = 0, n = a.length - from): void {
    need(a, from + n, 'clear');
    if (n > 0) this.enc.commands().clearBuffer(a.buffer, 4 * from, 4 * n);
  }

  /** Submits every call encoded so far (the reads do it themselves). */
  flush(): void {
    this.enc.flush();
  }

  /** Frees the kernels' own buffers (not the arrays handed out). */
  destroy(): void {
    this.enc.destroy();
    this.none.destroy();
  }

  // The kernels: the arguments of `../kernels.ts` `Kernels`, on GPU arrays.

  activate(s: GpuArray, ds: GpuArray, x: GpuArray, n: number, kind: number): void {
    if (!Object.values(ACTIVATION).includes(kind as 0)) {
      throw new RangeError(`activate: unknown activation kind ${kind}`);
    }
    need(s, n, 'activate s');
    need(ds, n, 'activate ds');
    need(x, n, 'activate x');
    const o = this.enc.slot();
    this.u32[o] = n;
    this.u32[o + 1] = kind;
    this.enc.dispatch('activate', o, [s.buffer, ds.buffer, x.buffer], groups(n));
  }

  /** One Adam step of n weights in place (the arguments of `Kernels.adamStep`). */
  // prettier-ignore
  adamStep(w: GpuArray, g: GpuArray, m: GpuArray, v: GpuArray, n: number, step: number,
    beta1: number, beta2: number, c2: number, epsilon: number, lambda: number,
    keep: number): void {
    for (const a of [w, g, m, v]) need(a, n, 'adamStep');
    const o = this.enc.slot();
    this.u32[o] = n;
    this.f32[o + 1] = step;
    this.f32[o + 2] = beta1;
    this.f32[o + 3] = beta2;
    this.f32[o + 4] = c2;
    this.f32[o + 5] = epsilon;
    this.f32[o + 6] = lambda;
    this.f32[o + 7] = keep;
    this.enc.dispatch('adamStep', o, [w.buffer, m.buffer, v.buffer, g.buffer], groups(n));
  }

  axpy(out: GpuArray, a: number, v: GpuArray, n: number): void {
    need(out, n, 'axpy out');
    need(v, n, 'axpy v');
    const o = this.enc.slot();
    this.u32[o] = n;
    this.f32[o + 1] = a;
    this.enc.dispatch('axpy', o, [out.buffer, v.buffer], groups(n));
  }

  // prettier-ignore
  batchMatMul(out: GpuArray, A: GpuArray, M: GpuArray, batch: number, rows: number,
    cols: number): void {
    need(out, batch * rows, 'batchMatMul out');
    need(A, batch * cols, 'batchMatMul A');
    need(M, rows * cols, 'batchMatMul M');
    const o = this.enc.slot();
    this.u32[o] = batch;
    this.u32[o + 1] = rows;
    this.u32[o + 2] = cols;
    this.enc.dispatch('batchMatMul', o, [out.buffer, A.buffer, M.buffer], tiles(rows), tiles(batch));
  }

  // prettier-ignore
  errorEquilibrium(eps: GpuArray, x: GpuArray, mu: GpuArray, n: number, nu: number): void {
    need(eps, n, 'errorEquilibrium eps');
    need(x, n, 'errorEquilibrium x');
    need(mu, n, 'errorEquilibrium mu');
    const o = this.enc.slot();
    this.u32[o] = n;
    this.f32[o + 1] = nu;
    this.enc.dispatch('errorEquilibrium', o, [eps.buffer, x.buffer, mu.buffer], groups(n));
  }

  /** The fused step; its four maxima go to stats[at .. at + 3] (see `wgsl/nodeUpdate.ts`). */
  // prettier-ignore
  nodeUpdate(xOut: GpuArray, epsOut: GpuArray, x: GpuArray, eps: GpuArray, mu: GpuArray,
    fb: GpuArray | null, ds: GpuArray | null, n: number, k: number, a: number, nu: number,
    lambdaX: number, stats: GpuArray, at = 0): void {
    for (const v of [xOut, epsOut, x, eps, mu]) need(v, n, 'nodeUpdate');
    const [f, d] = this.terms(fb, ds, n, 'nodeUpdate');
    need(stats, at + 4, 'nodeUpdate stats');
    const o = this.enc.slot();
    this.u32[o] = n;
    this.u32[o + 1] = form(fb, ds);
    this.u32[o + 2] = at;
    this.f32[o + 3] = k;
    this.f32[o + 4] = a;
    this.f32[o + 5] = nu;
    this.f32[o + 6] = lambdaX;
    // prettier-ignore
    const buffers = [xOut.buffer, epsOut.buffer, stats.buffer, x.buffer, eps.buffer, mu.buffer, f, d];
    this.enc.dispatch('nodeUpdate', o, buffers, groups(n));
  }

  // prettier-ignore
  rankBUpdate(M: GpuArray, U: GpuArray, V: GpuArray, batch: number, rows: number,
    cols: number, scale: number, decay: number): void {
    need(M, rows * cols, 'rankBUpdate M');
    need(U, batch * rows, 'rankBUpdate U');
    need(V, batch * cols, 'rankBUpdate V');
    const o = this.enc.slot();
    this.u32[o] = batch;
    this.u32[o + 1] = rows;
    this.u32[o + 2] = cols;
    this.f32[o + 3] = scale;
    this.f32[o + 4] = 1 - decay;
    this.enc.dispatch('rankBUpdate', o, [M.buffer, U.buffer, V.buffer], tiles(cols), tiles(rows));
  }

  /**
   * A layer's holds and clamps (see `wgsl/holdNodes.ts`): x ← value where mask ≠ 0; the
   * running maxima |x − prev| (0 when `whole`) and |x| go to stats[at], stats[at + 1].
   */
  // prettier-ignore
  holdNodes(x: GpuArray, prev: GpuArray, value: GpuArray, mask: GpuArray, n: number,
    whole: boolean, stats: GpuArray, at = 0): void {
    need(x, n, 'holdNodes x');
    need(prev, n, 'holdNodes prev');
    need(value, n, 'holdNodes value');
    need(mask, n, 'holdNodes mask');
    need(stats, at + 2, 'holdNodes stats');
    const o = this.enc.slot();
    this.u32[o] = n;
    this.u32[o + 1] = whole ? 1 : 0;
    this.u32[o + 2] = at;
    const buffers = [x.buffer, stats.buffer, prev.buffer, value.buffer, mask.buffer];
    this.enc.dispatch('holdNodes', o, buffers, groups(n));
  }

  /** The state step alone; its max |Δx| goes to stats[at] (running, like nodeUpdate's). */
  // prettier-ignore
  stateUpdate(x: GpuArray, fb: GpuArray | null, ds: GpuArray | null, eps: GpuArray, n: number,
    k: number, a: number, lambdaX: number, stats: GpuArray, at = 0): void {
    need(x, n, 'stateUpdate x');
    need(eps, n, 'stateUpdate eps');
    const [f, d] = this.terms(fb, ds, n, 'stateUpdate');
    need(stats, at + 1, 'stateUpdate stats');
    const o = this.enc.slot();
    this.u32[o] = n;
    this.u32[o + 1] = form(fb, ds);
    this.u32[o + 2] = at;
    this.f32[o + 3] = k;
    this.f32[o + 4] = a;
    this.f32[o + 5] = lambdaX;
    this.enc.dispatch('stateUpdate', o, [x.buffer, stats.buffer, f, d, eps.buffer], groups(n));
  }

  /**
   * The optional terms of a state update, checked: the buffers of W ε and σ' (σ' only with a W ε
   * term), or the empty placeholder where the form has none (see `form`).
   */
  private terms(
    fb: GpuArray | null,
    ds: GpuArray | null,
    n: number,
    what: string,
  ): [GPUBuffer, GPUBuffer] {
    if (fb) need(fb, n, `${what} fb`);
    if (fb && ds) need(ds, n, `${what} ds`);
    return [fb?.buffer ?? this.none, (fb && ds?.buffer) || this.none];
  }
}

/** Workgroups for n elements (the elementwise kernels loop over the rest). */
const groups = (n: number) => Math.min(Math.ceil(n / WG), MAX_GROUPS);
/** Workgroups along one side of a tiled kernel. */
const tiles = (n: number) => Math.ceil(n / (TILE * WG_2D));

function need(a: GpuArray, n: number, what: string): void {
  if (a.length < n) throw new RangeError(`${what}: needs ${n} values, has ${a.length}`);
}
