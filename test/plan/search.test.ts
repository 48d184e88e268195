// The search alone, against synthetic feasibility curves: the true minimum is known by construction, so
// every threshold can be checked, and the number of simulations bounded.
import { describe, expect, it } from 'vitest';
import { type ChainProbe, judge, type Sample, searchChain } from '../../src/plan/index.ts';

const TARGET = 0.7;

function sample(nodes: number, cpuMax: number, p99 = 0.001, slo?: number): Sample {
  return {
    nodes,
    unschedulable: 0,
    memoryShortNodes: 0,
    memoryExcess: 0,
    cpu: { mean: cpuMax, max: cpuMax },
    entryPoints: [
      {
        name: 'web',
        p50: p99 / 2,
        p99,
        p999: p99,
        slo: slo === undefined ? [] : [{ quantile: 'p99', target: slo, value: p99, met: p99 <= slo }],
      },
    ],
    monthly: { nodes: nodes * 73, crossZone: 0, proxyFee: 0, total: nodes * 73 },
    meshShare: 0,
    ztunnelForBusiest: null,
  };
}

function probe(curve: (n: number) => Sample, o: Partial<ChainProbe> = {}): ChainProbe & { runs: number[] } {
  const runs: number[] = [];
  return {
    lowerBound: 1,
    cap: 200,
    cpuTarget: TARGET,
    schedulable: () => true,
    async simulate(n) {
      runs.push(n);
      return curve(n);
    },
    runs,
    ...o,
  };
}

describe('searchChain', () => {
  it('finds every threshold exactly when CPU falls as 1/N (one jump, then one check below it)', async () => {
    for (let t = 1; t <= 60; t++) {
      const p = probe((n) => sample(n, (TARGET * t) / n));
      const out = await searchChain(p);
      expect(out.nodes).toBe(t);
      expect(p.runs).toEqual(t === 1 ? [1] : t === 2 ? [1, 2] : [1, t, t - 1]);
    }
  });

  it('finds every threshold when the CPU model under-estimates (imbalance), in O(log N) simulations', async () => {
    for (let t = 1; t <= 120; t++) {
      const p = probe((n) => sample(n, n >= t ? 0.5 : TARGET * Math.sqrt(t / n) * 1.01));
      const out = await searchChain(p);
      expect(out.nodes).toBe(t);
      expect(new Set(p.runs).size).toBe(p.runs.length);
      expect(p.runs.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(t + 1)) + 3);
    }
  });

  it('finds every latency threshold by doubling then bisecting', async () => {
    for (let t = 1; t <= 100; t++) {
      // p99 improves with more nodes and meets the 10 ms SLO exactly from t nodes on.
      const p = probe((n) => sample(n, 0.1, n >= t ? 0.009 : 0.01 * (t / n) ** 0.1, 0.01));
      expect((await searchChain(p)).nodes).toBe(t);
      expect(p.runs.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(t + 1)) + 2);
    }
  });

  it('starts at the arithmetic lower bound and skips counts the scheduler rejects without simulating', async () => {
    const p = probe((n) => sample(n, (TARGET * 9) / n), { lowerBound: 4, schedulable: (n) => n >= 7 });
    const out = await searchChain(p);
    expect(out.nodes).toBe(9);
    expect(p.runs[0]).toBe(7);
    expect(p.runs.every((n) => n >= 7)).toBe(true);
  });

  it('reports an SLO no node count meets as infeasible, with the best latency seen', async () => {
    // The latency floor (2 ms) is above the SLO (1 ms): more nodes barely help.
    const p99 = (n: number) => 0.002 + 0.00001 / n;
    const p = probe((n) => sample(n, 0.2, p99(n), 0.001));
    const out = await searchChain(p);
    expect(out.feasible).toBe(false);
    expect(out.nodes).toBeNull();
    expect(out.reason).toMatch(/web p99 2\.00 ms > SLO \(more nodes do not help\)/);
    const best = Math.min(...p.runs.map(p99));
    expect(out.closest!.slo[0]).toMatchObject({ entryPoint: 'web', quantile: 'p99', target: 0.001, best });
    // Gave up after two doublings brought no progress, long before the cap of 200.
    expect(p.runs).toEqual([1, 2, 4]);
  });

  it('reports infeasible at the cap, and when one node cannot hold the DaemonSets', async () => {
    const capped = await searchChain(probe((n) => sample(n, (TARGET * 50) / n), { cap: 20 }));
    expect(capped).toMatchObject({ feasible: false, nodes: null });
    expect(capped.reason).toMatch(/20 nodes/);
    const tooSmall = await searchChain(probe(() => sample(1, 0), { lowerBound: Number.POSITIVE_INFINITY }));
    expect(tooSmall.reason).toMatch(/DaemonSets/);
    expect(tooSmall.simulated).toEqual([]);
  });

  it('a size whose nodes are short of memory by max(request, use) is infeasible', () => {
    const v = judge({ ...sample(3, 0.2), memoryShortNodes: 2, memoryExcess: 1.4 }, 0.7);
    expect(v.feasible).toBe(false);
    expect(v.excess).toBe(1.4);
    expect(v.failed).toEqual(['2 nodes short of memory (max of request and use)']);
  });

  it('judges the busiest node against the target, inclusive', () => {
    expect(judge(sample(1, 0.7), 0.7).feasible).toBe(true);
    expect(judge(sample(1, 0.7000001), 0.7).feasible).toBe(false);
  });
});
