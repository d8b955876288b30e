import { expect } from '@open-wc/testing';
import { requestGpu, WebGpuUnavailableError } from '../../../src/kernels/webgpu/device';
import { gpuKernels } from './helpers';

/** requestGpu's failure for `gpu`, as the error it throws. */
async function failure(gpu: GPU | null): Promise<WebGpuUnavailableError> {
  try {
    await requestGpu(gpu);
  } catch (e) {
    expect(e).to.be.instanceOf(WebGpuUnavailableError);
    return e as WebGpuUnavailableError;
  }
  return expect.fail('requestGpu resolved');
}

describe('webgpu device', () => {
  it('finds an adapter and a device here (SwiftShader where there is no GPU)', async () => {
    const { gpu } = await gpuKernels();
    const { vendor, architecture, device, description } = gpu.info;
    console.log(`WebGPU adapter: ${JSON.stringify(gpu.info)}`);
    expect(
      vendor || architecture || device || description,
      'the adapter says what it is',
    ).to.not.equal('');
    expect(gpu.device.limits.maxStorageBufferBindingSize).to.be.at.least(128 << 20);
  });

  it('names navigator.gpu when WebGPU is missing', async () => {
    const e = await failure(null);
    expect(e.reason).to.equal('no-gpu');
    expect(e.message).to.contain('navigator.gpu is missing');
  });

  it('names requestAdapter() when there is no adapter', async () => {
    const e = await failure({ requestAdapter: async () => null } as unknown as GPU);
    expect(e.reason).to.equal('no-adapter');
    expect(e.message).to.contain('requestAdapter() returned null');
  });

  it('reports a device that fails or is lost', async () => {
    const refuse = async () => {
      throw new Error('out of devices');
    };
    const adapter = { limits: {}, requestDevice: refuse };
    const e = await failure({ requestAdapter: async () => adapter } as unknown as GPU);
    expect(e.reason).to.equal('no-device');
    expect(e.message).to.contain('out of devices');

    const { device, lost } = await requestGpu();
    device.destroy();
    const gone = await lost;
    expect(gone.reason).to.equal('device-lost');
    expect(gone.message).to.contain('the device was lost (destroyed)');
  });
});
