// Progress of a plan: simulations counted (not chains), work weighted by cost, and the ETA text.
import { describe, expect, it, vi } from 'vitest';
import { etaSeconds, formatDone, formatEta, progress, stepEta } from '../../src/cli/progress.ts';
import { type PlanProgress, ProgressTally, runPlan } from '../../src/plan/index.ts';
import { tiny } from './fixture.ts';

describe('formatEta', () => {
  it('never shows 60 seconds or 60 minutes, and pads the smaller unit', () => {
    expect(formatEta(0)).toBe('0s');
    expect(formatEta(59.4)).toBe('59s');
    expect(formatEta(59.5)).toBe('1m00s');
    expect(formatEta(119.6)).toBe('2m00s');
    expect(formatEta(28 * 60 + 59.7)).toBe('29m00s');
    expect(formatEta(3 * 60 + 5)).toBe('3m05s');
    expect(formatEta(3599.4)).toBe('59m59s');
    expect(formatEta(3599.6)).toBe('1h00m');
    expect(formatEta(2 * 3600 + 59 * 60 + 50)).toBe('3h00m');
    expect(formatEta(3600 + 2 * 60)).toBe('1h02m');
  });

  it('says -- when there is no estimate yet, never NaN or Infinity', () => {
    for (const x of [null, Number.NaN, Number.POSITIVE_INFINITY, -1]) expect(formatEta(x)).toBe('--');
    expect(formatEta(etaSeconds(10, 0, 5))).toBe('--');
  });

  it('extrapolates the rate of work done, not of steps', () => {
    // 30 s for 10 units of work; 20 left: 60 s, however many simulations that is.
    expect(etaSeconds(30, 10, 20)).toBe(60);
    expect(etaSeconds(30, 10, 0)).toBe(0);
    expect(stepEta(1000, 4000, 3, 12)).toBe(9);
  });

  it("gives no ETA from less than 1 % of the steps (a replication's first slices)", () => {
    expect(stepEta(0, 500, 0.005, 1)).toBeNull();
    expect(stepEta(0, 500, 0.02, 3)).toBeNull();
    expect(stepEta(0, 1000, 0.01, 1)).toBeCloseTo(99, 9);
  });
});

describe('formatDone', () => {
  it('shows whole steps as they are and a part-done one cut to a tenth', () => {
    expect(formatDone(3)).toBe('3');
    expect(formatDone(0)).toBe('0');
    expect(formatDone(1.46)).toBe('1.4');
    expect(formatDone(1.97)).toBe('1.9'); // never 2.0 before the second step is done
    expect(formatDone(0.04)).toBe('0.0');
  });
});

describe('progress', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const tty = process.stderr.isTTY;
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      process.stderr.isTTY = false;
      const bar = progress('planning', 'simulations');
      bar.update(1, 4, 30);
      bar.stop();
      expect(write).not.toHaveBeenCalled();
    } finally {
      process.stderr.isTTY = tty;
      write.mockRestore();
    }
  });
});

describe('ProgressTally', () => {
  it('counts simulations, expects one more per open chain, and weighs only work run here', () => {
    const t = new ProgressTally([1, 10, 10]);
    expect(t.snapshot()).toEqual({
      simulations: 0,
      expected: 3,
      workDone: 0,
      workLeft: 21,
      chainsDone: 0,
      chains: 3,
    } satisfies PlanProgress);
    t.simulated(1, 'run');
    t.simulated(2, 'shared');
    t.simulated(0, 'reused');
    t.chainDone(2);
    expect(t.snapshot()).toMatchObject({ simulations: 3, expected: 5, workDone: 10, workLeft: 11 });
    t.simulated(1, 'run');
    t.chainDone(1);
    t.chainDone(0);
    expect(t.snapshot()).toMatchObject({
      simulations: 4,
      expected: 4,
      workDone: 20,
      workLeft: 0,
      chainsDone: 3,
    });
  });

  it('ends with the bar full: every simulation counted, none expected beyond them', async () => {
    const seen: PlanProgress[] = [];
    const s = tiny({ vcpu: '1', replicas: 6, cpu: '50m', serviceTime: '10ms', rate: '300/s' });
    const { stats } = await runPlan(
      s,
      { instanceTypes: ['pool'], growth: [1, 2] },
      { onProgress: (p) => seen.push(p) },
    );
    const last = seen.at(-1)!;
    const total = stats.simulations + stats.reused + stats.shared + stats.screens;
    expect(last).toMatchObject({ simulations: total, expected: total, workLeft: 0, chainsDone: 6 });
    // The count only grows, and never passes what is expected.
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.simulations).toBeGreaterThanOrEqual(seen[i - 1]!.simulations);
      expect(seen[i]!.simulations).toBeLessThanOrEqual(seen[i]!.expected);
    }
  });
});
