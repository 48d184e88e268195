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
});
