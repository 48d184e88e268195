// Pods an HPA creates mid-run are placed as kube-scheduler would place them then (replica-placement.ts),
// and deleted in the ReplicaSet's order (replica-ranks.ts). The load is always far above target, so the
// HPA asks for maxReplicas at its first sync (15 s); what runs is then the scheduler's business.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareForDeletion, type RankedPod } from '../../src/events/replica-ranks.ts';
import { engineFor, scenario } from './helpers.ts';

const run = (pools: string, scheduling: string, max: number, cpu = '1') => {
  const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: replica-scheduling }
cluster:
  nodePools: ${pools}
services:
  - name: web
    replicas: 1
    resources: { requests: { cpu: '${cpu}' } }
    serviceTime: 40ms
    autoscaling: { maxReplicas: ${max}, targetCPUUtilization: 50 }
    ${scheduling}
traffic:
  - { name: load, to: web, rate: 100/s, arrival: constant, clients: 1, connection: { type: per-request } }
lifecycle: { podStartup: 5s }
compare: [none]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`);
  const e = engineFor(s, 'none');
  e.run();
  const rec = e.autoscaling.find((a) => a.owner === 'default/web')!;
  const pods = e.w.placement.byOwner.get('default/web')!;
  const running = pods.filter((p) => e.pods.ready[p] === 1).map((p) => e.pods.node[p]!);
  const zoneOf = (n: number) => e.w.placement.nodes[n]!.zone;
  return { e, rec, running, zoneOf };
};

describe('HPA-created pods and kube-scheduler', () => {
  it('required anti-affinity per hostname on 3 nodes: 3 pods run, one per node, the other 3 stay Pending', () => {
    const { rec, running } = run(
      '[{ name: n, instanceType: m5.xlarge, count: 3 }]',
      'podAntiAffinity: [kubernetes.io/hostname]',
      6,
      '250m',
    );
    // The default scale-up policy allows max(4 pods, 100 %) per 15 s: 1 -> 5 -> 6.
    expect(rec.desired).toEqual([
      { at: 0, replicas: 1 },
      { at: 15, replicas: 5 },
      { at: 30, replicas: 6 },
    ]);
    expect([...running].sort()).toEqual([0, 1, 2]);
    expect(rec.ready.at(-1)!.replicas).toBe(3);
    expect(rec.pendingAtEnd).toBe(3);
    expect(rec.pendingPods).toBe(3);
    expect(rec.pendingSeconds).toBeCloseTo(2 * (60 - 15) + (60 - 30), 9);
    expect(rec.pendingReason).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
    );
  });

  it('without it the same pods all run (room for 6 x 250m on 3 m5.xlarge)', () => {
    const { rec, running } = run('[{ name: n, instanceType: m5.xlarge, count: 3 }]', '', 6, '250m');
    expect(running).toHaveLength(6);
    expect(rec.pendingAtEnd).toBe(0);
    expect(rec.pendingReason).toBeNull();
  });

  it('zone spread maxSkew 1 over 2 zones of 2 nodes: scaled-up pods stay balanced, 3 and 2', () => {
    const { running, zoneOf } = run(
      '[{ name: n, instanceType: m5.xlarge, count: 4, zones: [za, zb] }]',
      'topologySpreadConstraints: [{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone }]',
      5,
      '250m',
    );
    expect(running).toHaveLength(5);
    const perZone = running.reduce<Record<string, number>>((m, n) => {
      m[zoneOf(n)] = (m[zoneOf(n)] ?? 0) + 1;
      return m;
    }, {});
    expect(Object.values(perZone).sort()).toEqual([2, 3]);
  });

  it('zone spread maxSkew 1 with a small zone: pods wait rather than pile into the big zone', () => {
    // Zone a: one 16-CPU node; zone b: one 2-CPU node (one 1-CPU pod fits).
    const pools = `
    - { name: big, instanceType: custom, vcpu: 16, memory: 64Gi, count: 1, zones: [za] }
    - { name: small, instanceType: custom, vcpu: 2, memory: 8Gi, count: 1, zones: [zb] }`;
    const spread = run(
      pools,
      'topologySpreadConstraints: [{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone }]',
      6,
    );
    // a, b, a: then a third in zone a would be 3 - 1 = 2 over zone b.
    expect(spread.running.map(spread.zoneOf).sort()).toEqual(['za', 'za', 'zb']);
    expect(spread.rec.pendingAtEnd).toBe(3);
    expect(spread.rec.pendingReason).toBe(
      "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match pod topology spread constraints.",
    );
    const loose = run(pools, '', 6);
    expect(loose.running.map(loose.zoneOf).sort()).toEqual(['za', 'za', 'za', 'za', 'za', 'zb']);
  });

  it('taints keep new pods off a dedicated pool; PreferNoSchedule nodes are used only when the others are full', () => {
    const pools = `
    - { name: gp, instanceType: m5.xlarge, count: 1 }
    - { name: ded, instanceType: m5.xlarge, count: 2, taints: [{ key: dedicated, value: gw, effect: NoSchedule }] }`;
    const hard = run(pools, '', 6);
    // 1-CPU pods: three fit on the m5.xlarge's allocatable, the tainted nodes take none.
    expect(hard.running).toEqual([0, 0, 0]);
    expect(hard.rec.pendingReason).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gw}.',
    );
    const soft = run(pools.replace('NoSchedule', 'PreferNoSchedule'), '', 6);
    expect([...soft.running].sort()).toEqual([0, 0, 0, 1, 1, 2]);
    expect(soft.rec.pendingAtEnd).toBe(0);
  });

  it('counts the pod-seconds each node hosted within the measured window', () => {
    const { e, rec } = run('[{ name: n, instanceType: m5.xlarge, count: 3 }]', '', 3, '250m');
    expect(e.autoscaling).toContain(rec);
    const total = rec.hosted.reduce((s, h) => s + h.podSeconds, 0);
    // One pod from the warm-up (1 s) to 60 s, two more from the scale-up at 15 s.
    expect(total).toBeCloseTo(59 + 2 * 45, 9);
  });
});

describe('HPA-created pods keep the rules, whatever the cluster', () => {
  it('property: never two on a node under hostname anti-affinity; zone counts within maxSkew under spread', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 8 }),
        fc.boolean(),
        (count, zones, max, anti) => {
          const names = ['za', 'zb', 'zc'].slice(0, zones).join(', ');
          const rule = anti
            ? 'podAntiAffinity: [kubernetes.io/hostname]'
            : 'topologySpreadConstraints: [{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone }]';
          const { rec, running, zoneOf } = run(
            `[{ name: n, instanceType: m5.xlarge, count: ${count}, zones: [${names}] }]`,
            rule,
            max,
            '250m',
          );
          const placed = running.length;
          expect(placed + rec.pendingAtEnd).toBe(rec.desired.at(-1)!.replicas);
          if (anti) {
            expect(new Set(running).size).toBe(placed);
            expect(placed).toBe(Math.min(count, max));
          } else {
            const per = new Map<string, number>();
            for (let z = 0; z < Math.min(zones, count); z++) per.set(['za', 'zb', 'zc'][z]!, 0);
            for (const n of running) per.set(zoneOf(n), per.get(zoneOf(n))! + 1);
            expect(Math.max(...per.values()) - Math.min(...per.values())).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 12, seed: 11 },
    );
  });
});

describe('standby pods on the node processors', () => {
  it('weigh what their requests give (250m -> 256 shares) and are capped by their limit, placed or not', () => {
    const s = scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: standby-cfs }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
services:
  - name: web
    replicas: 1
    resources: { requests: { cpu: 250m }, limits: { cpu: 500m } }
    serviceTime: 1ms
    autoscaling: { maxReplicas: 3 }
traffic: [{ name: load, to: web, rate: 10/s }]
compare: [none]
simulation: { duration: 10s, warmup: 1s, replications: 1 }
`);
    const e = engineFor(s, 'none');
    const pods = e.w.placement.byOwner.get('default/web')!;
    expect(pods.map((p) => e.w.placement.pods[p]!.standby ?? false)).toEqual([false, true, true]);
    for (const p of pods) {
      expect(e.w.containerWeight[e.w.nProxies + p]).toBe(256);
      expect(e.w.containerLimit[e.w.nProxies + p]).toBe(0.5);
    }
  });
});

describe("the ReplicaSet's deletion order (ActivePodsWithRanks)", () => {
  const base: RankedPod = {
    assigned: true,
    running: true,
    ready: true,
    colocated: 1,
    readyAt: Number.NEGATIVE_INFINITY,
    createdAt: Number.NEGATIVE_INFINITY,
    uid: 1,
  };
  const first = (a: Partial<RankedPod>, b: Partial<RankedPod>, now = 100) =>
    compareForDeletion({ ...base, ...a }, { ...base, ...b }, now) < 0;

  it('unassigned, then not running, then not ready go first', () => {
    expect(first({ assigned: false, running: false, ready: false }, {})).toBe(true);
    expect(first({ running: false, ready: false }, { ready: false })).toBe(true);
    expect(first({ ready: false }, {})).toBe(true);
  });

  it('a doubled-up pod goes before a pod alone on its node', () => {
    expect(first({ colocated: 2, uid: 9 }, { colocated: 1, uid: 1 })).toBe(true);
  });

  it('the more recently ready goes first, on a log2 scale: 1 s and 1.5 s ago tie (then UID), 1 s and 3 s do not', () => {
    // log2(1e9) = 29.9 -> 29; log2(1.5e9) = 30.5 -> 30; log2(3e9) = 31.5 -> 31.
    expect(first({ readyAt: 99, uid: 5 }, { readyAt: 97, uid: 1 })).toBe(true);
    expect(first({ readyAt: 99, uid: 5 }, { readyAt: 99.5 - 1, uid: 1 })).toBe(true);
    // 0.9 s and 0.6 s ago: both rank 29, so the lower UID goes first.
    expect(first({ readyAt: 99.1, uid: 5 }, { readyAt: 99.4, uid: 1 })).toBe(false);
    expect(first({ readyAt: 50 }, {})).toBe(true);
  });
});
