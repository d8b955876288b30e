/**
 * `--backend webgpu` in the CLI: `pcnet` calls {@link selectNodeWebGpu} once when the flag is
 * given (the GPU through Dawn, `node.ts`); the commands that have a GPU path (`train`,
 * `reproduce E7`) then ask {@link selectedWebGpu} for it and run there, and name the adapter
 * in their output ({@link adapterName}). Everything else keeps the wasm kernels.
 */
import type { Gpu, GpuInfo } from './device';
import type { GpuKernels } from './kernels';
import { nodeGpuKernels } from './node';

let selected: { gpu: Gpu; kernels: GpuKernels } | null = null;

/** Gets the GPU and its kernels (throws `WebGpuUnavailableError` naming what is missing). */
export async function selectNodeWebGpu(): Promise<{ gpu: Gpu; kernels: GpuKernels }> {
  return (selected ??= await nodeGpuKernels());
}

/** The GPU chosen by `--backend webgpu`, or null. */
export function selectedWebGpu(): { gpu: Gpu; kernels: GpuKernels } | null {
  return selected;
}

/** "vendor architecture (description)", the adapter as the output names it. */
export function adapterName(info: GpuInfo): string {
  const name = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  return info.description ? `${name} (${info.description})` : name;
}

/** Whether the adapter is a CPU emulation (SwiftShader, or a CPU-type adapter). */
export function isCpuEmulation(info: GpuInfo): boolean {
  return /swiftshader|llvmpipe|lavapipe|cpu/i.test(`${info.architecture} ${info.description}`);
}

/** The `webgpu` settings a JSON report carries. */
export function webgpuSettings(info: GpuInfo): Record<string, unknown> {
  return {
    backend: 'webgpu',
    adapter: { ...info },
    adapterName: adapterName(info),
    cpuEmulation: isCpuEmulation(info),
  };
}
