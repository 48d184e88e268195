import { describe, expect, it } from 'vitest';
import { deriveSeed } from '../../sim/index.ts';
import { place } from '../../src/cluster/index.ts';
import { comparisonTable, resultsJson } from '../../src/report/index.ts';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';
import {
  buildWorld,
  MAX_SERIES_BINS,
  Replication,
  replicationPool,
  simulate,
  simulateWith,
} from '../../src/simulate/index.ts';

// Issue 18's reproducer: one worker at 100 ms can serve 10 req/s; 50 req/s with a 1 s timeout means
// almost nothing completes.
const SLOW = `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: slow }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 1, zones: [us-east-1a] }]
services:
  - name: slow
    replicas: 1
    concurrency: 1
    serviceTime: 100ms
traffic:
  - name: web
    to: slow
    rate: 50/s
    timeout: 1s
    slo: { p99: 500ms }
compare: [none]
simulation: { duration: 20s, warmup: 2s, replications: 2 }
`;

describe('results that do not lie (issue 18)', () => {
  it('an entry point with (almost) no completions has no made-up latency and fails its SLO', () => {
    const r = simulate(parseScenario(SLOW, 'slow.yaml'));
    const e = r.architectures[0]!.entryPoints[0]!;
    expect(e.failed.mean).toBeGreaterThan(500);
    expect(e.failed.lo).toBeGreaterThanOrEqual(0);
    expect(e.slo[0]!.met).toBe(false);
    // Whatever completed was served within the timeout; nothing reads as 0 ms.
    if (e.completed.mean === 0) {
      expect(Number.isNaN(e.latency.p99.mean)).toBe(true);
      expect(JSON.parse(resultsJson(r)).architectures[0].entryPoints[0].latency.p99.mean).toBeNull();
      expect(comparisonTable(r)).toMatch(/p99\s+-/);
    } else expect(e.latency.p99.mean).toBeGreaterThan(0.1);
    expect(e.throughput.mean).toBeLessThanOrEqual(10.5);
  });

  it('quickstart at 1M req/s warns that the system is saturated', () => {
    const s = loadScenario('scenarios/quickstart.yaml');
    s.traffic[0]!.rate = 1e6;
    s.simulation = { ...s.simulation, duration: 0.06, warmup: 0.01, replications: 1, timeStep: 0.01 };
    s.compare = ['none'];
    const r = simulate(s);
    const a = r.architectures[0]!;
    const e = a.entryPoints[0]!;
    expect(e.inFlight.mean).toBeGreaterThan(0.01 * e.offered.mean);
    expect(a.warnings.some((w) => w.includes('saturated'))).toBe(true);
    expect(e.throughput.mean).toBeCloseTo(e.completed.mean / 0.05, 6);
    if (e.completed.mean === 0) expect(e.slo.every((x) => !x.met)).toBe(true);
  });
});

describe('per-second series of long runs', () => {
  it('are capped at MAX_SERIES_BINS bins, merged into wider steps', () => {
    const s = loadScenario('scenarios/quickstart.yaml');
    s.traffic[0]!.rate = 1;
    s.simulation = { ...s.simulation, duration: 3000, warmup: 10, replications: 1, timeStep: 1 };
    s.compare = ['none'];
    const r = simulate(s);
    const ts = r.architectures[0]!.timeseries;
    expect(ts.step).toBe(3);
    expect(ts.t.length).toBe(MAX_SERIES_BINS);
    // Every request is still in the series: rates x step sum to the arrivals.
    const arrivals = ts.requests.reduce((a, x) => a + x * ts.step, 0);
    expect(arrivals).toBeGreaterThan(2700);
    expect(arrivals).toBeLessThan(3300);
  });
});

describe('replications on worker threads', () => {
  it('give the same bytes with 1 and 2 workers', async () => {
    const s = loadScenario('scenarios/quickstart.yaml');
    s.simulation = { ...s.simulation, duration: 3, warmup: 1, replications: 3 };
    const inline = resultsJson(simulate(s));
    const pool = replicationPool(2);
    try {
      expect(resultsJson(await simulateWith(s, pool))).toBe(inline);
    } finally {
      await pool.close();
    }
  }, 120_000);
});

describe('run length by precision and automatic warm-up', () => {
  it('stops adding replications once the precision is met, and says so', () => {
    const s = loadScenario('scenarios/quickstart.yaml');
    s.simulation = {
      ...s.simulation,
      duration: 3,
      warmup: 1,
      replications: 2,
      // Loose enough to be met quickly: the loop must stop, not run to the maximum.
      precision: { relative: 0.5, absolute: 0.02, maxReplications: 12 },
    };
    const r = simulate(s);
    expect(r.scenario.precision!.met).toBe(true);
    expect(r.scenario.replications).toBeLessThan(12);
    const tight = simulate({
      ...s,
      simulation: { ...s.simulation, precision: { relative: 1e-6, absolute: 0, maxReplications: 3 } },
    });
    expect(tight.scenario.precision!.met).toBe(false);
    expect(tight.scenario.replications).toBe(3);
    expect(comparisonTable(tight)).toContain('not met, stopped at the maximum of 3 replications');
  });

  it('warmup auto chooses a warm-up with MSER-5 and reports it', () => {
    const s = loadScenario('scenarios/quickstart.yaml');
    s.simulation = { ...s.simulation, duration: 20, warmup: 0, warmupAuto: true, replications: 2 };
    s.compare = ['none', 'sidecar'];
    const r = simulate(s);
    expect(r.scenario.warmupMethod).toBe('mser-5');
    expect(r.scenario.warmup).toBeGreaterThanOrEqual(0);
    expect(r.scenario.warmup).toBeLessThanOrEqual(10);
    expect(r.scenario.warmup % 5).toBe(0);
    expect(r.architectures[0]!.warnings.some((w) => w.includes('MSER-5'))).toBe(true);
  });

  it('every delta carries a paired interval and a significance flag', () => {
    const s = loadScenario('scenarios/quickstart.yaml');
    s.simulation = { ...s.simulation, duration: 3, warmup: 1, replications: 3 };
    const r = simulate(s);
    for (const d of r.deltas) {
      expect(typeof d.significant).toBe('boolean');
      if (d.ci) {
        expect(d.ci[0]).toBeLessThanOrEqual(d.change + 1e-12);
        expect(d.ci[1]).toBeGreaterThanOrEqual(d.change - 1e-12);
        expect(d.significant).toBe(d.ci[0] > 0 || d.ci[1] < 0);
      }
    }
    const req = r.deltas.find((d) => d.metric === 'cpu requested (cores)' && d.to === 'sidecar')!;
    expect(req.significant).toBe(true);
  });
});

describe('failed requests agree between the disruption counters and the entry points (issue 13 item 9)', () => {
  it('with everything measured, the run-wide counter is the entry points failed sum', () => {
    const s = loadScenario('scenarios/upgrade-day.yaml');
    s.simulation = { ...s.simulation, warmup: 0, replications: 1 };
    let any = 0;
    for (const arch of s.compare) {
      const world = buildWorld(s, place(s, arch));
      const rep = new Replication(world, deriveSeed(s.simulation.seed, 'replication', 0));
      rep.run();
      let failed = 0;
      for (let i = 0; i < s.traffic.length; i++) failed += rep.recorder.entryFailed[i]!;
      expect(rep.recorder.requestsFailed).toBe(failed);
      any += failed;
    }
    // The upgrade does fail requests, so the agreement is not between two zeros.
    expect(any).toBeGreaterThan(0);
  }, 120_000);
});
