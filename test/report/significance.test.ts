// The headline differences scripts/significance.ts judges: which deltas are headline, that a real
// difference on a tiny run is found significant, and that an interval spanning zero is reported n.s.
import { describe, expect, it } from 'vitest';
import { attachCost } from '../../src/cost/index.ts';
import { headlineDeltas, significanceCount, significanceTable } from '../../src/report/index.ts';
import { applyOverrides, loadScenario } from '../../src/scenario/index.ts';
import { type Delta, simulate } from '../../src/simulate/index.ts';
import { quickstartResults } from './helpers.ts';

describe('headline significance', () => {
  it('a tiny run with a real difference (sidecar memory) counts it significant', () => {
    const s = applyOverrides(loadScenario('scenarios/quickstart.yaml'), {
      duration: 3,
      warmup: 1,
      replications: 3,
    });
    const ds = headlineDeltas(attachCost(s, simulate(s)));
    // 3 pairs (sidecar and ambient vs none, ambient vs sidecar) x (p50, p99, CPU, memory, cost).
    expect(ds).toHaveLength(15);
    const memory = ds.find((d) => d.pair === 'sidecar - none' && d.metric === 'memory used')!;
    expect(memory.significant).toBe(true);
    expect(memory.ci![0]).toBeGreaterThan(0);
    expect(significanceCount(ds).significant).toBeGreaterThan(0);
  });

  it('an interval spanning zero is n.s., one excluding it significant; other metrics are not headline', () => {
    const r = quickstartResults();
    const delta = (metric: string, ci: [number, number], significant: boolean): Delta => ({
      metric,
      from: 'none',
      to: 'sidecar',
      base: 0.005,
      value: 0.0051,
      change: (ci[0] + ci[1]) / 2,
      percent: null,
      ci,
      significant,
    });
    r.deltas = [
      delta('web p50 (s)', [-0.0001, 0.0003], false),
      delta('web p99 (s)', [0.0001, 0.0003], true),
      delta('nodes used', [1, 1], true),
      { ...delta('cpu used (cores)', [0.1, 0.2], true), from: 'none', to: 'as-labelled' },
    ];
    const ds = headlineDeltas({
      ...r,
      costDeltas: [{ from: 'sidecar', to: 'ambient', change: -2, ci: [-5, 1], significant: false }],
    });
    expect(ds.map((d) => [d.pair, d.metric, d.significant])).toEqual([
      ['sidecar - none', 'web p50', false],
      ['sidecar - none', 'web p99', true],
      ['as-labelled - none', 'cpu used', true],
      ['ambient - sidecar', 'monthly cost', false],
    ]);
    expect(significanceCount(ds)).toEqual({ significant: 2, total: 4 });
    const lines = significanceTable(ds).split('\n');
    expect(lines[1]).toMatch(/^sidecar - none\s+web p50 \(ms\)\s+0\.100\s+\[-0\.100, 0\.300\]\s+n\.s\.$/);
    expect(lines[2]).toMatch(/significant$/);
    expect(lines[4]).toMatch(/monthly cost \(\$\)\s+-2\.00\s+\[-5\.00, 1\.00\]\s+n\.s\.$/);
  });
});
