// kube-scheduler stops filtering once it has found percentageOfNodesToScore of the nodes feasible, and
// starts each search where the last one stopped (src/cluster/nodes-to-score.ts).
import { describe, expect, it } from 'vitest';
import { numFeasibleNodesToFind, type Placement, place } from '../../src/cluster/index.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { engineFor, scenario as fromYaml } from '../events/helpers.ts';
import { frozen, Mi, noIstiod, ns, pool, scenario, service } from './fixtures.ts';

describe('numFeasibleNodesToFind', () => {
  it('follows schedule_one.go: every node under 100, else 50 % less one point per 125 nodes, at least 5 % and 100 nodes', () => {
    const adaptive: Array<[number, number]> = [
      [1, 1],
      [99, 99],
      [100, 100], // 49 % of 100 is 49: at least 100
      [204, 100],
      [250, 120], // 48 %
      [500, 230], // 46 %
      [1_000, 420], // 42 %
      [1_200, 492], // 41 % (1,200 / 125 = 9.6, truncated)
      [5_000, 500], // 10 %
      [10_000, 500], // 5 %, the floor
      [20_000, 1_000],
    ];
    for (const [nodes, find] of adaptive) expect(numFeasibleNodesToFind(0, nodes), `${nodes}`).toBe(find);
    expect(numFeasibleNodesToFind(30, 1_200)).toBe(360);
    expect(numFeasibleNodesToFind(1, 1_200)).toBe(100);
    expect(numFeasibleNodesToFind(100, 1_200)).toBe(1_200);
    expect(numFeasibleNodesToFind(10, 50)).toBe(50);
  });
});

/** `nodes` nodes of 4 vCPU and room for every pod, one sidecar-less service of `replicas` small pods. */
function cluster(nodes: number, replicas: number, percentage?: number): Scenario {
  const s = scenario({
    pools: [pool({ count: nodes, zones: ['a', 'b', 'c'] })],
    namespaces: [ns('shop', 'none')],
    services: [
      service('shop/web', { replicas, resources: { requests: { cpu: 0.01, memory: 16 * Mi }, limits: {} } }),
    ],
    mesh: noIstiod(),
  });
  if (percentage !== undefined) s.cluster.scheduler = { percentageOfNodesToScore: percentage };
  return frozen(s);
}

/**
 * Replays kube-scheduler's cursor over a placement in which every node fits every pod: a search checks
 * `find` nodes from the cursor (one for a DaemonSet pod, which names its node) and its pod must land
 * among them. Returns the cursor after the last pod.
 */
function replay(p: Placement, find: number): number {
  const count = p.nodes.length;
  let start = 0;
  for (const pod of p.pods) {
    if (pod.standby) continue;
    if (pod.pinnedNode !== undefined) {
      start = (start + 1) % count;
      continue;
    }
    const offset = (pod.node - start + count) % count;
    expect(offset, `${pod.name} on node ${pod.node}, search from ${start}`).toBeLessThan(find);
    start = (start + find) % count;
  }
  return start;
}

describe('place: the nodes kube-scheduler scores', () => {
  it('1,000 nodes at 10 %: each pod lands among the 100 nodes its search checked, the next search starts after them', () => {
    const p = place(cluster(1_000, 300, 10), 'none');
    expect(p.unschedulable).toEqual([]);
    expect(p.nextStartNode).toBe(replay(p, 100));
  });

  it("1,000 nodes at 0, kube-scheduler's adaptive share: 420 nodes per search", () => {
    const p = place(cluster(1_000, 300, 0), 'none');
    expect(p.nextStartNode).toBe(replay(p, 420));
  });

  it('at 100 %, and by default, every node is scored and every search starts at node 0, as under 100 nodes', () => {
    for (const p of [place(cluster(1_000, 300, 100), 'none'), place(cluster(1_000, 300), 'none')]) {
      expect(p.nextStartNode).toBe(0);
      // With every node scored, spreading puts the 300 pods on 300 different nodes.
      expect(new Set(p.pods.map((x) => x.node)).size).toBe(300);
    }
  });

  it('under 100 nodes the setting changes nothing: the whole cluster is searched from node 0', () => {
    const a = place(cluster(99, 200, 10), 'none');
    const b = place(cluster(99, 200, 100), 'none');
    expect(a.pods.map((x) => x.node)).toEqual(b.pods.map((x) => x.node));
    expect(a.nextStartNode).toBe(0);
  });

  it('a scenario sets it as cluster.scheduler.percentageOfNodesToScore, 0-100', () => {
    const yaml = (pct: number) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: pct }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 200 }]
  scheduler: { percentageOfNodesToScore: ${pct} }
services: [{ name: web, replicas: 2 }]
traffic: [{ name: load, to: web, rate: 10/s }]
`;
    expect(fromYaml(yaml(30)).cluster.scheduler).toEqual({ percentageOfNodesToScore: 30 });
    expect(() => fromYaml(yaml(150))).toThrow(/cluster\.scheduler\.percentageOfNodesToScore/);
  });
});

describe('pods placed during the run continue the search', () => {
  it('an HPA scale-up on 200 nodes at the adaptive share: each new pod lands among the 100 nodes after where the last search stopped', () => {
    const s = fromYaml(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: runtime-search }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 200, zones: [a, b, c] }]
  scheduler: { percentageOfNodesToScore: 0 }
services:
  - name: web
    replicas: 1
    resources: { requests: { cpu: 250m } }
    serviceTime: 40ms
    autoscaling: { maxReplicas: 5, targetCPUUtilization: 50 }
traffic:
  - { name: load, to: web, rate: 100/s, arrival: constant, clients: 1, connection: { type: per-request } }
lifecycle: { podStartup: 5s }
compare: [none]
simulation: { duration: 30s, warmup: 1s, replications: 1 }
`);
    const e = engineFor(s, 'none');
    const start = e.w.placement.nextStartNode;
    e.run();
    const pods = e.w.placement.byOwner.get('default/web')!;
    // The first pod was placed at the start; the 4 the HPA adds (1 -> 5 at its first sync) are searched
    // for in turn, 100 nodes each (200 nodes: 49 % is 98, at least 100).
    const added = pods.slice(1).map((p) => e.pods.node[p]!);
    expect(added).toHaveLength(4);
    added.forEach((node, i) => {
      const from = (start + 100 * i) % 200;
      expect((node - from + 200) % 200, `pod ${i + 1} on node ${node}, search from ${from}`).toBeLessThan(
        100,
      );
    });
    expect(e.host.room.search.start).toBe((start + 400) % 200);
  });
});
