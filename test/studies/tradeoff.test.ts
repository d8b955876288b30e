import { expect } from '@open-wc/testing';
import { paretoFront } from '../../src/studies/common';
import { batchFraction, lambdaAt, type LambdaSchedule } from '../../src/studies/schedule';

const schedule = (name: LambdaSchedule['name']): LambdaSchedule => ({
  name,
  lambda0: 0.05,
  rate: 5,
});

describe('the taper schedules (src/studies/schedule.ts)', () => {
  it('start at λ0; linear and exponential end at 0, constant stays', () => {
    for (const name of ['constant', 'linear', 'exponential'] as const) {
      expect(lambdaAt(schedule(name), 0)).to.be.closeTo(0.05, 1e-15);
    }
    expect(lambdaAt(schedule('constant'), 1)).to.equal(0.05);
    expect(lambdaAt(schedule('linear'), 1)).to.equal(0);
    expect(lambdaAt(schedule('exponential'), 1)).to.equal(0);
  });

  it('match their formulas midway, by hand', () => {
    expect(lambdaAt(schedule('linear'), 0.25)).to.be.closeTo(0.0375, 1e-15);
    // 0.05 (e^−2.5 − e^−5) / (1 − e^−5) = 0.05 (0.0820850 − 0.0067379) / 0.9932621
    expect(lambdaAt(schedule('exponential'), 0.5)).to.be.closeTo(0.0037929, 1e-7);
    // The exponential falls faster than the linear at first.
    expect(lambdaAt(schedule('exponential'), 0.1)).to.be.lessThan(
      lambdaAt(schedule('linear'), 0.1),
    );
  });

  it('the first batch is t = 0, the last t = 1', () => {
    expect(batchFraction(0, 10)).to.equal(0);
    expect(batchFraction(9, 10)).to.equal(1);
    expect(batchFraction(0, 1)).to.equal(0);
  });

  it('refuses a t outside [0, 1] and a bad rate, naming the value', () => {
    expect(() => lambdaAt(schedule('linear'), 1.5)).to.throw(/t must be in \[0, 1\], got 1.5/);
    expect(() => lambdaAt({ ...schedule('exponential'), rate: 0 }, 0.5)).to.throw(/got 0/);
  });
});

describe('paretoFront', () => {
  const p = (accuracy: number, cosine: number) => ({ accuracy, cosine });

  it('keeps the points no other beats in both, highest accuracy first', () => {
    const points = [p(0.9, 0.1), p(0.8, 0.3), p(0.7, 0.2), p(0.6, 0.5), p(0.9, 0.05)];
    expect(paretoFront(points)).to.deep.equal([p(0.9, 0.1), p(0.8, 0.3), p(0.6, 0.5)]);
  });

  it('keeps equal points together and leaves out NaN', () => {
    expect(paretoFront([p(0.5, 0.5), p(0.5, 0.5), p(NaN, 1)])).to.deep.equal([
      p(0.5, 0.5),
      p(0.5, 0.5),
    ]);
  });
});
