// The pre-run estimate: service visits by hand through the call graph, and the refusals it leads to.

import { describe, expect, it } from 'vitest';
import {
  describeEstimate,
  estimateRun,
  eventsPerSecond,
  overBudget,
  visitsPerRequest,
} from '../../src/budget/index.ts';
import { refuseOverBudget } from '../../src/cli/budget.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { MAX_SERIES_BINS, seriesBins, seriesStep } from '../../src/simulate/index.ts';
import { loadBundled } from '../helpers/bundled.ts';

const MACHINE = { memory: 24 * 2 ** 30, cores: 2 };

describe('visitsPerRequest', () => {
  it('quickstart: frontend calls catalog once and cart with probability 0.3, cart calls cart-db', () => {
    const v = visitsPerRequest(loadBundled('quickstart'));
    expect(v.get('shop/cart-db')).toBe(1);
    expect(v.get('shop/cart')).toBe(2);
    expect(v.get('shop/catalog')).toBe(1);
    // 1 (frontend) + 1 (catalog) + 0.3 x (cart + cart-db)
    expect(v.get('shop/frontend')).toBeCloseTo(2.6, 12);
  });

  it('bookinfo: reviews calls ratings in v2 and v3 only, so with their weights 0.3 + 0.2 of the time', () => {
    const s = loadBundled('bookinfo');
    const v = visitsPerRequest(s);
    expect(v.get('bookinfo/reviews')).toBeCloseTo(1.5, 12);
    // 1 (productpage) + 1 (details) + 1.5 (reviews and its ratings calls)
    expect(v.get('bookinfo/productpage')).toBeCloseTo(3.5, 12);
    // Without weights the split is by replicas: two of three pods call ratings.
    for (const x of s.services[2]!.versions!) delete x.weight;
    expect(visitsPerRequest(s).get('bookinfo/reviews')).toBeCloseTo(1 + 2 / 3, 12);
  });
});

describe('eventsPerSecond', () => {
  it('reproduces the two pooled runs it was fitted to, and falls with the cluster', () => {
    // large: 98.4 M events in 38.3 s on 2 workers; huge: 454.6 M in 326.8 s (src/budget/estimate.ts)
    expect(eventsPerSecond(30_000) / (98.4e6 / 38.3 / 2)).toBeCloseTo(1, 1);
    expect(eventsPerSecond(150_000) / (454.6e6 / 326.8 / 2)).toBeCloseTo(1, 1);
    expect(eventsPerSecond(0)).toBeGreaterThan(eventsPerSecond(1_000));
    expect(eventsPerSecond(1_000)).toBeGreaterThan(eventsPerSecond(1_000_000));
  });

  it('estimates large and huge within 15 % of their measured wall time on 2 workers', () => {
    expect(estimateRun(loadBundled('large'), 2).wallSeconds / 38.3).toBeGreaterThan(0.85);
    expect(estimateRun(loadBundled('large'), 2).wallSeconds / 38.3).toBeLessThan(1.15);
    expect(estimateRun(loadBundled('huge'), 2).wallSeconds / 327).toBeGreaterThan(0.85);
    expect(estimateRun(loadBundled('huge'), 2).wallSeconds / 327).toBeLessThan(1.15);
  });
});

describe('describeEstimate', () => {
  it('names the simulations, events, time, threads and memory', () => {
    const e = {
      simulations: 2,
      entryRequests: 0,
      events: 6e8,
      pods: 1,
      nodes: 1,
      memory: 2.76e9,
      wallSeconds: 652,
      outputBytes: 0,
    };
    expect(describeEstimate(e, 2, false)).toMatch(
      /^estimate: 2 simulations, 600 million events, about 11 minutes on 2 worker threads and 2\.76 GB of memory/,
    );
    const one = { ...e, simulations: 1, events: 12_345, wallSeconds: 0.2, memory: 2e8 };
    expect(describeEstimate(one, 4, true)).toMatch(
      /^estimate: up to 1 simulation, 12,345 events, about 1 s on 1 worker thread and 200 MB of memory/,
    );
  });
});

describe('estimateRun', () => {
  it('scales with rate, duration, replications and architectures', () => {
    const s = loadBundled('quickstart', { duration: 20, warmup: 5, replications: 2 });
    const e = estimateRun(s);
    // 200/s x 20 s (the duration counts the warm-up in) x 2.6 visits x (4 + 6 + 6) events per visit for
    // none, sidecar and ambient x 2 replications
    expect(e.simulations).toBe(6);
    expect(e.events).toBeCloseTo(200 * 20 * 2.6 * 16 * 2, 6);
    const longer = estimateRun({ ...s, simulation: { ...s.simulation, duration: 40 } });
    expect(longer.events).toBeCloseTo(2 * e.events, 6);
    expect(longer.memory).toBeGreaterThan(e.memory);
  });

  it('the warm-up is inside the duration, and no mesh costs fewer events per visit than a mesh', () => {
    const s = loadBundled('quickstart', { duration: 20, warmup: 5, replications: 1 });
    const warmer = { ...s, simulation: { ...s.simulation, warmup: 15 } };
    expect(estimateRun(warmer).events).toBe(estimateRun(s).events);
    const only = (arch: 'none' | 'sidecar' | 'ambient') => estimateRun({ ...s, compare: [arch] }).events;
    expect(only('none')).toBeCloseTo(200 * 20 * 2.6 * 4, 6);
    expect(only('sidecar')).toBeCloseTo(200 * 20 * 2.6 * 6, 6);
    expect(only('ambient')).toBe(only('sidecar'));
  });

  it('a precision run is estimated at its maxReplications, the most it may run', () => {
    const s = loadBundled('quickstart', { duration: 20, warmup: 5, replications: 2 });
    const precise = {
      ...s,
      simulation: { ...s.simulation, precision: { relative: 0.05, absolute: 1e-4, maxReplications: 40 } },
    };
    const e = estimateRun(precise);
    expect(e.simulations).toBe(3 * 40);
    expect(e.events).toBeCloseTo(200 * 20 * 2.6 * 16 * 40, 6);
  });

  it('the bundled scenarios fit this machine', () => {
    for (const name of ['quickstart', 'billing', 'three-tier', 'large'])
      expect(overBudget(estimateRun(loadBundled(name)), MACHINE), name).toEqual([]);
  });

  it('a week at 1 req/s fits: the series is capped at MAX_SERIES_BINS bins (issue 18)', () => {
    const s = loadBundled('quickstart');
    const week = { ...s, traffic: s.traffic.map((t) => ({ ...t, rate: 1 })) };
    week.simulation = { ...s.simulation, duration: 7 * 86400, timeStep: 1 };
    expect(overBudget(estimateRun(week), MACHINE)).toEqual([]);
    // The series term is the same as for a run of exactly MAX_SERIES_BINS steps: it stopped growing.
    const capped = { ...week, simulation: { ...week.simulation, duration: MAX_SERIES_BINS } };
    expect(estimateRun(week).memory).toBe(estimateRun(capped).memory);
    expect(seriesStep(7 * 86400, 1)).toBe(605);
    expect(seriesBins(7 * 86400, 1)).toBeLessThanOrEqual(MAX_SERIES_BINS);
  });

  it('a million replicas is refused for memory; 1e8 req/s for time', () => {
    const s = loadBundled('quickstart');
    const big = { ...s, services: s.services.map((x) => ({ ...x, replicas: 1_000_000 })) };
    expect(overBudget(estimateRun(big), MACHINE).join('\n')).toMatch(/memory/);
    const fast = { ...s, traffic: s.traffic.map((t) => ({ ...t, rate: 1e8 })) };
    expect(overBudget(estimateRun(fast), MACHINE).join('\n')).toMatch(/would take about .* days/);
  });

  it('the CLI check throws a usage error unless forced', () => {
    const s = loadBundled('quickstart');
    const fast = { ...s, traffic: s.traffic.map((t) => ({ ...t, rate: 1e8 })) };
    expect(() => refuseOverBudget(fast, false)).toThrow(UsageError);
    expect(() => refuseOverBudget(fast, true)).not.toThrow();
    expect(() => refuseOverBudget(s, false)).not.toThrow();
  });
});
