// The arithmetic behind the charts, by hand: axes, the worst entry points, latency added, rollout
// windows, memory per node, cost by namespace and what bound a plan point.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachCost } from '../../src/cost/index.ts';
import {
  BY_REQUESTS,
  BY_SIMULATION,
  chartsFor,
  costNamespaceCharts,
  growthAxis,
  latencyAddedCharts,
  logTicks,
  nines,
  nodeMemoryInUse,
  planCharts,
  rolloutRows,
  WORST_ENTRIES,
  withBinding,
  worstEntries,
} from '../../src/report/charts/index.ts';
import { comparisonTable } from '../../src/report/index.ts';
import { quickstartResults, quickstartScenario } from './helpers.ts';

describe('axes', () => {
  it('the tail axis puts p90, p99 and p99.9 one decade apart', () => {
    expect(nines(0.9)).toBeCloseTo(1, 12);
    expect(nines(0.99)).toBeCloseTo(2, 12);
    expect(nines(0.999)).toBeCloseTo(3, 12);
    expect(nines(0)).toBe(-0);
  });

  it('log ticks are 1-2-5 values inside the domain, so labels cannot collide', () => {
    expect(logTicks(0.7, 23)).toEqual([1, 2, 5, 10, 20]);
    expect(logTicks(1.2, 30)).toEqual([2, 5, 10, 20]);
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1000, noNaN: true }),
        fc.double({ min: 1.5, max: 1000, noNaN: true }),
        (lo, k) => {
          const t = logTicks(lo, lo * k);
          for (const v of t) expect(v >= lo * 0.9999 && v <= lo * k * 1.0001).toBe(true);
          // Adjacent ticks are at least 2x apart: 1-2-5 steps are 2, 2.5 and 2.
          for (let i = 1; i < t.length; i++) expect(t[i]! / t[i - 1]!).toBeGreaterThanOrEqual(2 - 1e-9);
        },
      ),
    );
  });

  it('the growth axis has a tick at each factor; log when they span 4x or more', () => {
    const a = growthAxis([1, 2, 5, 10]);
    expect(a.axis.values).toEqual([1, 2, 5, 10]);
    expect((a.scale as { type?: string }).type).toBe('log');
    const b = growthAxis([1, 1.5, 2]);
    expect((b.scale as { type?: string }).type).toBeUndefined();
    expect(b.scale.domain[0]).toBeLessThan(1);
    expect(b.scale.domain[1]).toBeGreaterThan(2);
  });
});

describe('many entry points', () => {
  it('charts the worst by p99 relative to the SLO and aggregates the rest', () => {
    const r = quickstartResults();
    for (const a of r.architectures) {
      const e0 = a.entryPoints[0]!;
      a.entryPoints = Array.from({ length: 10 }, (_, i) => {
        const e = structuredClone(e0);
        e.name = `e${i}`;
        e.latency.p99.mean = 0.001 * (i + 1);
        // e0 has a tight objective: 1 ms at p99 against a p99 of 1 ms is the worst ratio of all.
        e.slo = i === 0 ? [{ quantile: 'p99', target: 0.001, value: 0.001, met: true }] : [];
        return e;
      });
    }
    const { shown, rest } = worstEntries(r.architectures);
    expect(shown).toHaveLength(WORST_ENTRIES);
    // e0 by its objective, then the highest p99s: e9, e8, e7, e6, e5.
    expect(shown).toEqual([0, 5, 6, 7, 8, 9]);
    expect(rest).toEqual([1, 2, 3, 4]);
    const added = latencyAddedCharts([r])[0]!;
    const facets = new Set(
      (added.spec as { data: { values: Array<{ entry: string }> } }).data.values.map((v) => v.entry),
    );
    expect(facets.size).toBe(WORST_ENTRIES + 1);
    expect(facets.has('other 4 entry points (median)')).toBe(true);
    // The terminal table: six entry-point blocks, then one block for the rest (e1..e4: median p99 of
    // 2, 3, 4, 5 ms is 3.50 ms, the highest 5 ms).
    const table = comparisonTable(r).split('\n');
    expect(table.filter((l) => l.startsWith('Entry point '))).toHaveLength(WORST_ENTRIES);
    expect(table).toContain('The other 4 entry points (latency in ms)');
    expect(table.find((l) => l.startsWith('  p99, median'))).toMatch(/^ {2}p99, median\s+3\.50\s/);
    expect(table.find((l) => l.startsWith('  p99, highest'))).toMatch(/^ {2}p99, highest\s+5\s/);
  });
});

describe('latency added', () => {
  it('is the difference of means, with the unpaired interval sqrt(h1² + h2²)', () => {
    const r = quickstartResults();
    const none = r.architectures[0]!.entryPoints[0]!.latency.p99;
    const side = r.architectures[1]!.entryPoints[0]!.latency.p99;
    Object.assign(none, { mean: 0.01, half: 0.0003 });
    Object.assign(side, { mean: 0.0112, half: 0.0004 });
    const chart = latencyAddedCharts([r])[0]!;
    const row = chart.table.rows.find((x) => x[1] === 'sidecar' && x[2] === 'p99')!;
    expect(row[3]).toBeCloseTo(1.2, 6);
    // sqrt(0.3² + 0.4²) = 0.5 ms.
    expect(row[4]).toBeCloseTo(0.7, 6);
    expect(row[5]).toBeCloseTo(1.7, 6);
    expect(row[6]).toBe('unpaired (approx.)');
  });

  it('uses the paired interval of the delta when results carry one', () => {
    const r = quickstartResults();
    const d = r.deltas.find((x) => x.from === 'none' && x.to === 'sidecar' && x.metric === 'web p99 (s)')!;
    Object.assign(d, { ci: { lo: 0.0001, hi: 0.0002 } });
    const row = latencyAddedCharts([r])[0]!.table.rows.find((x) => x[1] === 'sidecar' && x[2] === 'p99')!;
    expect(row.slice(4)).toEqual([0.1, 0.2, 'paired']);
  });

  it('needs a no-mesh baseline', () => {
    const r = quickstartResults();
    r.architectures = r.architectures.filter((a) => a.architecture !== 'none');
    expect(latencyAddedCharts([r])).toEqual([]);
  });
});

describe('rollout windows', () => {
  it('from the event to the last new pod ready, then to the last old pod gone', () => {
    const a = quickstartResults().architectures[1]!;
    Object.assign(a, {
      disruption: {
        events: [
          { at: 60, label: 'upgrade', rolloutDuration: 104, settledAfter: 134, completed: true },
          { at: 200, label: 'drain', rolloutDuration: null, settledAfter: null, completed: false },
          { at: 5, label: 'nothing', rolloutDuration: 0, settledAfter: 0, completed: true },
        ],
      },
    });
    expect(rolloutRows([a], 240)).toEqual([
      { architecture: 'sidecar', event: 'upgrade', phase: 'new pods rolling out', from: 60, to: 164 },
      { architecture: 'sidecar', event: 'upgrade', phase: 'old pods draining', from: 164, to: 194 },
      { architecture: 'sidecar', event: 'drain', phase: 'new pods rolling out', from: 200, to: 240 },
    ]);
  });
});

describe('memory per node', () => {
  it('scales each component’s requests on the node by its use over its requests, never below', () => {
    const a = quickstartResults().architectures[1]!;
    const MiB = 2 ** 20;
    for (const c of a.components) {
      c.memory.requested = 100 * MiB;
      c.memory.used.mean = c.component === 'sidecar' ? 250 * MiB : 50 * MiB;
    }
    const n = a.placement.perNode[0]!;
    n.requestedBy = { application: { cpu: 0, memory: 400 * MiB }, sidecar: { cpu: 0, memory: 40 * MiB } };
    n.requested.memory = 440 * MiB;
    // application at its request (used < requested), sidecar 2.5x: 400 + 100 MiB.
    expect(nodeMemoryInUse(a)[0]!.inUse / MiB).toBeCloseTo(500, 9);
  });
});

describe('cost by namespace', () => {
  it('charts what src/cost allocates to each namespace, per architecture', () => {
    const r = attachCost(quickstartScenario(), quickstartResults());
    const chart = costNamespaceCharts(r)[0]!;
    for (const [i, c] of r.cost.entries())
      for (const n of c.allocation.byNamespace) {
        const row = chart.table.rows.find((x) => x[0] === n.namespace)!;
        expect(row[1 + i]).toBeCloseTo(n.total, 4);
      }
    expect(chartsFor(r).map((c) => c.name)).toContain('cost-namespace');
  });

  it('names the ten costliest and draws the rest as the mean of one', () => {
    const r = Object.assign(quickstartResults(), {
      cost: [
        {
          architecture: 'sidecar',
          allocation: {
            byNamespace: Array.from({ length: 14 }, (_, i) => ({ namespace: `ns${i}`, total: 100 - i })),
          },
        },
      ],
    });
    const chart = costNamespaceCharts(r)[0]!;
    const bars = (chart.spec as { data: { values: Array<{ namespace: string; dollars: number }> } }).data
      .values;
    expect(bars).toHaveLength(11);
    // ns10..ns13 cost 90, 89, 88, 87: a mean of 88.5.
    expect(bars.at(-1)).toEqual({
      architecture: 'sidecar',
      namespace: '4 other namespaces (mean of one)',
      dollars: 88.5,
    });
    expect(chart.table.rows).toHaveLength(14);
  });
});

describe('what bound a plan point', () => {
  const plan = [
    { growth: 1, architecture: 'sidecar', instanceType: 'm5.xlarge', nodes: 6, monthly: 800 },
    { growth: 1, architecture: 'ambient', instanceType: 'm5.xlarge', nodes: 9, monthly: 1000 },
    { growth: 2, architecture: 'ambient', instanceType: 'm5.xlarge', nodes: 12, monthly: 1500 },
  ];

  it('the scheduler when the first simulated count held, the simulation when it had to grow', () => {
    const file = {
      rows: [
        { growth: 1, architecture: 'sidecar', instanceType: 'm5.xlarge', simulated: [6] },
        { growth: 1, architecture: 'ambient', instanceType: 'm5.xlarge', simulated: [4, 8, 16, 12, 10, 9] },
        {
          growth: 2,
          architecture: 'ambient',
          instanceType: 'm5.xlarge',
          binding: 'cpu target',
          simulated: [12],
        },
      ],
    };
    expect(withBinding(plan, file).map((p) => p.binding)).toEqual([BY_REQUESTS, BY_SIMULATION, 'cpu target']);
    expect(withBinding(plan, {}).map((p) => p.binding)).toEqual([undefined, undefined, undefined]);
  });

  it("a plan point's own binding (src/plan/binding.ts), whatever its first simulated count", () => {
    const b = (constraint: string, detail = '') => ({ constraint, nodes: 5, value: 1, limit: 1, detail });
    const points = [
      { ...plan[0]!, binding: b('pods') },
      { ...plan[1]!, binding: b('cpu-target') },
      { ...plan[2]!, binding: b('slo', 'search p99') },
      { ...plan[2]!, growth: 5, binding: b('none') },
    ] as unknown as typeof plan;
    // The row says it was simulated first at its count: the old rule would call every point `requests`.
    const file = { rows: points.map((p) => ({ ...p, simulated: [p.nodes] })) };
    expect(withBinding(points, file).map((p) => p.binding)).toEqual([
      BY_REQUESTS,
      'simulation: CPU target',
      'simulation: latency SLO (search p99)',
      'nothing (one node is enough)',
    ]);
    // hollow marks are the simulation's: their filter keys on the prefix both old and new labels share
    const spec = JSON.stringify(planCharts(withBinding(points, file))[0]!.spec);
    expect(spec).toContain("indexof(datum.binding, 'simulation') === 0");
    expect(BY_SIMULATION.startsWith('simulation')).toBe(true);
  });
});
