// Screening runs: how short they are, what they cost against a full simulation, and how far a screen
// may stray from a guess before the guess is taken to be wrong.
import { describe, expect, it } from 'vitest';
import {
  screenScenario,
  screens,
  screenTolerance,
  screenWeight,
  usageDistance,
} from '../../src/plan/index.ts';
import { tiny } from './fixture.ts';

describe('screens', () => {
  // Six entry points, 1650 requests/s in all; 30 s of which 5 s warm-up; 3 replications.
  const s = tiny({ rate: '1650/s' });
  s.simulation = { ...s.simulation, duration: 30, warmup: 5, replications: 3 };
  s.simulation.precision = { relative: 0.05, absolute: 5e-4, maxReplications: 20 };

  it('are one replication of 8 s, 2 s of them warm-up, with no precision target', () => {
    const t = screenScenario(s).simulation;
    expect(t).toMatchObject({ duration: 8, warmup: 2, replications: 1 });
    expect(t.precision).toBeUndefined();
    // 8 simulated seconds against 3 x 30.
    expect(screenWeight(s)).toBeCloseTo(8 / 90, 12);
    expect(screens(s)).toBe(true);
  });

  it('are skipped where they would cost more than a quarter of a full simulation', () => {
    // The fixture's own 3 s, one replication: a screen would be the full run again.
    expect(screens(tiny())).toBe(false);
    const short = tiny();
    short.simulation = { ...short.simulation, duration: 32, warmup: 1, replications: 1 };
    expect(screenWeight(short)).toBeCloseTo(0.25, 12);
    expect(screens(short)).toBe(true);
  });

  it('confirm a guess within three standard errors of the requests in their 6 s window', () => {
    // 1650/s x 6 s = 9900 requests: 3 / sqrt(9900) = 3.02 %.
    expect(screenTolerance(s)).toBeCloseTo(3 / Math.sqrt(9900), 12);
    expect(usageDistance({ application: 10.2, ztunnel: 1 }, { application: 10, ztunnel: 1 })).toBeCloseTo(
      0.2 / 11,
      12,
    );
    expect(usageDistance({ application: 1 }, { application: 1, ztunnel: 0.5 })).toBeCloseTo(0.5 / 1.5, 12);
    expect(usageDistance({}, {})).toBe(0);
  });
});
