// The interval the planner's CPU verdicts use (cpu-interval.ts): batch means over one replication's
// per-second bins must predict how far another replication's total lands, or early stopping would decide
// what it has not measured.
import { describe, expect, it } from 'vitest';
import { studentT95 } from '../../sim/index.ts';
import { place } from '../../src/cluster/index.ts';
import { cpuRelativeHalf } from '../../src/plan/cpu-interval.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { aggregate, buildWorld, runReplication } from '../../src/simulate/index.ts';

// Poisson arrivals, lognormal service times, keep-alive connections pinned by kube-proxy: the noise of the
// total and a replication-level draw (which pods the connections reach) both present.
const s = parseScenario(
  `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: cpu-interval }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: front, namespace: app, replicas: 4, serviceTime: { lognormal: { median: 2ms, p99: 20ms } }, calls: [{ to: back, count: 1.5 }] }
  - { name: back, namespace: app, replicas: 4, serviceTime: { lognormal: { median: 1ms, p99: 10ms } } }
traffic:
  - { name: web, to: front.app, rate: 400/s }
compare: [sidecar]
simulation: { duration: 12s, warmup: 2s, replications: 1 }
`,
  'cpu-interval.yaml',
);

describe('the CPU interval of a simulation', () => {
  it("is calibrated or wider: other replications' totals land within it as its standard error predicts", () => {
    const world = buildWorld(s, place(s, 'sidecar'));
    const bins = 10;
    const runs = Array.from({ length: 12 }, (_, r) => {
      const a = aggregate(world, [runReplication(s, 'sidecar', r)]);
      const mean = a.totals.cpuUsed.mean;
      // the relative half-width back to a standard error in cores
      return { mean, se: (cpuRelativeHalf(s, a) * mean) / studentT95(bins) };
    });
    const grand = runs.reduce((x, r) => x + r.mean, 0) / runs.length;
    const z = runs.map((r) => (r.mean - grand) / r.se);
    const sd = Math.sqrt(z.reduce((x, v) => x + v * v, 0) / (z.length - 1));
    // About 1 when calibrated, below when wider (by REPLICATION_SPREAD: 1.3 without it). An interval
    // twice too narrow would give about 2; one of a constant total (no noise seen) infinity.
    expect(sd).toBeGreaterThan(0.4);
    expect(sd).toBeLessThan(1.1);
  });

  it("falls back to the replications' interval without two whole bins: 0 from one replication", () => {
    const short = { ...s, simulation: { ...s.simulation, duration: 3, warmup: 2 } };
    const a = aggregate(buildWorld(short, place(short, 'sidecar')), [runReplication(short, 'sidecar', 0)]);
    expect(cpuRelativeHalf(short, a)).toBe(0);
  });
});
