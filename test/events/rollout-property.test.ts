// Rolling restarts on random small clusters: whatever the surge, unavailability, anti-affinity and room,
// no request is lost, no node's room goes below zero, required anti-affinity holds among the pods that
// run, and once the rollout has settled nothing is left in transit (rollout-transit.ts) or waiting for
// room (pending.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transitNodes } from '../../src/events/rollout-transit.ts';
import { conserved, engineFor, scenario } from './helpers.ts';

const rollout = (o: {
  nodes: number;
  replicas: number;
  surge: number;
  unavailable: number;
  anti: boolean;
  cpu: number;
  startup: number;
}) =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: rollout-property }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: ${o.nodes}, zones: [z1, z2] }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - name: api
    namespace: app
    replicas: ${o.replicas}
    serviceTime: 1ms
    resources: { requests: { cpu: ${o.cpu}m } }
    ${o.anti ? 'podAntiAffinity: [kubernetes.io/hostname]' : ''}
traffic:
  - { name: web, to: api.app, rate: 40/s, timeout: 2s }
lifecycle: { podStartup: ${o.startup}s, terminationGrace: 10s }
events:
  - { at: 2s, upgrade: dataplane, maxSurge: ${o.surge}, maxUnavailable: ${o.unavailable} }
compare: [sidecar]
simulation: { duration: 90s, warmup: 1s, replications: 1 }
`);

describe('rolling restarts on random clusters', () => {
  it('property: requests conserved, room never negative, anti-affinity kept, nothing left in transit once settled', () => {
    fc.assert(
      fc.property(
        fc.record({
          nodes: fc.integer({ min: 2, max: 5 }),
          replicas: fc.integer({ min: 1, max: 5 }),
          surge: fc.integer({ min: 0, max: 2 }),
          unavailable: fc.integer({ min: 0, max: 2 }),
          anti: fc.boolean(),
          cpu: fc.constantFrom(100, 900, 1400),
          startup: fc.constantFrom(1, 4),
        }),
        (o) => {
          const e = engineFor(rollout(o), 'sidecar');
          e.run();
          expect(conserved(e)).toBe(true);
          for (let n = 0; n < o.nodes; n++) {
            expect(e.host.room.cpu[n]!).toBeGreaterThan(-1e-9);
            expect(e.host.room.pods[n]!).toBeGreaterThanOrEqual(0);
            expect(e.host.room.cpu[n]!, JSON.stringify(o)).toBeLessThan(
              e.w.placement.nodes[n]!.allocatable.cpu + 1e-9,
            );
            expect(e.host.room.pods[n]!, JSON.stringify(o)).toBeLessThanOrEqual(
              e.w.placement.nodes[n]!.maxPods,
            );
          }
          const api = e.w.placement.byOwner.get('app/api')!;
          const running = api.filter((p) => e.pods.node[p]! >= 0 && e.pods.ready[p] === 1);
          if (o.anti) {
            const nodes = running.map((p) => e.pods.node[p]!);
            expect(new Set(nodes).size).toBe(nodes.length);
          }
          const d = e.disruption[0]!;
          if (d.completed && d.settledAfter !== null) {
            expect(transitNodes(e.host, 'app/api')).toEqual({ all: [], live: [] });
            expect(e.host.room.listeners).toHaveLength(0);
            expect(api.map((p) => e.pods.gen[p])).toEqual(api.map(() => 1));
          }
        },
      ),
      { numRuns: 20, seed: 17 },
    );
  });

  it('property: with a node failing during the rollout, under any architecture, the same invariants hold', () => {
    fc.assert(
      fc.property(
        fc.record({
          nodes: fc.integer({ min: 2, max: 5 }),
          replicas: fc.integer({ min: 1, max: 5 }),
          surge: fc.integer({ min: 0, max: 2 }),
          unavailable: fc.integer({ min: 0, max: 2 }),
          anti: fc.boolean(),
          cpu: fc.constantFrom(100, 900, 1400),
          fault: fc.integer({ min: 0, max: 4 }),
          faultAt: fc.constantFrom(1, 3, 8),
          arch: fc.constantFrom('none', 'sidecar', 'ambient'),
        }),
        (o) => {
          const label =
            o.arch === 'ambient' ? 'istio.io/dataplane-mode: ambient' : 'istio-injection: enabled';
          const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: rollout-fault-property }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: ${o.nodes}, zones: [z1, z2] }]
namespaces: [{ name: app, labels: { ${label} } }]
services:
  - name: api
    namespace: app
    replicas: ${o.replicas}
    serviceTime: 1ms
    resources: { requests: { cpu: ${o.cpu}m } }
    ${o.anti ? 'podAntiAffinity: [kubernetes.io/hostname]' : ''}
traffic:
  - { name: web, to: api.app, rate: 40/s, timeout: 2s }
lifecycle: { podStartup: 3s, terminationGrace: 10s }
events:
  - { at: 2s, upgrade: dataplane, maxSurge: ${o.surge}, maxUnavailable: ${o.unavailable} }
  - { at: ${o.faultAt}s, fault: node, selector: "${o.fault % o.nodes}", recovery: 20s, notReadyAfter: 5s, evictAfter: 5s }
compare: [${o.arch}]
simulation: { duration: 90s, warmup: 1s, replications: 1 }
`);
          const e = engineFor(s, o.arch);
          e.run();
          expect(conserved(e)).toBe(true);
          for (let n = 0; n < o.nodes; n++) {
            expect(e.host.room.cpu[n]!).toBeGreaterThan(-1e-9);
            expect(e.host.room.pods[n]!).toBeGreaterThanOrEqual(0);
            expect(e.host.room.cpu[n]!, JSON.stringify(o)).toBeLessThan(
              e.w.placement.nodes[n]!.allocatable.cpu + 1e-9,
            );
            expect(e.host.room.pods[n]!, JSON.stringify(o)).toBeLessThanOrEqual(
              e.w.placement.nodes[n]!.maxPods,
            );
          }
          if (o.anti) {
            const api = e.w.placement.byOwner.get('app/api')!;
            const nodes = api.filter((p) => e.pods.ready[p] === 1).map((p) => e.pods.node[p]!);
            expect(new Set(nodes).size).toBe(nodes.length);
          }
        },
      ),
      { numRuns: 30, seed: 5 },
    );
  });

  it('a pod its ReplicaSet deletes while a rollout restarts it is not brought back, and its room frees once', () => {
    // One replica, restarted without a surge from 2 s (its replacement starts for 3 s), scaled to 0 at 4 s.
    const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: rollout-scale-down }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2, zones: [z1, z2] }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: api, namespace: app, replicas: 1, serviceTime: 1ms, resources: { requests: { cpu: 100m } } }
traffic:
  - { name: web, to: api.app, rate: 40/s, timeout: 2s }
lifecycle: { podStartup: 3s, terminationGrace: 10s }
events:
  - { at: 2s, upgrade: dataplane, maxSurge: 0, maxUnavailable: 1 }
  - { at: 4s, scale: api.app, replicas: 0 }
compare: [sidecar]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`);
    const e = engineFor(s, 'sidecar');
    const before = [0, 1].map((n) => e.host.room.cpu[n]!);
    const api = e.w.placement.byOwner.get('app/api')!;
    const node = e.w.placement.pods[api[0]!]!.node;
    e.run();
    expect(e.pods.readyCount('app/api')).toBe(0);
    // Every node has its starting room plus what api's pod held (100m and its sidecar's 100m), once.
    expect(e.host.room.cpu[node]!).toBeCloseTo(before[node]! + 0.2, 9);
    expect(e.host.room.cpu[1 - node]!).toBeCloseTo(before[1 - node]!, 9);
    expect(e.disruption[0]!.completed).toBe(true);
    expect(conserved(e)).toBe(true);
  });

  it('property: with scale events and a node failing during the rollout, no pod beyond the count runs', () => {
    fc.assert(
      fc.property(
        fc.record({
          nodes: fc.integer({ min: 2, max: 5 }),
          replicas: fc.integer({ min: 1, max: 5 }),
          surge: fc.integer({ min: 0, max: 2 }),
          unavailable: fc.integer({ min: 0, max: 2 }),
          cpu: fc.constantFrom(100, 900, 1400),
          scaleAt: fc.constantFrom(1, 3, 4, 6),
          scaleTo: fc.integer({ min: 0, max: 6 }),
          anti: fc.boolean(),
          fault: fc.integer({ min: 0, max: 4 }),
          faultAt: fc.constantFrom(1, 3, 8),
          arch: fc.constantFrom('none', 'sidecar', 'ambient'),
        }),
        (o) => {
          const s = scenario(`
  apiVersion: meshsim/v1alpha1
  kind: Scenario
  metadata: { name: explore }
  cluster:
    nodePools: [{ name: n, instanceType: m5.xlarge, count: ${o.nodes}, zones: [z1, z2] }]
  namespaces: [{ name: app, labels: { ${o.arch === 'ambient' ? 'istio.io/dataplane-mode: ambient' : 'istio-injection: enabled'} } }]
  services:
    - { name: api, namespace: app, replicas: ${o.replicas}, serviceTime: 1ms, resources: { requests: { cpu: ${o.cpu}m } }${o.anti ? ', podAntiAffinity: [kubernetes.io/hostname]' : ''} }
  traffic:
    - { name: web, to: api.app, rate: 40/s, timeout: 2s }
  lifecycle: { podStartup: 3s, terminationGrace: 10s }
  events:
    - { at: 2s, upgrade: dataplane, maxSurge: ${o.surge}, maxUnavailable: ${o.unavailable} }
    - { at: ${o.scaleAt}s, scale: api.app, replicas: ${o.scaleTo} }
    - { at: ${o.faultAt}s, fault: node, selector: "${o.fault % o.nodes}", recovery: 20s, notReadyAfter: 5s, evictAfter: 5s }
  compare: [${o.arch}]
  simulation: { duration: 90s, warmup: 1s, replications: 1 }
  `);
          const e = engineFor(s, o.arch as 'none');
          e.run();
          expect(conserved(e)).toBe(true);
          for (let n = 0; n < o.nodes; n++) {
            expect(e.host.room.cpu[n]!, JSON.stringify(o)).toBeGreaterThan(-1e-9);
            expect(e.host.room.cpu[n]!, JSON.stringify(o)).toBeLessThan(
              e.w.placement.nodes[n]!.allocatable.cpu + 1e-9,
            );
          }
          const api = e.w.placement.byOwner.get('app/api')!;
          if (o.anti) {
            const nodes = api.filter((p) => e.pods.ready[p] === 1).map((p) => e.pods.node[p]!);
            expect(new Set(nodes).size, JSON.stringify(o)).toBe(nodes.length);
          }
          const ready = e.pods.readyCount('app/api');
          expect(ready, JSON.stringify(o)).toBeLessThanOrEqual(Math.max(o.scaleTo, 0));
        },
      ),
      { numRuns: 40, seed: 13 },
    );
  });
});
