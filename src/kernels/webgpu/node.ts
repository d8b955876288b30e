/// <reference types="@webgpu/types" preserve="true" />
/**
 * WebGPU in Node through the `webgpu` package (Dawn's Node bindings), imported dynamically so
 * that nothing else loads Dawn. Every way it can be missing ends in a
 * {@link WebGpuUnavailableError} whose one-line message names what is missing: the package,
 * the Vulkan loader (`libvulkan.so.1`), or any adapter at all, with the settings that give
 * SwiftShader, the software adapter of Debian's chromium package, on a machine without a GPU:
 *
 *     VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium
 */
import { type Gpu, requestGpu, WebGpuUnavailableError } from './device';
import { GpuKernels } from './kernels';

/** The settings that give Dawn chromium's SwiftShader (see the module comment). */
export const SWIFTSHADER_ENV =
  'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium';

interface WebGpuModule {
  create(options: string[]): GPU;
  globals: Record<string, unknown>;
}

let cached: Promise<Gpu> | undefined;
/**
 * Dawn's GPU object, kept for the life of the process: once it is garbage-collected Dawn
 * tears its instance down under the live device, and the process aborts in native code.
 */
const instances: GPU[] = [];

/**
 * A device from Dawn (once per process; later calls share it). `dawnOptions` go to the
 * package's `create` (e.g. `['backend=vulkan']`). Throws a {@link WebGpuUnavailableError}.
 */
export function requestNodeGpu(dawnOptions: string[] = []): Promise<Gpu> {
  return (cached ??= load(dawnOptions).catch((e: unknown) => {
    cached = undefined;
    throw e;
  }));
}

/** {@link requestNodeGpu} and the WGSL kernels compiled on its device. */
export async function nodeGpuKernels(
  dawnOptions: string[] = [],
): Promise<{ gpu: Gpu; kernels: GpuKernels }> {
  const gpu = await requestNodeGpu(dawnOptions);
  return { gpu, kernels: await GpuKernels.create(gpu.device) };
}

async function load(dawnOptions: string[]): Promise<Gpu> {
  let mod: WebGpuModule;
  try {
    // A variable specifier: bundlers leave it to Node (the CLI's build marks it external).
    const name = 'webgpu';
    mod = (await import(name)) as WebGpuModule;
  } catch (e) {
    throw new WebGpuUnavailableError(
      'no-gpu',
      `WebGPU in Node needs the npm package 'webgpu' (Dawn), which did not load: ${firstLine(e)}`,
    );
  }
  // Dawn needs its WebGPU globals (GPUBufferUsage and the like) for the code that uses them.
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  // On Linux Dawn reaches every GPU through Vulkan; without the loader it would print a
  // two-line native warning and find no adapter, so look for the loader first.
  if (process.platform === 'linux' && !(await hasVulkanLoader())) {
    throw new WebGpuUnavailableError(
      'no-adapter',
      'WebGPU in Node: no adapter, the Vulkan loader libvulkan.so.1 is missing (install ' +
        `libvulkan1 and the GPU's Vulkan driver, or for SwiftShader run with ${SWIFTSHADER_ENV})`,
    );
  }
  try {
    const gpu = mod.create(dawnOptions);
    instances.push(gpu);
    return await requestGpu(gpu);
  } catch (e) {
    if (!(e instanceof WebGpuUnavailableError) || e.reason !== 'no-adapter') throw e;
    throw new WebGpuUnavailableError(
      'no-adapter',
      'WebGPU in Node: no adapter (Dawn found no Vulkan driver it accepts; VK_ICD_FILENAMES=' +
        `${process.env.VK_ICD_FILENAMES ?? '(unset)'}); install the GPU's Vulkan driver, or ` +
        `for SwiftShader run with ${SWIFTSHADER_ENV}`,
    );
  }
}

/** Whether the dynamic linker can find libvulkan.so.1: LD_LIBRARY_PATH, ld.so's cache, the usual folders. */
async function hasVulkanLoader(): Promise<boolean> {
  const fsName = 'node:fs';
  const fs = (await import(fsName)) as typeof import('node:fs');
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];
  if (dirs.some((d) => fs.existsSync(`${d}/libvulkan.so.1`))) return true;
  try {
    return fs.readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}
