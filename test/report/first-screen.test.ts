// The first screen of a results section: the headline of each comparison, the SLO table and the
// warnings, plus the disruption and efficiency tables further down, on hand-made numbers.
import { describe, expect, it } from 'vitest';
import {
  disruptionHtml,
  readyCapacity,
  resetsByService,
  rolloutWindow,
} from '../../src/report/html/disruption.ts';
import { efficiencyOf } from '../../src/report/html/efficiency.ts';
import { headlineHtml, headlines } from '../../src/report/html/headline.ts';
import { planHeadlineHtml } from '../../src/report/html/plan-summary.ts';
import { SLO_ROWS, sloHtml, sloRows } from '../../src/report/html/slo.ts';
import { warningsHtml, warningsOf } from '../../src/report/html/warnings.ts';
import type { Delta, Results } from '../../src/simulate/index.ts';
import { quickstartResults } from './helpers.ts';

const MiB = 2 ** 20;

/** A delta as results files before paired comparisons had it: no `ci`, no `significant`. */
function delta(metric: string, from: string, to: string, base: number, value: number): Delta {
  return {
    metric,
    from: from as Delta['from'],
    to: to as Delta['to'],
    base,
    value,
    change: value - base,
    percent: base === 0 ? null : ((value - base) / base) * 100,
  } as Delta;
}

function withDeltas(deltas: Delta[]): Results {
  const r = quickstartResults();
  r.deltas = deltas;
  return r;
}

describe('headline', () => {
  const pair = [
    delta('mesh cpu used (cores)', 'sidecar', 'ambient', 0.4, 0.1),
    delta('mesh memory used (bytes)', 'sidecar', 'ambient', 1000 * MiB, 100 * MiB),
    delta('web p99 (s)', 'sidecar', 'ambient', 0.015, 0.0152),
    delta('mesh cpu used (cores)', 'none', 'sidecar', 0, 0.4),
  ];

  it('puts the mesh-vs-mesh comparison first, relative where the base is not zero', () => {
    const hs = headlines(withDeltas(pair));
    expect(hs.map((h) => `${h.to} vs ${h.from}`)).toEqual(['ambient vs sidecar', 'sidecar vs none']);
    // 0.4 -> 0.1 cores is -75 %; 1000 -> 100 MiB is -90 %; p99 +0.2 ms.
    expect(hs[0]!.items.map((i) => i.text)).toEqual(['−75 % mesh CPU', '−90 % mesh memory', '+0.200 ms p99']);
    // Against no mesh the base is 0: the change is absolute.
    expect(hs[1]!.items[0]!.text).toBe('+0.400 cores mesh CPU');
  });

  it('reads without verdicts when deltas carry no test, and says so', () => {
    const html = headlineHtml(withDeltas(pair));
    expect(html).toContain('ambient vs sidecar:');
    expect(html).not.toContain('significant</span>');
    expect(html).toContain('carry no paired test of significance');
  });

  it('shows significance and the paired interval when deltas carry them', () => {
    const judged = pair.map((d, i) => ({
      ...d,
      significant: i !== 2,
      ci: { lo: d.change * 0.5, hi: d.change * 1.5 },
    }));
    const hs = headlines(withDeltas(judged as unknown as Delta[]));
    expect(hs[0]!.items.map((i) => i.significant)).toEqual([true, true, false]);
    const html = headlineHtml(withDeltas(judged as unknown as Delta[]));
    expect(html).toContain('(significant)');
    expect(html).toContain('(not significant)');
    // p99 changed by +0.2 ms; the interval is +0.1 to +0.3 ms.
    expect(html).toContain('95 % CI of the change +0.100 ms to +0.300 ms');
  });

  it('adds the monthly cost difference when cost is attached', () => {
    const r = withDeltas(pair) as Results & { cost: unknown[] };
    r.cost = [
      { architecture: 'sidecar', monthly: { total: 1200 } },
      { architecture: 'ambient', monthly: { total: 888 } },
    ];
    expect(headlines(r)[0]!.items.map((i) => i.text)).toContain('−$312/month');
  });
});

describe('SLO table', () => {
  it('marks each architecture pass or fail against the target', () => {
    const r = quickstartResults();
    const slo = r.architectures[2]!.entryPoints[0]!.slo[0]!;
    Object.assign(slo, { value: slo.target * 1.5, met: false });
    const rows = sloRows(r);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.worst).toBeCloseTo(1.5, 9);
    const html = sloHtml(r);
    expect(html).toContain('1 missed in at least one architecture');
    expect(html.match(/✓ pass/g)).toHaveLength(2);
    expect(html.match(/✗ fail/g)).toHaveLength(1);
  });

  it('lists the objectives nearest their target and sums up the rest', () => {
    const r = quickstartResults();
    const template = r.architectures.map((a) => a.entryPoints[0]!);
    for (const [k, a] of r.architectures.entries())
      a.entryPoints = Array.from({ length: 30 }, (_, i) => ({
        ...structuredClone(template[k]!),
        name: `e${i}`,
        slo: [{ quantile: 'p99' as const, target: 0.1, value: 0.001 * (i + 1), met: true }],
      }));
    const html = sloHtml(r);
    expect(html.match(/<tr><td>e\d+<\/td>/g)).toHaveLength(SLO_ROWS);
    // The nearest to its target is e29 (30 ms of 100 ms); the rest start at e19 (20 % of 100 ms).
    expect(html).toContain('<tr><td>e29</td>');
    expect(html).toContain(
      '20 more objectives pass in every architecture (the nearest to its target: e19 p99 at 20 % of 100 ms)',
    );
  });
});

describe('warnings', () => {
  it('names unschedulable pods, memory beyond a node, memory over requests and unhonoured L7', () => {
    const r = quickstartResults();
    const a = r.architectures[1]!;
    a.placement.unschedulable = [{ name: 'shop/web-3', reason: 'Insufficient memory' }];
    // The sidecar uses 3x its request: on a node holding 4 GiB of sidecar requests that is 12 GiB.
    const sidecar = a.components.find((c) => c.component === 'sidecar')!;
    sidecar.memory.used.mean = sidecar.memory.requested * 3;
    const node = a.placement.perNode[0]!;
    node.allocatable.memory = 8 * 1024 * MiB;
    node.requestedBy = { sidecar: { cpu: 0, memory: 4 * 1024 * MiB } };
    node.requested.memory = 4 * 1024 * MiB;
    a.edges[0]!.l7Unhonoured.mean = 12;
    const w = warningsOf(a);
    expect(w[0]).toBe('1 pod could not be scheduled: shop/web-3 (Insufficient memory)');
    expect(w[1]).toContain(`memory beyond capacity on 1 node`);
    expect(w[1]).toContain(`${node.name} 12,288 of 8,192 MiB`);
    expect(w[2]).toContain('memory used above requests');
    expect(w[3]).toContain(`L7 features not honoured`);
    expect(w[3]).toContain(`${a.edges[0]!.name} (12/s)`);
    expect(warningsHtml(r)).toContain('<strong>sidecar</strong>: 1 pod could not be scheduled');
  });

  it('says plainly when there is nothing to warn about', () => {
    expect(warningsHtml(quickstartResults())).toContain('No warnings');
    expect(warningsHtml(quickstartResults())).not.toContain('Operational cautions');
  });

  it('lists the check findings run carried, escaped, open when one is above info', () => {
    const finding = {
      code: 'MSH302',
      severity: 'warning' as const,
      title: 'L7 calls to an ambient service without a waypoint',
      object: { kind: 'Service', name: 'api', file: 's.yaml', line: 9 },
      message: 'calls from <web> ask for L7',
      action: 'add a waypoint',
      reference: 'https://istio.io/latest/docs/ambient/usage/waypoint/',
    };
    const html = warningsHtml({ ...quickstartResults(), findings: [finding] });
    expect(html).toContain('Operational cautions (meshsim check): 1');
    expect(html).toContain('<details class="warnings" open>');
    expect(html).toContain('<strong>warning MSH302</strong> Service api (s.yaml:9)');
    expect(html).toContain('calls from &lt;web&gt; ask for L7');
    const info = warningsHtml({
      ...quickstartResults(),
      findings: [{ ...finding, severity: 'info' as const }],
    });
    expect(info).toContain('<details class="warnings">');
  });
});

describe('disruption table', () => {
  const rec = {
    label: 'upgrade',
    kind: 'upgrade',
    at: 60,
    mechanism: 'rolling restart of 13 injected pods',
    completed: true,
    rolloutDuration: 104,
    settledAfter: 134,
    podsRestarted: 13,
    daemonSetPodsReplaced: 0,
    podsPreempted: 0,
    connectionsReset: 3,
    connectionsDrained: 53.5,
    pooledConnectionsReset: 0,
    resetsByService: { 'shop/web': 2, 'shop/cart': 1, 'shop/db': 0 },
    requestsFailed: 1,
    requestsRetried: 2,
    lowestReadyCapacity: { 'shop/web': 0.75, 'shop/cart': 1, 'shop/db': 1 },
    surge: { cpu: 0, memory: 0, pendingSeconds: 0, pendingPods: 0 },
    extraNodeHours: 0,
    blastRadius: null,
    p99Window: 0.02,
    p99Before: 0.014,
    notes: [],
    intervals: {},
  };

  it('puts the rollout window on the simulation clock and spells out services', () => {
    expect(rolloutWindow(rec)).toBe('t = 60–164 s (104 s)');
    expect(rolloutWindow({ ...rec, rolloutDuration: null, completed: false })).toBe(
      'not finished within the run',
    );
    expect(readyCapacity(rec)).toBe('min 75 %: shop/web 75 %, 2 more at 100 %');
    expect(resetsByService(rec)).toBe('shop/web 2, shop/cart 1');
  });

  it('has one table per event with a row per architecture', () => {
    const r = quickstartResults();
    for (const a of r.architectures) a.disruption = { events: [rec] };
    const html = disruptionHtml(r);
    expect(html).toContain('Event at t = 60 s: upgrade');
    expect(html.match(/<tr><td>/g)).toHaveLength(3);
    expect(html).toContain('t = 194 s (134 s after the start)');
    expect(html).toContain('1 / 2');
  });

  it('reads events from whichever architecture carries them', () => {
    const r = quickstartResults();
    r.architectures[0]!.disruption = undefined as never;
    r.architectures[2]!.disruption = { events: [rec] };
    const html = disruptionHtml(r);
    expect(html.match(/<tr><td>/g)).toHaveLength(1);
    expect(html).toContain('<tr><td>ambient</td>');
  });
});

describe('efficiency', () => {
  it('divides data-plane CPU by request rate per 1,000', () => {
    const a = quickstartResults().architectures[1]!;
    const dataPlane = a.components
      .filter((c) => ['sidecar', 'ztunnel', 'waypoint'].includes(c.component))
      .reduce((s, c) => s + c.cpu.used.mean, 0);
    const entry = a.entryPoints.reduce((s, e) => s + e.throughput.mean, 0);
    const e = efficiencyOf(a);
    expect(e.perEntryKrps).toBeCloseTo(dataPlane / (entry / 1000), 9);
    expect(e.cpu).toBeCloseTo((a.totals.cpuUsed.mean / a.totals.cpuRequested) * 100, 9);
    // No mesh, no data plane: no figure rather than 0.
    expect(efficiencyOf(quickstartResults().architectures[0]!).perEntryKrps).toBeNull();
  });
});

describe('plan headline', () => {
  it('names the cheapest cluster of each architecture per growth step, against sidecar', () => {
    const html = planHeadlineHtml([
      { growth: 1, architecture: 'sidecar', instanceType: 'm5.xlarge', nodes: 6, monthly: 1000 },
      { growth: 1, architecture: 'sidecar', instanceType: 'c6i.xlarge', nodes: 7, monthly: 900 },
      { growth: 1, architecture: 'ambient', instanceType: 'm5.xlarge', nodes: 5, monthly: 810 },
    ]);
    expect(html).toContain('× 1 load:');
    expect(html).toContain('sidecar $900/month');
    // 810 against 900: $90 and 10 % cheaper.
    expect(html).toContain('5 × m5.xlarge (−$90, −10 % vs sidecar)');
  });
});
