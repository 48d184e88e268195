// Rolling restarts on random small clusters, alone, with a node failing during them, and with scale events
// too: whatever the surge, unavailability, anti-affinity and room, no request is lost, no node's room leaves
// [0, allocatable], required anti-affinity holds among the pods that run, no more pods run than the last
// scale event asked for, every pod's memory is counted within the window, and once a rollout has settled
// nothing is left in transit (rollout-transit.ts), waiting for room (pending.ts) or vacant.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transitNodes } from '../../src/events/rollout-transit.ts';
import type { Replication } from '../../src/simulate/index.ts';
import { conserved, engineFor, scenario } from './helpers.ts';

interface Case {
  nodes: number;
  replicas: number;
  surge: number;
  unavailable: number;
  anti: boolean;
  cpu: number;
  startup: number;
  arch: 'none' | 'sidecar' | 'ambient';
  /** The failing node (modulo the count) and when, or none. */
  fault: { node: number; at: number } | null;
  scale: { to: number; at: number } | null;
}

const cases = (o: { faults: boolean; scales: boolean }) =>
  fc.record({
    nodes: fc.integer({ min: 2, max: 5 }),
    replicas: fc.integer({ min: 1, max: 5 }),
    surge: fc.integer({ min: 0, max: 2 }),
    unavailable: fc.integer({ min: 0, max: 2 }),
    anti: fc.boolean(),
    cpu: fc.constantFrom(100, 900, 1400),
    startup: fc.constantFrom(1, 3, 4),
    arch: o.faults
      ? fc.constantFrom('none' as const, 'sidecar' as const, 'ambient' as const)
      : fc.constant('sidecar' as const),
    fault: o.faults
      ? fc.record({ node: fc.integer({ min: 0, max: 4 }), at: fc.constantFrom(1, 3, 8) })
      : fc.constant(null),
    scale: o.scales
      ? fc.record({ to: fc.integer({ min: 0, max: 6 }), at: fc.constantFrom(1, 3, 4, 6) })
      : fc.constant(null),
  });

function engine(o: Case): Replication {
  const label = o.arch === 'ambient' ? 'istio.io/dataplane-mode: ambient' : 'istio-injection: enabled';
  const events = [
    `  - { at: 2s, upgrade: dataplane, maxSurge: ${o.surge}, maxUnavailable: ${o.unavailable} }`,
  ];
  if (o.fault)
    events.push(
      `  - { at: ${o.fault.at}s, fault: node, selector: "${o.fault.node % o.nodes}", recovery: 20s, notReadyAfter: 5s, evictAfter: 5s }`,
    );
  if (o.scale) events.push(`  - { at: ${o.scale.at}s, scale: api.app, replicas: ${o.scale.to} }`);
  const e = engineFor(
    scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: rollout-property }
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
lifecycle: { podStartup: ${o.startup}s, terminationGrace: 10s }
events:
${events.join('\n')}
compare: [${o.arch}]
simulation: { duration: 90s, warmup: 1s, replications: 1 }
`),
    o.arch,
  );
  return e;
}

function run(o: Case): Replication {
  const e = engine(o);
  e.run();
  return e;
}

/** What holds whatever happened: requests, room, anti-affinity, the count a scale event asked for. */
function holds(e: Replication, o: Case): void {
  const why = JSON.stringify(o);
  expect(conserved(e), why).toBe(true);
  for (let n = 0; n < o.nodes; n++) {
    const node = e.w.placement.nodes[n]!;
    expect(e.host.room.cpu[n]!, why).toBeGreaterThan(-1e-9);
    expect(e.host.room.cpu[n]!, why).toBeLessThan(node.allocatable.cpu + 1e-9);
    expect(e.host.room.pods[n]!, why).toBeGreaterThanOrEqual(0);
    expect(e.host.room.pods[n]!, why).toBeLessThanOrEqual(node.maxPods);
  }
  const api = e.w.placement.byOwner.get('app/api')!;
  if (o.anti) {
    const nodes = api.filter((p) => e.pods.ready[p] === 1).map((p) => e.pods.node[p]!);
    expect(new Set(nodes).size, why).toBe(nodes.length);
  }
  if (o.scale) expect(e.pods.readyCount('app/api'), why).toBeLessThanOrEqual(o.scale.to);
  // What each pod's memory is counted for lies within the 89 s window.
  for (const p of e.w.placement.pods) {
    expect(e.pods.presence(p.index, 90), why).toBeGreaterThanOrEqual(0);
    expect(e.pods.presence(p.index, 90), why).toBeLessThanOrEqual(89 + 1e-9);
  }
}

/** Whether pod `p` holds memory at the run's end (its presence still grows). */
const heldAtEnd = (e: Replication, p: number) => e.pods.presence(p, 91) - e.pods.presence(p, 90) > 0.5;

describe('rolling restarts on random clusters', () => {
  it('property: the invariants hold, and nothing is left in transit or waiting once a rollout settled', () => {
    fc.assert(
      fc.property(cases({ faults: false, scales: false }), (o) => {
        const e = run(o);
        holds(e, o);
        const d = e.disruption[0]!;
        if (d.completed && d.settledAfter !== null) {
          const api = e.w.placement.byOwner.get('app/api')!;
          expect(transitNodes(e.host, 'app/api')).toEqual({ all: [], live: [] });
          expect(e.host.room.listeners).toHaveLength(0);
          expect(api.map((p) => e.pods.gen[p])).toEqual(api.map(() => 1));
          // Every replacement is bound: no index is left vacant (holding no memory).
          expect(api.map((p) => heldAtEnd(e, p))).toEqual(api.map(() => true));
        }
      }),
      { numRuns: 20, seed: 17 },
    );
  });

  it('property: with a node failing during the rollout, under any architecture, the invariants hold', () => {
    fc.assert(
      fc.property(cases({ faults: true, scales: false }), (o) => holds(run(o), o)),
      { numRuns: 30, seed: 5 },
    );
  });

  it('property: with scale events and a node failing too, no more pods run than the count asked', () => {
    fc.assert(
      fc.property(cases({ faults: true, scales: true }), (o) => holds(run(o), o)),
      { numRuns: 40, seed: 13 },
    );
  });

  it('a pod its ReplicaSet deletes while a rollout restarts it is not brought back, and its room frees once', () => {
    // One replica, restarted without a surge from 2 s (its replacement starts for 3 s), scaled to 0 at 4 s.
    const o: Case = {
      nodes: 2,
      replicas: 1,
      surge: 0,
      unavailable: 1,
      anti: false,
      cpu: 100,
      startup: 3,
      arch: 'sidecar',
      fault: null,
      scale: { to: 0, at: 4 },
    };
    const e = engine(o);
    const before = [0, 1].map((n) => e.host.room.cpu[n]!);
    const node = e.w.placement.pods[e.w.placement.byOwner.get('app/api')![0]!]!.node;
    e.run();
    expect(e.pods.readyCount('app/api')).toBe(0);
    // Every node has its starting room plus what api's pod held there (100m and its sidecar's 100m), once.
    for (let n = 0; n < 2; n++)
      expect(e.host.room.cpu[n]!).toBeCloseTo(before[n]! + (n === node ? 0.2 : 0), 9);
    expect(e.disruption[0]!.completed).toBe(true);
    holds(e, o);
  });
});
