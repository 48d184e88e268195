// Per-endpoint request mixes (replication/mixes.ts): an entry point's routes and a service's routes are
// drawn per request by weight, each with its own service time and calls.
import { describe, expect, it } from 'vitest';
import { comparisonTable } from '../../src/report/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulate, simulateArchitecture } from '../../src/simulate/index.ts';

const TEXT = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: shop }
cluster:
  nodePools:
    - { name: pool, instanceType: custom, vcpu: 16, memory: 64Gi, count: 2, zones: [zone-a], systemReserved: { cpu: 0, memory: 0 } }
namespaces:
  - { name: shop, labels: { istio-injection: enabled } }
services:
  - { name: front, namespace: shop, replicas: 2, serviceTime: { constant: 1ms } }
  - name: catalog
    namespace: shop
    routes:
      - { name: list, weight: 7, serviceTime: { constant: 2ms } }
      - { name: item, weight: 3, serviceTime: { constant: 1ms }, calls: [{ to: stock }] }
  - { name: stock, namespace: shop, serviceTime: { constant: 500us } }
  - { name: payments, namespace: shop, serviceTime: { constant: 8ms } }
traffic:
  - name: web
    to: front.shop
    rate: 500/s
    arrival: poisson
    routes:
      - { name: home, weight: 60 }
      - { name: product, weight: 30, serviceTime: { constant: 2ms }, calls: [{ to: catalog }] }
      - { name: checkout, weight: 10, serviceTime: { constant: 3ms }, calls: [{ to: catalog }, { to: payments }] }
compare: [sidecar]
simulation: { duration: 6s, warmup: 1s, seed: 5, replications: 1 }
`;

function expectShare(got: number, n: number, p: number): void {
  expect(n).toBeGreaterThan(500);
  expect(Math.abs(got / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
}

describe('request mixes', () => {
  const r = simulateArchitecture(parseScenario(TEXT, 'shop.yaml'), 'sidecar');
  const route = (owner: string, name: string) =>
    r.mixes!.routes.find((x) => x.owner === owner && x.route === name)!;
  const rate = (name: string) => r.edges.find((e) => e.name === name)?.rate.mean ?? 0;
  const window = 5;

  it("draw an entry point's routes by weight (60/30/10 within binomial bounds)", () => {
    const n = ['home', 'product', 'checkout'].map((x) => route('web -> shop/front', x).served.mean);
    const total = n[0]! + n[1]! + n[2]!;
    expectShare(n[0]!, total, 0.6);
    expectShare(n[1]!, total, 0.3);
    expectShare(n[2]!, total, 0.1);
  });

  it('a route without calls makes none; the others make exactly theirs', () => {
    const home = route('web -> shop/front', 'home').served.mean;
    const product = route('web -> shop/front', 'product').served.mean;
    const checkout = route('web -> shop/front', 'checkout').served.mean;
    expect(home).toBeGreaterThan(0);
    // front's own call list is empty: every call out of it belongs to a route.
    expect(r.edges.filter((e) => e.name.startsWith('shop/front [web/home]'))).toEqual([]);
    expect(rate('shop/front [web/product] -> shop/catalog') * window).toBeCloseTo(product, -1);
    expect(rate('shop/front [web/checkout] -> shop/catalog') * window).toBeCloseTo(checkout, -1);
    expect(rate('shop/front [web/checkout] -> shop/payments') * window).toBeCloseTo(checkout, -1);
  });

  it("draw a service's routes by weight, and only `item` calls stock", () => {
    const list = route('shop/catalog', 'list').served.mean;
    const item = route('shop/catalog', 'item').served.mean;
    expectShare(item, list + item, 0.3);
    expect(rate('shop/catalog [item] -> shop/stock') * window).toBeCloseTo(item, -1);
  });

  it('give latency per entry route: checkout (8 ms payments) is slower than home (1 ms)', () => {
    const home = route('web -> shop/front', 'home').latency!;
    const checkout = route('web -> shop/front', 'checkout').latency!;
    expect(home.p50.mean).toBeGreaterThan(0.001);
    expect(home.p50.mean).toBeLessThan(0.003);
    // 3 ms at front, a catalog call (1-2 ms) and a payments call (8 ms), plus the proxies.
    expect(checkout.p50.mean).toBeGreaterThan(0.012);
  });
});

describe('the run table', () => {
  it('lists each route share of its owner requests, and version shares against their weights', () => {
    const table = comparisonTable(simulate(parseScenario(TEXT, 'shop.yaml'), { file: 'shop.yaml' }));
    expect(table).toContain('Routes of web -> shop/front (% of its requests)');
    const home = /\n {2}home \(weight 60\) +([\d.]+)\n/.exec(table);
    expect(Number(home?.[1])).toBeGreaterThan(55);
    expect(Number(home?.[1])).toBeLessThan(65);
    expect(table).toContain('Routes of shop/catalog (% of its requests)');
  });
});
