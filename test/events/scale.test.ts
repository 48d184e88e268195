// `scale` events on Deployments without an HPA: the ReplicaSet creates the pods past the starting count
// (standby pods, placed when they are created) and deletes the surplus in its order; the record and cost
// follow what each node hosted.
import { describe, expect, it } from 'vitest';
import { attachCost, costOf } from '../../src/cost/index.ts';
import { comparisonTable } from '../../src/report/index.ts';
import { simulate } from '../../src/simulate/index.ts';
import { conserved, engineFor, scenario } from './helpers.ts';

const shop = (events: string, o: { nodes?: number; cpu?: string; arch?: string } = {}) =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: scale }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: ${o.nodes ?? 2} }]
namespaces: [{ name: shop, labels: { istio-injection: enabled } }]
services:
  - { name: api, namespace: shop, replicas: 2, serviceTime: 1ms, resources: { requests: { cpu: ${o.cpu ?? '100m'} } } }
traffic:
  - { name: load, to: api.shop, rate: 200/s, arrival: constant, clients: 1, connection: { type: per-request } }
lifecycle: { podStartup: 5s }
events:
${events}
compare: [${o.arch ?? 'none'}]
simulation: { duration: 40s, warmup: 1s, replications: 1 }
`);

const run = (events: string, o: { nodes?: number; cpu?: string; arch?: string } = {}) => {
  const e = engineFor(shop(events, o), (o.arch ?? 'none') as 'none');
  e.run();
  return e;
};

describe('scale events without an HPA', () => {
  it('scales up past the starting pods: 2 -> 5, placed, ready after the startup time, taking requests', () => {
    const e = run('  - { at: 10s, scale: api.shop, replicas: 5 }');
    const rec = e.autoscaling.find((a) => a.owner === 'shop/api')!;
    expect(rec).toMatchObject({ kind: 'manual', minReplicas: 2, maxReplicas: 5, targetCPUUtilization: null });
    expect(rec.desired).toEqual([
      { at: 0, replicas: 2 },
      { at: 10, replicas: 5 },
    ]);
    expect(rec.ready).toEqual([
      { at: 0, replicas: 2 },
      { at: 15, replicas: 5 },
    ]);
    expect(e.pods.readyCount('shop/api')).toBe(5);
    // Per-request connections spread the requests over every ready pod: the new ones served too.
    const pods = e.w.placement.byOwner.get('shop/api')!;
    expect(pods).toHaveLength(5);
    for (const pod of pods) expect(e.apps.used[pod]!).toBeGreaterThan(0);
    const d = e.disruption[0]!;
    expect(d).toMatchObject({ completed: true, rolloutDuration: 5, settledAfter: 5 });
    expect(d.mechanism).toBe('shop/api: 3 pods created (scheduled, started, ready after the startup time)');
    expect(conserved(e)).toBe(true);
    // Pod-seconds in the 39 s window: 2 pods throughout, 3 more from t = 10.
    const hosted = rec.hosted.reduce((a, h) => a + h.podSeconds, 0);
    expect(hosted).toBeCloseTo(2 * 39 + 3 * 30, 9);
  });

  it('scales down in the ReplicaSet order, the pods leaving as deleted pods do, and back up into the freed slots', () => {
    const e = run(
      '  - { at: 10s, scale: api.shop, replicas: 1 }\n  - { at: 25s, scale: api.shop, replicas: 2 }',
    );
    const rec = e.autoscaling.find((a) => a.owner === 'shop/api')!;
    expect(rec.desired.map((x) => x.replicas)).toEqual([2, 1, 2]);
    expect(rec).toMatchObject({ minReplicas: 1, maxReplicas: 2, scaleDowns: 1, scaleUps: 1 });
    expect(e.pods.readyCount('shop/api')).toBe(2);
    const [down, up] = e.disruption;
    expect(down!.mechanism).toBe(
      "shop/api: 1 pod deleted in the ReplicaSet's order (their connections drain and reset)",
    );
    expect(down!.completed).toBe(true);
    expect(up!.rolloutDuration).toBe(5);
    expect(conserved(e)).toBe(true);
  });

  it('a pod with no room waits Pending with the scheduler reason, and the event does not complete', () => {
    // 1,500m pods on two 4-vCPU nodes: two fit a node (with its DaemonSets and reserve), not three.
    const e = run('  - { at: 10s, scale: api.shop, replicas: 8 }', { cpu: '1500m' });
    const rec = e.autoscaling.find((a) => a.owner === 'shop/api')!;
    expect(rec.pendingAtEnd).toBeGreaterThan(0);
    expect(rec.pendingReason).toMatch(/Insufficient cpu/);
    expect(e.disruption[0]!.completed).toBe(false);
    expect(e.pods.readyCount('shop/api')).toBe(8 - rec.pendingAtEnd);
  });

  it('cost charges what the nodes hosted: 5 pods for 30 of 39 s, not the 2 placed at the start', () => {
    const s = shop('  - { at: 10s, scale: api.shop, replicas: 5 }', { cpu: '1' });
    const results = simulate(s);
    const a = results.architectures[0]!;
    const api = a.autoscaling!.find((x) => x.owner === 'shop/api')!;
    const pods = api.podsByNode.reduce((x, n) => x + n.pods, 0);
    expect(pods).toBeCloseTo((2 * 39 + 3 * 30) / 39, 9);
    const cost = costOf(s, a);
    const fixed = costOf(s, { ...a, autoscaling: [] });
    // Each pod's requested core is charged (its usage is below it): the application's CPU cost follows the
    // pods hosted. (Its memory requests nothing, so memory is charged by use, whatever the pod count.)
    const app = (c: typeof cost) => c.allocation.byComponent.find((x) => x.component === 'application')!.cpu;
    expect(app(cost) / app(fixed)).toBeCloseTo(pods / 2, 2);
    expect(comparisonTable(attachCost(s, results))).toMatch(/shop\/api \(scale events\), mean\s+4\.31/);
    // No HPA, so no maxReplicas to reach: the count is what the event asked for.
    expect(a.warnings.filter((w) => w.includes('shop/api'))).toEqual([]);
  });
});
