/**
 * Issue 12, point 8 (the element's part): on a 390 px phone the element fits its width, its
 * controls and nodes are 44 px targets under `(pointer: coarse)`, and touch reads a node with
 * a tap and clamps it with a long press (mouse: hover reads, click clamps).
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../components/define';
import { PcNetwork, type PcClampChangeDetail } from '../../../components/index';
import { LONG_PRESS_MS } from '../../../components/pc-network/interaction';
import { nodeElement, record, sleep } from '../harness';

const PHONE = 390;

/** `<pc-network>` with `attrs` in a container as wide as a phone. */
async function onPhone(attrs: string): Promise<PcNetwork> {
  const wrapper = await fixture<HTMLElement>(html`<div style="width: ${PHONE}px"></div>`);
  wrapper.innerHTML = `<pc-network ${attrs}></pc-network>`;
  const el = wrapper.querySelector('pc-network')!;
  await el.updateComplete;
  return el;
}

/**
 * Applies the element's `(pointer: coarse)` rules as a phone would: its styles again, with
 * that media query made to match (headless Chromium has a fine pointer).
 */
async function asCoarsePointer(el: PcNetwork): Promise<void> {
  const text = [PcNetwork.styles]
    .flat()
    .map((s) => ('cssText' in s ? s.cssText : ''))
    .join('\n');
  expect(text).to.contain('@media (pointer: coarse)');
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text.replaceAll('(pointer: coarse)', 'all'));
  el.shadowRoot!.adoptedStyleSheets = [sheet];
  await el.updateComplete;
}

/** How far anything in the element reaches past its right edge, in px (0: nothing does). */
function overflow(el: PcNetwork): number {
  const right = el.getBoundingClientRect().right;
  let most = 0;
  for (const node of el.shadowRoot!.querySelectorAll('*')) {
    const box = node.getBoundingClientRect();
    if (box.width > 0) most = Math.max(most, box.right - right);
  }
  return most;
}

/** The visible controls a finger must hit. */
function controls(el: PcNetwork): HTMLElement[] {
  return Array.from(
    el.shadowRoot!.querySelectorAll<HTMLElement>('button, input, select, summary, label.button'),
  ).filter((c) => c.getBoundingClientRect().width > 0 && !c.classList.contains('visually-hidden'));
}

function touch(target: Element, type: string, init: PointerEventInit = {}): void {
  const box = target.getBoundingClientRect();
  target.dispatchEvent(
    new PointerEvent(type, {
      pointerId: 3,
      pointerType: 'touch',
      isPrimary: true,
      clientX: box.left + box.width / 2,
      clientY: box.top + box.height / 2,
      bubbles: true,
      composed: true,
      cancelable: true,
      ...init,
    }),
  );
}

/** A finger on `target` for `ms`, then lifted; the browser's click follows, as on a phone. */
async function press(target: Element, ms: number): Promise<void> {
  touch(target, 'pointerdown', { buttons: 1 });
  await sleep(ms);
  touch(target, 'pointerup', { buttons: 0 });
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
}

const readout = (el: PcNetwork) =>
  el.shadowRoot!.querySelector('[part="readout"]')!.textContent!.trim();

describe('<pc-network> on a 390 px phone', () => {
  for (const attrs of ['', 'preset="deep-10-5-3"', 'preset="mnist"', 'layers="64-64-10"']) {
    it(`fits the width with ${attrs || 'the defaults'}, fine and coarse pointers`, async () => {
      const el = await onPhone(attrs);
      expect(el.getBoundingClientRect().width).to.be.at.most(PHONE);
      expect(overflow(el)).to.be.at.most(0.5);
      await asCoarsePointer(el);
      expect(el.getBoundingClientRect().width).to.be.at.most(PHONE);
      expect(overflow(el)).to.be.at.most(0.5);
    });
  }

  it('makes every control 44 px or more on a coarse pointer', async () => {
    const el = await onPhone('preset="deep-10-5-3"');
    el.shadowRoot!.querySelector('details')!.open = true;
    const small = () =>
      controls(el).filter((c) => {
        const box = c.getBoundingClientRect();
        const wide = c instanceof HTMLButtonElement ? box.width >= 44 : true;
        return box.height < 44 || !wide;
      });
    expect(small().length, 'fine pointer: the desktop sizes').to.be.greaterThan(0);
    await asCoarsePointer(el);
    const left = small().map(
      (c) => `${c.outerHTML.slice(0, 60)} ${c.getBoundingClientRect().height}`,
    );
    expect(left).to.deep.equal([]);
    expect(controls(el).length).to.be.greaterThan(10); // toolbar, classes, parameters, file
  });

  it('makes nodes 44 px across on a coarse pointer while the layer has room', async () => {
    const el = await onPhone('layers="3-2"');
    const width = () => nodeElement(el, 1, 0).getBoundingClientRect().width;
    expect(width()).to.be.closeTo(22, 0.6);
    await asCoarsePointer(el);
    expect(width()).to.be.closeTo(44, 0.6);
  });

  it('a tap reads a node and does not clamp it; a long press clamps and releases', async () => {
    const el = await onPhone('layers="3-2"');
    expect(readout(el)).to.match(/^Hover over or focus a node/);
    const changes = record<PcClampChangeDetail>(el, 'pc-clamp-change');
    await press(nodeElement(el, 0, 2), 40);
    await el.updateComplete;
    expect(readout(el)).to.match(/^Layer 1 node 2: x = /);
    expect(changes).to.have.length(0);
    expect(Array.from(el.snapshot.clamped[0])).to.deep.equal([0, 0, 0]);

    await press(nodeElement(el, 0, 1), LONG_PRESS_MS + 150);
    await el.updateComplete;
    expect(changes.map((e) => e.detail.clamped)).to.deep.equal([true]);
    expect(Array.from(el.snapshot.clamped[0])).to.deep.equal([0, 1, 0]);
    expect(readout(el)).to.match(/^Layer 1 node 1: .*\(clamped\)$/);

    await press(nodeElement(el, 0, 1), LONG_PRESS_MS + 150);
    await el.updateComplete;
    expect(changes.map((e) => e.detail.clamped)).to.deep.equal([true, false]);
    expect(Array.from(el.snapshot.clamped[0])).to.deep.equal([0, 0, 0]);
  });

  it('a finger that moves is scrolling: no clamp; the hint speaks of taps', async () => {
    const el = await onPhone('layers="3-2"');
    const changes = record<PcClampChangeDetail>(el, 'pc-clamp-change');
    const node = nodeElement(el, 0, 0);
    touch(node, 'pointerdown', { buttons: 1 });
    const box = node.getBoundingClientRect();
    touch(node, 'pointermove', { clientY: box.top + 60, buttons: 1 });
    await sleep(LONG_PRESS_MS + 150);
    touch(node, 'pointerup');
    await el.updateComplete;
    expect(changes).to.have.length(0);
    const other = await onPhone('layers="3-2"');
    touch(other.shadowRoot!.querySelector('[part="stage"]')!, 'pointerdown'); // not on a node
    await other.updateComplete;
    expect(readout(other)).to.equal(
      'Tap a node to read its values; press and hold it to clamp or release it.',
    );
  });

  it('a mouse click still clamps at once', async () => {
    const el = await onPhone('layers="3-2"');
    const changes = record<PcClampChangeDetail>(el, 'pc-clamp-change');
    nodeElement(el, 0, 0).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    await el.updateComplete;
    expect(changes.map((e) => e.detail.clamped)).to.deep.equal([true]);
  });
});
