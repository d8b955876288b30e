import { expect } from '@open-wc/testing';
import { JS_KERNELS as js } from '../../../src/kernels/js';
import { ACTIVATION } from '../../../src/kernels/kernels';
import { describeBuilds, expectNear } from './helpers';

const TANH_ATOL = 2e-6;

describeBuilds('activate', (t) => {
  it('tanh within 2e-6 of Math.tanh, logistic too, identity and relu exact', () => {
    const { be, arena } = t;
    // A dense sweep through both tanh branches (|x| < 0.625 and beyond), then edge values.
    const sweep: number[] = [];
    for (let i = -2400; i <= 2400; i++) sweep.push(i / 200);
    // prettier-ignore
    const edges = [0, -0, 1e-30, -1e-30, 1e-7, -3e-4, 0.6249999, 0.625, -0.625, 0.6250001,
      8.9, 19.99, 20, 21, 40, 87, 88.5, 100, -100, 1e30, -1e30, Infinity, -Infinity, NaN];
    for (const values of [sweep, edges, edges.slice(0, 1), edges.slice(0, 3), edges.slice(0, 7)]) {
      const n = values.length;
      const x = arena.vec(n);
      x.set(values);
      for (const kind of Object.values(ACTIVATION)) {
        const s = arena.vec(n, 9);
        const ds = arena.vec(n, 9);
        be.kernels.activate(s, ds, x, n, kind);
        const rs = new Float32Array(n);
        const rds = new Float32Array(n);
        js.activate(rs, rds, x, n, kind);
        const tol = kind === ACTIVATION.identity || kind === ACTIVATION.relu ? 0 : TANH_ATOL;
        for (let j = 0; j < n; j++) {
          const what = `activate kind ${kind} at x = ${x[j]}`;
          expectNear(s[j], rs[j], tol, `${what}: σ`);
          expectNear(ds[j], rds[j], tol, `${what}: σ'`);
          if (kind === ACTIVATION.tanh && x[j] === 0) {
            expect(Object.is(s[j], x[j]), 'tanh keeps the sign of zero').to.equal(true);
          }
        }
      }
    }
    expect(() => be.kernels.activate(arena.vec(1), arena.vec(1), arena.vec(1), 1, 7)).to.throw(
      RangeError,
    );
  });
});
