// `meshsim calibrate` end to end (one replication to keep it short): one row per published figure, in
// order, with its error computed from the published and simulated values, and every figure within the
// tolerance the calibration promises.
import { describe, expect, it } from 'vitest';
import { calibrate, FIGURES, TOLERANCE } from '../../src/calibrate/index.ts';

describe('calibrate', () => {
  it('reproduces every published figure within the tolerance', () => {
    const r = calibrate({ replications: 1 });
    expect(r.schema).toBe('meshsim/calibration/v1');
    expect(r.tolerance).toBe(TOLERANCE);
    expect(r.calibration.map((c) => c.figure)).toEqual(FIGURES.map((f) => f.figure));
    for (const c of r.calibration) {
      expect(Number.isFinite(c.simulated), c.figure).toBe(true);
      expect(c.error).toBeCloseTo((c.simulated - c.published) / c.published, 12);
      expect(c.ok, `${c.figure}: ${c.simulated} vs ${c.published}`).toBe(Math.abs(c.error) <= TOLERANCE);
      expect(c.ok, `${c.figure}: ${c.simulated} vs ${c.published}`).toBe(true);
    }
  }, 300_000);
});
