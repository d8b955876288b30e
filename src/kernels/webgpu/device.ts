/// <reference types="@webgpu/types" preserve="true" />
/**
 * Finding a WebGPU device: in a page or a worker through `navigator.gpu`, in Node through the
 * `webgpu` package (`requestGpu(create([]))`). Every way it can be missing ends in one error
 * type, {@link WebGpuUnavailableError}, whose message names what was missing, so that a caller
 * can fall back to the wasm kernels and say why.
 */

/** Why no WebGPU device could be had. */
export type WebGpuMissing = 'no-gpu' | 'no-adapter' | 'no-device' | 'device-lost';

/** WebGPU is missing, no adapter was found, or the device could not be had or was lost. */
export class WebGpuUnavailableError extends Error {
  override readonly name = 'WebGpuUnavailableError';
  readonly reason: WebGpuMissing;
  constructor(reason: WebGpuMissing, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** What the adapter says of itself (`GPUAdapter.info`; empty strings where it says nothing). */
export interface GpuInfo {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

/** An adapter, the device requested from it, and the adapter's description. */
export interface Gpu {
  adapter: GPUAdapter;
  device: GPUDevice;
  info: GpuInfo;
  /** Resolves (never rejects) with the error to report if the device is ever lost. */
  lost: Promise<WebGpuUnavailableError>;
}

/**
 * Requests a high-performance adapter from `gpu` (null: as if WebGPU were missing) and a device from it with the adapter's own
 * storage-buffer limits (the defaults cap a binding at 128 MiB). Throws a
 * {@link WebGpuUnavailableError} when `gpu` is missing, no adapter exists or the device fails.
 */
export async function requestGpu(
  gpu: GPU | null | undefined = globalThis.navigator?.gpu,
  options: GPURequestAdapterOptions = { powerPreference: 'high-performance' },
): Promise<Gpu> {
  if (!gpu) {
    throw new WebGpuUnavailableError(
      'no-gpu',
      'WebGPU is not available: navigator.gpu is missing (an old browser, an insecure context, ' +
        "or Node without the 'webgpu' package)",
    );
  }
  const adapter = await gpu.requestAdapter(options);
  if (!adapter) {
    throw new WebGpuUnavailableError(
      'no-adapter',
      'WebGPU is not available: requestAdapter() returned null (no GPU or driver; headless ' +
        'Chromium needs --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader)',
    );
  }
  const limits = adapter.limits;
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
      },
    });
  } catch (e) {
    throw new WebGpuUnavailableError('no-device', `WebGPU: requestDevice() failed: ${String(e)}`);
  }
  const lost = device.lost.then(deviceLostError);
  return { adapter, device, info: adapterInfo(adapter), lost };
}

/** The error that reports a lost device. */
export function deviceLostError(info: GPUDeviceLostInfo): WebGpuUnavailableError {
  const why = info.reason ?? 'unknown';
  return new WebGpuUnavailableError(
    'device-lost',
    `WebGPU: the device was lost (${why})${info.message ? `: ${info.message}` : ''}`,
  );
}

/** The adapter's vendor, architecture and description, where it gives them. */
function adapterInfo(adapter: GPUAdapter): GpuInfo {
  const info = (adapter as { info?: Partial<GpuInfo> }).info ?? {};
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
  };
}
