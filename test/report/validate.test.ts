// Every spec is valid vega-lite: it declares the v6 schema, compiles with vega-lite without a warning
// (a warning means a channel or property was silently dropped) and the compiled vega spec parses.
import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import { attachCost } from '../../src/cost/index.ts';
import { chartsFor, toVega, VEGA_LITE_SCHEMA } from '../../src/report/charts/index.ts';
import { reportSections } from '../../src/report/html/index.ts';
import { disruptedResults, evilResults, fixture, quickstartResults, quickstartScenario } from './helpers.ts';

const inputs: Array<[string, unknown]> = [
  ['quickstart', quickstartResults()],
  ['disrupted', disruptedResults()],
  ['hostile text', evilResults()],
  ['cost', fixture('cost.json')],
  ['results with cost', attachCost(quickstartScenario(), quickstartResults())],
  ['plan', fixture('plan.json')],
  ['calibration', fixture('calibration.json')],
];

describe('chart specs are valid vega-lite', () => {
  for (const [label, input] of inputs)
    for (const c of chartsFor(input))
      it(`${label}: ${c.name}`, () => {
        expect(c.spec.$schema).toBe(VEGA_LITE_SCHEMA);
        const { spec, warnings } = toVega(c.spec);
        expect(warnings).toEqual([]);
        expect(() => vega.parse(spec)).not.toThrow();
        expect(c.table.columns.length).toBeGreaterThan(0);
        for (const row of c.table.rows) expect(row).toHaveLength(c.table.columns.length);
      });
});

describe('chart selection', () => {
  it('leaves out charts whose data is absent', () => {
    const r = quickstartResults();
    for (const a of r.architectures) {
      a.entryPoints = [];
      a.timeseries.t = [];
    }
    expect(chartsFor(r).map((c) => c.name)).toEqual(['cpu', 'memory', 'nodes']);
  });

  it('prefixes chart names per input when a report has several', () => {
    const sections = reportSections([quickstartResults(), quickstartResults(), fixture('plan.json')]);
    expect(sections.map((s) => s.charts[0]!.name)).toEqual([
      'quickstart-cpu',
      'quickstart-2-cpu',
      'three-tier-plan',
    ]);
    expect(sections.map((s) => s.id)).toEqual([
      'section-quickstart',
      'section-quickstart-2',
      'section-three-tier',
    ]);
  });

  it('keeps a single input unprefixed', () => {
    expect(reportSections([quickstartResults()])[0]!.charts.map((c) => c.name)).toContain('latency-cdf');
  });

  it('charts the cost that src/cost attaches to results', () => {
    const charts = chartsFor(attachCost(quickstartScenario(), quickstartResults()));
    const cost = charts.find((c) => c.name === 'cost')!;
    expect(cost.table.columns).toContain('ztunnel (US$)');
    expect(cost.table.rows.map((r) => r[0])).toEqual(['none', 'sidecar', 'ambient']);
  });

  it('leaves out plan, cost and calibration charts whose rows are malformed', () => {
    expect(chartsFor({ schema: 'meshsim/plan/v1', plan: [{ growth: '2' }] })).toEqual([]);
    expect(chartsFor({ schema: 'meshsim/cost/v1', cost: [{ architecture: 'none', monthly: {} }] })).toEqual(
      [],
    );
    expect(chartsFor({ schema: 'meshsim/calibration/v1', calibration: [{ figure: 1 }] })).toEqual([]);
  });

  it('reads disruption events when results carry them', () => {
    const timeline = chartsFor(disruptedResults()).find((c) => c.name === 'timeline')!;
    expect(JSON.stringify(timeline.spec)).toContain('ztunnel upgrade starts');
    expect(timeline.table.rows.map((r) => r[1])).toContain('node-1 drained');
  });
});
