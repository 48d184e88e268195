import { describe, expect, it } from 'vitest';
import { type Placement, place, requestedByComponent } from '../../src/cluster/index.ts';
import type { Architecture, NodePool, Service } from '../../src/scenario/types.ts';
import { entry, frozen, Gi, Mi, noIstiod, ns, pool, scenario, service, waypoint } from './fixtures.ts';

/** Two nodes of 4 vCPU / 16 GiB allocatable and one service of `replicas` x 1 CPU / 1 GiB. */
function twoNodes(replicas: number, pools: NodePool[] = [pool()], over: Partial<Service> = {}) {
  return frozen(
    scenario({
      pools,
      namespaces: [ns('shop', 'sidecar')],
      services: [service('shop/web', { replicas, ...over })],
      mesh: noIstiod(),
    }),
  );
}

const nodesOf = (p: Placement, kind = 'app') => p.pods.filter((x) => x.kind === kind).map((x) => x.node);
const cpuPerNode = (p: Placement) => p.requested.map((r) => Math.round(r.total.cpu * 1000) / 1000);

describe('place: filtering', () => {
  it('none: 7 pods of 1 CPU fit on two 4-CPU nodes, 4 + 3', () => {
    const p = place(twoNodes(7), 'none');
    expect(nodesOf(p)).toEqual([0, 1, 0, 1, 0, 1, 0]);
    expect(cpuPerNode(p)).toEqual([4, 3]);
    expect(p.unschedulable).toEqual([]);
    expect(p.nodesUsed).toBe(2);
  });

  it('sidecar: with a 100m sidecar each (1.1 CPU) only 3 fit per node, the 7th is unschedulable', () => {
    const p = place(twoNodes(7), 'sidecar');
    expect(nodesOf(p)).toEqual([0, 1, 0, 1, 0, 1, -1]);
    expect(cpuPerNode(p)).toEqual([3.3, 3.3]);
    expect(p.unschedulable).toEqual([
      { pod: 6, name: 'shop/web-6', reason: '0/2 nodes are available: 2 Insufficient cpu.' },
    ]);
    expect(p.pods[6]).toMatchObject({ node: -1, zone: null, hasSidecar: true });
  });

  it('ambient: ztunnel 200m + istio-cni 100m per node leave room for 3 pods, not 4', () => {
    const p = place(twoNodes(7), 'ambient');
    expect(nodesOf(p, 'ztunnel')).toEqual([0, 1]);
    expect(nodesOf(p, 'istio-cni')).toEqual([0, 1]);
    expect(nodesOf(p)).toEqual([0, 1, 0, 1, 0, 1, -1]);
    expect(p.unschedulable.map((u) => u.reason)).toEqual(['0/2 nodes are available: 2 Insufficient cpu.']);
    expect(p.requested[0]).toEqual({
      node: 0,
      total: { cpu: 3.3, memory: 3 * Gi + 612 * Mi },
      byComponent: {
        application: { cpu: 3, memory: 3 * Gi },
        ztunnel: { cpu: 0.2, memory: 512 * Mi },
        'istio-cni': { cpu: 0.1, memory: 100 * Mi },
      },
      pods: 5,
    });
    // 6 pods of 1 CPU still fit: the DaemonSets change the count by exactly one
    expect(place(twoNodes(6), 'ambient').unschedulable).toEqual([]);
  });

  it('istiod takes its 500m before the application pods', () => {
    const s = frozen({ ...twoNodes(6), mesh: scenario().mesh });
    const p = place(s, 'sidecar');
    // The chart's HPA may add 4 more (autoscaleMax 5): standby, not scheduled until it scales up.
    expect(nodesOf(p, 'istiod')).toEqual([0, -1, -1, -1, -1]);
    // node 0: 0.5 + 3 x 1.1 = 3.8; a 4th pod would need 4.9
    expect(nodesOf(p)).toEqual([1, 0, 1, 0, 1, 0]);
    expect(cpuPerNode(p)).toEqual([3.8, 3.3]);
  });

  it('maxPods counts every pod, DaemonSets included', () => {
    const small = { requests: { cpu: 0.1, memory: 1 * Mi } };
    const none = place(twoNodes(7, [pool({ maxPods: 3 })], { resources: small }), 'none');
    expect(nodesOf(none)).toEqual([0, 1, 0, 1, 0, 1, -1]);
    expect(none.unschedulable[0]?.reason).toBe('0/2 nodes are available: 2 Too many pods.');
    const ambient = place(twoNodes(4, [pool({ maxPods: 3 })], { resources: small }), 'ambient');
    expect(nodesOf(ambient)).toEqual([0, 1, -1, -1]);
    expect(ambient.requested.map((r) => r.pods)).toEqual([3, 3]);
  });

  it('memory is a filter too', () => {
    const p = place(
      twoNodes(1, [pool()], { resources: { requests: { cpu: 0.1, memory: 17 * Gi } } }),
      'none',
    );
    expect(p.unschedulable[0]?.reason).toBe('0/2 nodes are available: 2 Insufficient memory.');
  });

  it("reasons: each node under its first failure, sorted as kube-scheduler's strings", () => {
    const s = frozen(
      scenario({
        pools: [pool({ name: 'big', vcpu: 2 }), pool({ name: 'small', vcpu: 64, count: 4, maxPods: 1 })],
        services: [service('x/hog', { replicas: 7, resources: { requests: { cpu: 3, memory: 100 * Gi } } })],
      }),
    );
    // 3 CPU fails first on the 2-CPU nodes, 100 GiB on the others
    const p = place(s, 'none');
    expect(nodesOf(p)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
    expect(p.unschedulable[0]?.reason).toBe(
      '0/6 nodes are available: 2 Insufficient cpu, 4 Insufficient memory.',
    );
    const t = frozen({
      ...s,
      services: [service('x/hog', { replicas: 7, resources: { requests: { cpu: 2, memory: 1 * Gi } } })],
    });
    // the 64-CPU nodes are least allocated (2/64) so they fill first, one pod each
    const q = place(t, 'none');
    expect(nodesOf(q)).toEqual([2, 3, 4, 5, 0, 1, -1]);
    expect(q.unschedulable[0]?.reason).toBe('0/6 nodes are available: 2 Insufficient cpu, 4 Too many pods.');
  });

  it('a DaemonSet pod that does not fit its node is unschedulable there, never moved', () => {
    const s = frozen(
      scenario({
        pools: [pool({ name: 'p', count: 1 }), pool({ name: 'tiny', count: 1, vcpu: 0.15 })],
        namespaces: [ns('b', 'ambient')],
        services: [service('b/x', { resources: { requests: { cpu: 0.01, memory: Mi } } })],
        mesh: noIstiod(),
      }),
    );
    const p = place(s, 'ambient');
    expect(Array.from(p.ztunnelOfNode)).toEqual([0, -1]);
    expect(p.unschedulable).toEqual([
      {
        pod: 1,
        name: 'ztunnel-tiny-0',
        reason:
          "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector.",
      },
    ]);
    expect(nodesOf(p, 'istio-cni')).toEqual([0, 1]);
    // DaemonSets alone do not make a node used
    expect(p.nodesUsed).toBe(1);
  });

  it('an empty cluster: every pod unschedulable', () => {
    const p = place(twoNodes(2, [pool({ count: 0 })]), 'none');
    expect(p.unschedulable.map((u) => u.reason)).toEqual(
      Array(2).fill('no nodes available to schedule pods'),
    );
  });
});

describe('place: scoring', () => {
  it('spreads 6 replicas over 3 zones, 2 per zone, even when zones have unequal nodes', () => {
    // 4 nodes round-robin over 3 zones: a = {0, 3}, b = {1}, c = {2}
    const p = place(twoNodes(6, [pool({ count: 4, zones: ['a', 'b', 'c'] })]), 'none');
    expect(nodesOf(p)).toEqual([0, 1, 2, 3, 1, 2]);
    expect(p.pods.map((x) => x.zone)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('spreading is soft: a full zone is skipped', () => {
    const pools = [
      pool({ name: 'p', count: 2, zones: ['a', 'b'] }),
      pool({ name: 'q', count: 1, vcpu: 0.5, zones: ['c'] }),
    ];
    expect(nodesOf(place(twoNodes(3, pools), 'none'))).toEqual([0, 1, 0]);
  });

  it('spreads over nodes within a zone unless the node without a pod of the owner is far fuller', () => {
    // One zone, two nodes: x (cpu) on node 0, y-0 on node 1 (least allocated). y-1: node 0 holds no
    // y pod, which is worth 26 points of weighted spread (100 against 87, x 2: node-score.ts).
    const y = (xCpu: number) =>
      nodesOf(
        place(
          frozen(
            scenario({
              pools: [pool({ count: 2 })],
              services: [
                service('n/x', { replicas: 1, resources: { requests: { cpu: xCpu, memory: Gi } } }),
                service('n/y', { replicas: 2, resources: { requests: { cpu: 0.5, memory: Gi } } }),
              ],
            }),
          ),
          'none',
        ),
      );
    // x of 1 core: node 0's resources score 13 less than node 1's (161 against 174): it spreads.
    expect(y(1)).toEqual([0, 1, 0]);
    // x of 3 cores: node 0 at 87.5 % of its cpu scores 63 less (LeastAllocated 49 against 81,
    // BalancedAllocation 62 against 93): y-1 joins y-0.
    expect(y(3)).toEqual([0, 1, 1]);
  });

  it('LeastAllocated averages the cpu and memory fractions', () => {
    const s = frozen(
      scenario({
        pools: [pool({ count: 2 })],
        services: [
          service('n/cpu', { resources: { requests: { cpu: 2, memory: 0 } } }),
          service('n/mem', { resources: { requests: { cpu: 0, memory: 12 * Gi } } }),
          // after placing: node 0 (2.5/4 + 1/16) / 2 = 0.34375; node 1 (0.5/4 + 13/16) / 2 = 0.46875
          service('n/z', { resources: { requests: { cpu: 0.5, memory: 1 * Gi } } }),
        ],
      }),
    );
    expect(nodesOf(place(s, 'none'))).toEqual([0, 1, 0]);
  });
});

describe('place: output', () => {
  const s = frozen(
    scenario({
      pools: [pool({ count: 3, zones: ['a', 'b'] })],
      namespaces: [ns('shop', 'ambient')],
      services: [service('shop/web', { replicas: 2 }), service('shop/db', { replicas: 1 })],
      waypoints: [waypoint('shop', 'wp', { replicas: 2 })],
      traffic: [entry('web', 'shop/web', { clients: 2, clientMode: 'same-as-target' })],
    }),
  );

  it('indexes pods by owner and ztunnel by node', () => {
    const p = place(s, 'ambient');
    expect([...p.byOwner.entries()]).toEqual([
      ['ztunnel', [0, 1, 2]],
      ['istio-cni', [3, 4, 5]],
      // istiod's HPA standby pods come after every pod placed from the start.
      ['istiod', [6, 14, 15, 16, 17]],
      ['shop/wp', [7, 8]],
      ['shop/web', [9, 10]],
      ['shop/db', [11]],
      ['web', [12, 13]],
    ]);
    expect(Array.from(p.ztunnelOfNode)).toEqual([0, 1, 2]);
    expect(p.pods.every((x, i) => x.index === i && (x.standby || x.zone === p.nodes[x.node]?.zone))).toBe(
      true,
    );
    expect(p.modes).toEqual(new Map([['shop', 'ambient']]));
    expect(p.arch).toBe('ambient');
  });

  it('requestedByComponent totals bound pods per component', () => {
    const totals = requestedByComponent(place(s, 'ambient'));
    expect(totals).toEqual({
      application: { cpu: 3, memory: 3 * Gi },
      sidecar: { cpu: 0, memory: 0 },
      ztunnel: { cpu: 0.6000000000000001, memory: 3 * 512 * Mi },
      waypoint: { cpu: 0.2, memory: 256 * Mi },
      gateway: { cpu: 0, memory: 0 },
      'istio-cni': { cpu: 0.30000000000000004, memory: 300 * Mi },
      istiod: { cpu: 0.5, memory: 2 * Gi },
      client: { cpu: 0, memory: 0 },
    });
    const side = requestedByComponent(place(s, 'sidecar'));
    expect(side.sidecar).toEqual({ cpu: 0.5, memory: 5 * 128 * Mi });
    expect(side.ztunnel).toEqual({ cpu: 0, memory: 0 });
  });

  it('pool overrides resize the cluster', () => {
    const p = place(s, 'ambient', { pools: { pool: 5 } });
    expect(p.nodes).toHaveLength(5);
    expect(Array.from(p.ztunnelOfNode)).toEqual([0, 1, 2, 3, 4]);
  });

  it.each(['none', 'sidecar', 'ambient', 'as-labelled'] as Architecture[])('%s is deterministic', (arch) => {
    expect(place(s, arch)).toEqual(place(s, arch));
  });
});
