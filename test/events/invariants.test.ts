// Invariants that hold through every kind of event, in every architecture.
import { describe, expect, it } from 'vitest';
import { EndpointKind } from '../../src/mesh/index.ts';
import type { Architecture } from '../../src/scenario/index.ts';
import { conserved, engineFor, scenario } from './helpers.ts';

const base = (events: string, labels = 'istio.io/dataplane-mode: ambient', extra = '') =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: inv }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4, zones: [a, b] }]
namespaces:
  - { name: shop, labels: { ${labels} } }
  - { name: pay, labels: { ${labels}, istio.io/use-waypoint: pay-waypoint } }
waypoints:
  - { name: pay-waypoint, namespace: pay, replicas: 2 }
services:
  - name: front
    namespace: shop
    replicas: 3
    serviceTime: 2ms
    calls:
      - { to: api }
      - { to: charge.pay, l7: true, probability: 0.5 }
  - { name: api, namespace: shop, replicas: 2, serviceTime: 1ms, calls: [{ to: db, protocol: tcp, connection: { type: long-lived, poolSize: 2, lifetime: { constant: 1h } } }] }
  - { name: db, namespace: shop, replicas: 1, serviceTime: 1ms }
  - { name: charge, namespace: pay, replicas: 2, serviceTime: 3ms }
traffic:
  - { name: web, to: front.shop, rate: 150/s, clients: 2, timeout: 2s }
lifecycle: { podStartup: 3s, terminationGrace: 10s }
events:
${events}
${extra}
compare: [none, sidecar, ambient]
simulation: { duration: 60s, warmup: 2s, replications: 1 }
`);

const ARCHS: Architecture[] = ['none', 'sidecar', 'ambient'];

const EVENTS: Record<string, string> = {
  'dataplane upgrade': '  - { at: 10s, upgrade: dataplane }',
  'dataplane upgrade, blue/green': '  - { at: 10s, upgrade: dataplane, strategy: blue-green }',
  'dataplane upgrade, cordon and drain': '  - { at: 10s, upgrade: dataplane, strategy: cordon-drain }',
  'waypoint upgrade': '  - { at: 10s, upgrade: waypoint, waypoint: pay-waypoint }',
  'control-plane upgrade': '  - { at: 10s, upgrade: control-plane }',
  'scale down and up':
    '  - { at: 10s, scale: api.shop, replicas: 1 }\n  - { at: 30s, scale: api.shop, replicas: 2 }',
  'waypoint scale-down': '  - { at: 10s, scale: pay-waypoint, replicas: 1 }',
  'node fault': '  - { at: 10s, fault: node, selector: "1", recovery: 15s }',
  'ztunnel fault': '  - { at: 10s, fault: ztunnel, selector: "1", recovery: 15s }',
  'sidecar fault': '  - { at: 10s, fault: sidecar, selector: api.shop, recovery: 15s }',
  'waypoint fault': '  - { at: 10s, fault: waypoint, selector: pay-waypoint, recovery: 15s }',
};

describe('requests are conserved through every event, in every architecture', () => {
  for (const [name, yaml] of Object.entries(EVENTS)) {
    it(name, () => {
      for (const arch of ARCHS) {
        const e = engineFor(base(yaml), arch);
        e.run();
        expect(conserved(e), `${name} / ${arch}`).toBe(true);
        expect(e.disruption.length).toBe(yaml.split('\n').length);
      }
    });
  }
});

describe('who restarts', () => {
  it('an ambient ztunnel upgrade restarts no pod; a sidecar upgrade restarts every injected pod exactly once', () => {
    const amb = engineFor(base(EVENTS['dataplane upgrade']!), 'ambient');
    amb.run();
    expect(amb.disruption[0]!.podsRestarted).toBe(0);
    expect(amb.disruption[0]!.daemonSetPodsReplaced).toBe(4);
    expect([...amb.pods.gen].every((g) => g === 0)).toBe(true);

    const sc = engineFor(base(EVENTS['dataplane upgrade']!), 'sidecar');
    sc.run();
    const injected = sc.w.placement.pods.filter((p) => p.kind === 'app' && p.hasSidecar);
    expect(sc.disruption[0]!.podsRestarted).toBe(injected.length);
    expect(injected.map((p) => sc.pods.gen[p.index])).toEqual(injected.map(() => 1));
    expect(sc.disruption[0]!.completed).toBe(true);
  });

  it('a migration restarts each migrated pod exactly once and leaves it captured by ztunnel', () => {
    const s = base(
      '  - { at: 10s, migrate: [shop], maxSurge: 1, maxUnavailable: 0 }',
      'istio-injection: enabled',
    );
    const e = engineFor(s, 'as-labelled');
    e.run();
    const shop = e.w.placement.pods.filter((p) => p.kind === 'app' && p.namespace === 'shop');
    expect(shop.length).toBe(6);
    expect(e.disruption[0]!.podsRestarted).toBe(6);
    expect(shop.map((p) => e.pods.gen[p.index])).toEqual(shop.map(() => 1));
    expect(shop.every((p) => e.pods.kind[p.index] === EndpointKind.Captured)).toBe(true);
    // The pay namespace was not migrated: its pods keep their sidecars and were not restarted.
    const pay = e.w.placement.pods.filter((p) => p.kind === 'app' && p.namespace === 'pay');
    expect(pay.every((p) => e.pods.kind[p.index] === EndpointKind.Sidecar && e.pods.gen[p.index] === 0)).toBe(
      true,
    );
    expect(conserved(e)).toBe(true);
  });

  it('a blue/green upgrade moves every pod once and pays for the second pool while it lasts', () => {
    const e = engineFor(base(EVENTS['dataplane upgrade, blue/green']!), 'ambient');
    e.run();
    const rec = e.disruption[0]!;
    const apps = e.w.placement.pods.filter((p) => p.kind === 'app');
    expect(rec.podsRestarted).toBe(apps.length);
    // Moving pods drains HTTP connections gracefully; only the raw TCP connections to db are cut, after
    // their in-flight work finished, and no old ztunnel resets anything. Without a preStop, each moved
    // pod's application exits before ztunnel learns it is gone: requests in that window are refused and,
    // with nobody on an L4 path to retry them, fail (istio/istio #58514).
    expect(Object.keys(rec.resetsByService)).toEqual(['shop/db']);
    expect(rec.requestsFailed).toBeGreaterThan(0);
    expect(rec.daemonSetPodsReplaced).toBe(0);
    expect(rec.extraNodeHours).toBeCloseTo((4 * rec.settledAfter!) / 3600, 9);
  });

  it('a waypoint scale-down resets the connections of its callers, nobody else', () => {
    const e = engineFor(base(EVENTS['waypoint scale-down']!), 'ambient');
    e.run();
    const rec = e.disruption[0]!;
    // Graceful: the waypoint drains them (HPA scale-downs reset callers' connections, picchu PR 645).
    expect(rec.connectionsDrained + rec.connectionsReset).toBeGreaterThan(0);
    expect(Object.keys(rec.resetsByService).every((k) => k === 'pay/charge')).toBe(true);
    expect(rec.podsRestarted).toBe(0);
  });

  it('a ztunnel fault only touches captured pods of its node; in sidecar mode there is nothing to kill', () => {
    const amb = engineFor(base(EVENTS['ztunnel fault']!), 'ambient');
    amb.run();
    const onNode = amb.w.placement.pods.filter((p) => p.node === 1 && p.captured).length;
    expect(amb.disruption[0]!.blastRadius!.pods).toBe(onNode);
    const sc = engineFor(base(EVENTS['ztunnel fault']!), 'sidecar');
    sc.run();
    expect(sc.disruption[0]!.blastRadius).toBeNull();
    expect(sc.disruption[0]!.requestsFailed).toBe(0);
  });
});
