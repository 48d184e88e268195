// Request rates the checks derive from a scenario, over versions (by weight) and routes (by weight): the
// capacity and observability rules read them.
import { describe, expect, it } from 'vitest';
import { edgeRates, serviceRates } from '../../src/check/load.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { loadBundled } from '../helpers/bundled.ts';

describe('serviceRates with versions and routes', () => {
  it('bookinfo at its 200/s cap: ratings is called by v2 and v3 only, half of reviews', () => {
    const r = serviceRates(loadBundled('bookinfo'));
    expect(r.get('bookinfo/productpage')).toBe(200);
    expect(r.get('bookinfo/reviews')).toBe(200);
    expect(r.get('bookinfo/ratings')).toBeCloseTo(100, 9);
  });

  it("an entry point's routes replace its target's calls, and a service's routes its own", () => {
    const s = parseScenario(
      `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster: { nodePools: [{ name: p, instanceType: m5.xlarge, count: 1 }] }
services:
  - { name: front, calls: [{ to: other }] }
  - name: catalog
    routes: [{ name: list, weight: 3 }, { name: item, weight: 1, calls: [{ to: stock }] }]
  - { name: stock }
  - { name: other }
traffic:
  - name: web
    to: front
    rate: 100/s
    routes: [{ name: home, weight: 1 }, { name: product, weight: 1, calls: [{ to: catalog, count: 2 }] }]
`,
      't.yaml',
    );
    const r = serviceRates(s);
    expect(r.get('default/front')).toBe(100);
    expect(r.get('default/other')).toBe(0);
    expect(r.get('default/catalog')).toBeCloseTo(100, 9);
    expect(r.get('default/stock')).toBeCloseTo(25, 9);
    const e = edgeRates(s).find((x) => x.from === 'default/front' && x.to === 'default/catalog');
    expect(e?.rate).toBeCloseTo(100, 9);
  });
});
