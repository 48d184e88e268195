// Golden vega-lite specs (and the tables beneath them) of the bundled quickstart scenario and of the
// plan, cost and calibration fixtures, numbers rounded to 4 significant digits. A change in the
// simulator's numbers or in a chart shows here as a failing diff: when it is intended, regenerate with
//   npx vitest run -u test/report
// and review the changed files under test/golden/report/ like any other diff before committing them.
import { describe, expect, it } from 'vitest';
import { type ChartSpec, chartsFor } from '../../src/report/charts/index.ts';
import { fixture, quickstartResults, round4 } from './helpers.ts';

const golden = (c: ChartSpec) =>
  `${JSON.stringify(round4({ title: c.title, spec: c.spec, table: c.table }), null, 2)}\n`;

describe('golden chart specs', () => {
  const quickstart = chartsFor(quickstartResults());

  it('quickstart has every results chart', () => {
    expect(quickstart.map((c) => c.name)).toEqual([
      'cpu',
      'memory',
      'latency-added',
      'latency',
      'latency-cdf',
      'timeline',
      'nodes',
    ]);
  });

  for (const c of quickstart)
    it(`quickstart ${c.name}`, async () => {
      await expect(golden(c)).toMatchFileSnapshot(`../golden/report/quickstart/${c.name}.json`);
    });

  for (const name of ['cost', 'plan', 'calibration'])
    it(`${name} fixture`, async () => {
      const charts = chartsFor(fixture(`${name}.json`));
      expect(charts.map((c) => c.name)).toEqual([name]);
      await expect(golden(charts[0]!)).toMatchFileSnapshot(`../golden/report/${name}.json`);
    });
});
