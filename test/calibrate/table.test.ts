// The calibration table: published and simulated side by side, signed error in percent, OUT beyond the
// tolerance, and a closing line that counts the misses.
import { describe, expect, it } from 'vitest';
import { type CalibrationResults, calibrationTable } from '../../src/calibrate/index.ts';

const row = (figure: string, published: number, simulated: number, tolerance: number) => {
  const error = (simulated - published) / published;
  return { figure, source: 'src', unit: 'ms', published, simulated, error, ok: Math.abs(error) <= tolerance };
};

describe('calibrationTable', () => {
  it('marks figures outside the tolerance and says how many', () => {
    const r: CalibrationResults = {
      schema: 'meshsim/calibration/v1',
      meshsimVersion: 'test',
      tolerance: 0.1,
      calibration: [row('a', 1, 1.05, 0.1), row('b', 2, 1.5, 0.1)],
    };
    const lines = calibrationTable(r).split('\n');
    expect(lines[0]).toMatch(/^figure\s+published\s+simulated\s+error\s+source$/);
    expect(lines[1]).toMatch(/^a\s.*\+5\.0%\s+ok\s+src$/);
    expect(lines[2]).toMatch(/^b\s.*-25\.0%\s+OUT\s+src$/);
    expect(lines.at(-1)).toBe('1 figure(s) outside 10 %');
  });

  it('says all are within when none misses', () => {
    const r: CalibrationResults = {
      schema: 'meshsim/calibration/v1',
      meshsimVersion: 'test',
      tolerance: 0.1,
      calibration: [row('a', 1, 0.95, 0.1)],
    };
    expect(calibrationTable(r).split('\n').at(-1)).toBe('all 1 figures within 10 %');
  });
});
