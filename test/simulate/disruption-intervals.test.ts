// Disruption figures over replications: each with its 95 % interval by the rule its kind of figure
// takes, and the paired difference of each figure between architectures, checked by hand.
import { describe, expect, it } from 'vitest';
import { type DisruptionRecord, emptyRecord } from '../../src/events/index.ts';
import { disruptionHtml } from '../../src/report/html/disruption.ts';
import { disruptionTable } from '../../src/report/index.ts';
import type { Results } from '../../src/simulate/index.ts';
import { averageRecords, disruptionDeltas } from '../../src/simulate/summarise/disruption.ts';
import { quickstartResults } from '../report/helpers.ts';

const base: DisruptionRecord = {
  ...emptyRecord('upgrade', 'upgrade', 60, 'rolling restart'),
  completed: true,
  rolloutDuration: 30,
  settledAfter: 40,
  podsRestarted: 13,
};
const rec = (o: Partial<DisruptionRecord>): DisruptionRecord => ({ ...base, ...o });

// t(0.975, 3 df) = 3.182446: the paired differences below are computed with it by hand.
const T3 = 3.182446;

describe('disruption intervals over replications', () => {
  const sidecar = [10, 12, 14, 16].map((f) => rec({ requestsFailed: f, rolloutDuration: f + 20 }));

  it('a count takes the union of the t and Poisson intervals; the planned restarts are exact', () => {
    const s = averageRecords(sidecar);
    expect(s.requestsFailed).toBe(13);
    // t: sd of 10,12,14,16 is sqrt(20/3); half = T3 * sd / 2 = 4.108; Poisson of 52 / 4 is narrower.
    const half = (T3 * Math.sqrt(20 / 3)) / 2;
    expect(s.intervals.requestsFailed!.lo).toBeCloseTo(13 - half, 6);
    expect(s.intervals.requestsFailed!.hi).toBeCloseTo(13 + half, 6);
    expect(s.intervals.rolloutDuration!.half).toBeCloseTo(half, 6);
    expect(s.intervals.podsRestarted).toEqual({ mean: 13, half: 0, lo: 13, hi: 13 });
    // A count of 0 in every replication keeps a Poisson upper bound: -ln(0.025) / 4.
    expect(s.intervals.connectionsReset!.hi).toBeCloseTo(-Math.log(0.025) / 4, 9);
    expect(s.intervals.connectionsReset!.lo).toBe(0);
  });

  it('a figure some replication has no value for carries no interval', () => {
    const s = averageRecords([rec({ settledAfter: null }), rec({})]);
    expect(s.settledAfter).toBeNull();
    expect(s.intervals.settledAfter).toBeUndefined();
  });

  it('paired differences: per-replication differences, their t interval, n.s. across zero', () => {
    const none = [0, 0, 0, 0].map(() => rec({ podsRestarted: 0, rolloutDuration: 0, requestsFailed: 0 }));
    const ambient = [11, 11, 15, 15].map((f) =>
      rec({ podsRestarted: 0, requestsFailed: f, rolloutDuration: 30 }),
    );
    const ds = disruptionDeltas([
      { architecture: 'none', reps: none.map((r) => [r]) },
      { architecture: 'sidecar', reps: sidecar.map((r) => [r]) },
      { architecture: 'ambient', reps: ambient.map((r) => [r]) },
    ]);
    const get = (from: string, to: string, metric: string) =>
      ds.find((d) => d.from === from && d.to === to && d.metric === metric)!;
    // ambient - sidecar failed: 1, -1, 1, -1: mean 0, sd sqrt(4/3), half T3 * sqrt(4/3) / 2.
    const af = get('sidecar', 'ambient', 'requestsFailed');
    expect(af.change).toBe(0);
    expect(af.ci![1]).toBeCloseTo((T3 * Math.sqrt(4 / 3)) / 2, 6);
    expect(af.significant).toBe(false);
    // sidecar - none failed: 10..16, all above zero by far.
    const sf = get('none', 'sidecar', 'requestsFailed');
    expect(sf.change).toBe(13);
    expect(sf.significant).toBe(true);
    // Pods restarted: the same in every replication, so the difference is exact.
    expect(get('none', 'sidecar', 'podsRestarted').ci).toEqual([13, 13]);
    expect(get('none', 'ambient', 'podsRestarted')).toMatchObject({ change: 0, significant: false });
    expect(get('none', 'sidecar', 'podsRestarted').label).toBe('upgrade');
  });

  it('the text and HTML tables show the intervals and the judged differences', () => {
    const r: Results = quickstartResults();
    r.scenario.replications = 4;
    const recs = [
      [0, 0, 0, 0].map(() => rec({ podsRestarted: 0 })),
      sidecar,
      [11, 11, 15, 15].map((f) => rec({ podsRestarted: 0, requestsFailed: f })),
    ];
    r.architectures.forEach((a, i) => {
      a.disruption = { events: [averageRecords(recs[i]!)] };
    });
    r.disruptionDeltas = disruptionDeltas(
      r.architectures.map((a, i) => ({ architecture: a.architecture, reps: recs[i]!.map((x) => [x]) })),
    );
    const t = disruptionTable(r);
    // Ambient's t interval (9.33 to 16.67) is narrower above than the Poisson one of 52 / 4 (to 17.05):
    // their union is not symmetric, so it shows as [lo, hi].
    const failed = t.split('\n').find((l) => l.trimStart().startsWith('requests failed'))!;
    expect(failed.trim().split(/\s{2,}/)).toEqual(['requests failed', '0', '13 ±4.11', '13 [9.33, 17.0]']);
    expect(t).toContain('requests failed: sidecar - none +13 [8.89, 17.1]; ambient - none +13 [');
    expect(t).toContain('ambient - sidecar 0 [-1.84, 1.84] n.s.');
    const html = disruptionHtml(r);
    expect(html).toContain('13 ±4.11 / 0');
    expect(html).toContain('<li>requests failed: sidecar - none +13');
  });
});
