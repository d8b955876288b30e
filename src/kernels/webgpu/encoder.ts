/// <reference types="@webgpu/types" preserve="true" />
/**
 * How the WGSL kernels reach the GPU: pipelines made once, each call's parameters in a slot of
 * one uniform ring (bound with a dynamic offset, written with one writeBuffer per submit, so
 * that many calls of one pipeline in one submit each keep their own), bind groups cached by
 * the buffers they bind, dispatches encoded into one command encoder until something is read.
 * Nothing is allocated on the GPU per call.
 */
import { deviceLostError, type WebGpuUnavailableError } from './device';

/** A kernel's shader (entry point `main`) and its storage bindings after the uniform, in order: `r` read-only, `w` read-write. */
export interface KernelSource {
  readonly code: string;
  readonly bindings: string;
}

// WebGPU's flag values, written out so that importing this module needs no WebGPU globals
// (Node has them only once the `webgpu` package's are installed).
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 };
const COMPUTE = 0x4;
const MAP_MODE_READ = 0x1;

/** One slot of the uniform ring (WebGPU's largest dynamic-offset alignment), and their count. */
const SLOT = 256;
const SLOTS = 256;
const BIND_GROUP_CACHE = 4_096;

/** Compiles each kernel's pipeline with an explicit layout; a shader or pipeline error rejects. */
export async function createPipelines<K extends string>(
  device: GPUDevice,
  kernels: Record<K, KernelSource>,
): Promise<Record<K, GPUComputePipeline>> {
  device.pushErrorScope('validation');
  const names = Object.keys(kernels) as K[];
  const made = await Promise.all(
    names.map((name) => {
      const { code, bindings } = kernels[name];
      const entries: GPUBindGroupLayoutEntry[] = [
        { binding: 0, visibility: COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true } },
        ...Array.from(bindings, (b, i) => ({
          binding: i + 1,
          visibility: COMPUTE,
          buffer: { type: b === 'w' ? ('storage' as const) : ('read-only-storage' as const) },
        })),
      ];
      const layout = device.createPipelineLayout({
        label: name,
        bindGroupLayouts: [device.createBindGroupLayout({ label: name, entries })],
      });
      const module = device.createShaderModule({ label: name, code });
      const compute = { module, entryPoint: 'main' };
      return device.createComputePipelineAsync({ label: name, layout, compute });
    }),
  );
  const error = await device.popErrorScope();
  if (error) throw new Error(`WebGPU kernels: ${error.message}`);
  return Object.fromEntries(names.map((name, i) => [name, made[i]])) as Record<
    K,
    GPUComputePipeline
  >;
}

export class Encoder<K extends string> {
  readonly device: GPUDevice;
  /** A call's parameters, written at the word index {@link slot} returns. */
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  private readonly pipelines: Record<K, GPUComputePipeline>;
  private readonly ring: GPUBuffer;
  private readonly staging = new ArrayBuffer(SLOT * SLOTS);
  private readonly offset = new Uint32Array(1);
  private readonly ids = new WeakMap<GPUBuffer, number>();
  private readonly groups = new Map<string, GPUBindGroup>();
  private encoder: GPUCommandEncoder | null = null;
  /** The compute pass the dispatches go to, open until a copy, clear or submit needs it ended. */
  private pass: GPUComputePassEncoder | null = null;
  private used = 0;
  private nextId = 0;
  private lost: WebGpuUnavailableError | null = null;

  constructor(device: GPUDevice, pipelines: Record<K, GPUComputePipeline>) {
    this.device = device;
    this.pipelines = pipelines;
    this.u32 = new Uint32Array(this.staging);
    this.f32 = new Float32Array(this.staging);
    const usage = USAGE.UNIFORM | USAGE.COPY_DST;
    this.ring = device.createBuffer({ label: 'params', size: SLOT * SLOTS, usage });
    void device.lost.then((info) => (this.lost = deviceLostError(info)));
  }

  /** The next slot of the uniform ring, as a word index into u32/f32; submits when full. */
  slot(): number {
    if (this.used === SLOTS) this.flush();
    return (this.used++ * SLOT) / 4;
  }

  /** The command encoder the calls go to (copies and clears are encoded in order with them). */
  commands(): GPUCommandEncoder {
    this.endPass();
    return (this.encoder ??= this.device.createCommandEncoder());
  }

  /** Encodes one dispatch of `name` with the parameters at `slot`, over `buffers`. */
  dispatch(name: K, slot: number, buffers: GPUBuffer[], x: number, y = 1): void {
    if (x === 0 || y === 0) return;
    // One pass for a run of dispatches: each dispatch is its own synchronization scope, so a
    // dispatch sees what the one before it wrote, with less per-dispatch work than a pass each.
    const pass = (this.pass ??= this.commands().beginComputePass());
    pass.setPipeline(this.pipelines[name]);
    this.offset[0] = slot * 4;
    pass.setBindGroup(0, this.bindGroup(name, buffers), this.offset, 0, 1);
    pass.dispatchWorkgroups(x, y);
  }

  private endPass(): void {
    if (this.pass === null) return;
    this.pass.end();
    this.pass = null;
  }

  /** Submits what is encoded, after writing the parameters it uses. */
  flush(): void {
    this.endPass();
    if (this.encoder === null) return;
    const queue = this.device.queue;
    if (this.used > 0) queue.writeBuffer(this.ring, 0, this.staging, 0, this.used * SLOT);
    queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.used = 0;
  }

  /** Copies `count` words of `buffer` back once the calls encoded before have run. */
  async read(buffer: GPUBuffer, count: number): Promise<ArrayBuffer> {
    if (this.lost) throw this.lost;
    this.flush();
    if (count === 0) return new ArrayBuffer(0);
    const size = 4 * count;
    const usage = USAGE.MAP_READ | USAGE.COPY_DST;
    const staging = this.device.createBuffer({ label: 'read', size, usage });
    this.commands().copyBufferToBuffer(buffer, 0, staging, 0, size);
    this.flush();
    // In Node, Dawn's pending map does not keep the event loop alive: while a long GPU job
    // runs (seconds on SwiftShader) the process would exit with status 0 mid-await.
    const keepAlive = setInterval(() => undefined, 1_000);
    try {
      await staging.mapAsync(MAP_MODE_READ);
    } catch (e) {
      throw this.lost ?? e;
    } finally {
      clearInterval(keepAlive);
    }
    const out = staging.getMappedRange().slice(0);
    staging.destroy();
    return out;
  }

  destroy(): void {
    this.flush();
    this.ring.destroy();
    this.groups.clear();
  }

  /** The bind group of `name` over `buffers`, made once per set of buffers. */
  private bindGroup(name: K, buffers: GPUBuffer[]): GPUBindGroup {
    let key: string = name;
    for (const b of buffers) {
      let id = this.ids.get(b);
      if (id === undefined) this.ids.set(b, (id = this.nextId++));
      key += `,${id}`;
    }
    let group = this.groups.get(key);
    if (group === undefined) {
      if (this.groups.size >= BIND_GROUP_CACHE) this.groups.clear();
      const entries: GPUBindGroupEntry[] = [
        { binding: 0, resource: { buffer: this.ring, size: SLOT } },
      ];
      buffers.forEach((buffer, i) => entries.push({ binding: i + 1, resource: { buffer } }));
      const layout = this.pipelines[name].getBindGroupLayout(0);
      group = this.device.createBindGroup({ label: name, layout, entries });
      this.groups.set(key, group);
    }
    return group;
  }
}
