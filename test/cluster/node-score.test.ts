// kube-scheduler's default score plugins, weighted (node-score.ts): hand calculations of each plugin and
// of the places where the weighted total and a lexicographic order (spread first, then allocation) part.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import {
  balancedAllocation,
  leastAllocated,
  NodeScorer,
  resourceScores,
  SYSTEM_DEFAULT_SPREAD,
  softSpreadOf,
  toMilli,
} from '../../src/cluster/node-score.ts';
import type { Scheduling } from '../../src/scenario/types.ts';
import { frozen, Gi, noIstiod, ns, pool, scenario, service } from './fixtures.ts';

describe('resource scores, in integer milli-CPU and bytes as kube-scheduler computes them', () => {
  it('LeastAllocated: (capacity - requested) x 100 / capacity per resource, truncated, then averaged', () => {
    expect(leastAllocated(1000, 4000, 4 * Gi, 16 * Gi)).toBe(75);
    // cpu (4000 - 1001) x 100 / 4000 = 74.975 -> 74; memory 75; (74 + 75) / 2 = 74.5 -> 74
    expect(leastAllocated(1001, 4000, 4 * Gi, 16 * Gi)).toBe(74);
    // more requested than the capacity scores 0 for that resource
    expect(leastAllocated(5000, 4000, 0, 16 * Gi)).toBe(50);
    // both together, from cores rounded to whole milli-CPU: 1.0004 cores is 1000m
    expect(resourceScores(toMilli(1.0004), 4 * Gi, 1000, 8 * Gi, 4000, 16 * Gi)).toBe(75 + 87);
  });

  it('BalancedAllocation: (1 - |cpu fraction - memory fraction| / 2) x 100, fractions capped at 1', () => {
    expect(balancedAllocation(1000, 4000, 8 * Gi, 16 * Gi)).toBe(87); // 1 - |0.25 - 0.5| / 2 = 0.875
    expect(balancedAllocation(2000, 4000, 8 * Gi, 16 * Gi)).toBe(100);
    expect(balancedAllocation(8000, 4000, 0, 16 * Gi)).toBe(50); // cpu fraction capped at 1
  });
});

describe('which spread a pod is scored by', () => {
  it('the system defaults without constraints, none with only DoNotSchedule ones, else its ScheduleAnyway ones', () => {
    expect(softSpreadOf({})).toBe(SYSTEM_DEFAULT_SPREAD);
    expect(
      softSpreadOf({
        topologyRules: [{ kind: 'spread', topologyKey: 'kubernetes.io/hostname', maxSkew: 1 }],
      }),
    ).toEqual([]);
    expect(
      softSpreadOf({ topologyRules: [{ kind: 'anti-affinity', topologyKey: 'kubernetes.io/hostname' }] }),
    ).toBe(SYSTEM_DEFAULT_SPREAD);
    const soft = [{ topologyKey: 'topology.kubernetes.io/zone' as const, maxSkew: 2 }];
    expect(softSpreadOf({ softSpread: soft })).toBe(soft);
  });
});

describe('NodeScorer: normalised plugin scores, weighted', () => {
  it('the default spread over three nodes in three zones, one holding a pod of the owner', () => {
    const s = new NodeScorer(3, 3);
    s.reset(SYSTEM_DEFAULT_SPREAD);
    // raw: 1 x ln 5 + 2 + 1 x ln 5 + 4 = 9.22 -> 9 for node 0, 6 for the others; normalised
    // 100 x (9 + 6 - 9) / 9 = 66 and 100: x 2 = 132 against 200, so node 0 loses unless its resources
    // score 68 more.
    s.add(0, 0, 0, 1, 1, 190);
    s.add(1, 1, 0, 0, 0, 123);
    s.add(2, 2, 0, 0, 0, 122);
    expect(s.pick(0)).toBe(1);
    s.reset(SYSTEM_DEFAULT_SPREAD);
    s.add(0, 0, 0, 1, 1, 192);
    s.add(1, 1, 0, 0, 0, 123);
    expect(s.pick(0)).toBe(0); // raw 8 (1 x ln 4 + 2 + 1 x ln 4 + 4) and 6: 100 x 6 / 8 = 75; 150 + 192 > 200 + 123
  });

  it('untolerated PreferNoSchedule taints weigh 3: 100 - 100 x taints / the most', () => {
    const s = new NodeScorer(2, 1);
    s.reset([]);
    s.add(0, 0, 1, 0, 0, 200); // 0 x 3 + 200
    s.add(1, 0, 0, 0, 0, 0); // 100 x 3 + 0
    expect(s.pick(0)).toBe(1);
  });

  it('ties: the first added without a salt, a repeatable hash of salt and node with one', () => {
    const s = new NodeScorer(4, 1);
    const fill = () => {
      s.reset([]);
      for (let n = 0; n < 4; n++) s.add(n, 0, 0, 0, 0, 150);
    };
    fill();
    expect(s.pick(0)).toBe(0);
    const picks = new Set<number>();
    for (let salt = 1; salt < 200; salt += 2) {
      fill();
      const a = s.pick(salt);
      fill();
      expect(s.pick(salt)).toBe(a);
      picks.add(a);
    }
    expect(picks.size).toBe(4);
  });

  it('any number of constraints (a scenario may repeat a key)', () => {
    const s = new NodeScorer(2, 1);
    s.reset(
      Array.from({ length: 12 }, () => ({ topologyKey: 'kubernetes.io/hostname' as const, maxSkew: 1 })),
    );
    s.add(0, 0, 0, 1, 1, 200);
    s.add(1, 0, 0, 0, 1, 0);
    // raw 12 x ln 4 = 16.6 -> 17 against 0: node 0's spread 0, node 1's 100 (x 2 = 200 = node 0's lead)
    expect(s.pick(0)).toBe(0);
    s.reset(
      Array.from({ length: 12 }, () => ({ topologyKey: 'kubernetes.io/hostname' as const, maxSkew: 1 })),
    );
    s.add(0, 0, 0, 1, 1, 199);
    s.add(1, 0, 0, 0, 1, 0);
    expect(s.pick(0)).toBe(1);
  });

  it('no feasible node: -1', () => {
    const s = new NodeScorer(2, 1);
    s.reset(SYSTEM_DEFAULT_SPREAD);
    expect(s.pick(7)).toBe(-1);
  });
});

describe('placement by the weighted scores', () => {
  it('a second replica joins the first on a nearly empty node rather than a node 90 % requested', () => {
    // big (3.5 of 4 cores) lands on node 0; web's first pod on node 1 (less allocated). Its second pod:
    // node 0 holds none of web's pods but is 90 % requested. kube-scheduler's spread gives node 1 87
    // and node 0 100 (raw 8 and 7, one zone, two nodes), x 2 = 26 points for node 0; LeastAllocated
    // (cpu 10 against 95) and BalancedAllocation (56 against 97) give node 1 far more. A
    // spread-first order sent it to node 0.
    const services = [
      service('shop/big', { resources: { requests: { cpu: 3.5, memory: 1 * Gi } } }),
      service('shop/web', { replicas: 2, resources: { requests: { cpu: 0.1, memory: 0.25 * Gi } } }),
    ];
    const s = frozen(
      scenario({ pools: [pool({ count: 2 })], namespaces: [ns('shop', 'none')], services, mesh: noIstiod() }),
    );
    const nodes = place(s, 'none').pods.map((x) => x.node);
    expect(nodes).toEqual([0, 1, 1]);
  });

  it('preferred anti-affinity to its own pods outweighs the resources: the second replica takes the full node', () => {
    // As above, with web preferring (weight 100) no other web pod on its node: node 1's raw
    // InterPodAffinity score is -200 (its web pod matches web's term, and web's term matches the new
    // pod), node 0's 0, normalised to 0 and 100, x 2: 200 points for node 0, more than node 1's lead
    // in resources.
    const services = [
      service('shop/big', { resources: { requests: { cpu: 3.5, memory: 1 * Gi } } }),
      service('shop/web', {
        replicas: 2,
        resources: { requests: { cpu: 0.1, memory: 0.25 * Gi } },
        scheduling: { preferredAntiAffinity: [{ weight: 100, topologyKey: 'kubernetes.io/hostname' }] },
      }),
    ];
    const s = frozen(
      scenario({ pools: [pool({ count: 2 })], namespaces: [ns('shop', 'none')], services, mesh: noIstiod() }),
    );
    expect(place(s, 'none').pods.map((x) => x.node)).toEqual([0, 1, 0]);
    // weight 1: -2 against 0 still normalises to 0 and 100, as kube-scheduler's min-max normalisation does
    const light = frozen(
      scenario({
        pools: [pool({ count: 2 })],
        namespaces: [ns('shop', 'none')],
        services: services.map((x) =>
          x.name === 'web'
            ? {
                ...x,
                scheduling: {
                  preferredAntiAffinity: [{ weight: 1, topologyKey: 'kubernetes.io/hostname' as const }],
                },
              }
            : x,
        ),
        mesh: noIstiod(),
      }),
    );
    expect(place(light, 'none').pods.map((x) => x.node)).toEqual([0, 1, 0]);
  });

  it('a pod is spread by its ScheduleAnyway constraints, by none when it has only DoNotSchedule ones', () => {
    // filler (1.2 cores) on node 0; web's three 100m pods. The default spread (hostname maxSkew 3 and
    // zone maxSkew 5): the second pod joins the first on node 1, whose resources score 27 more against
    // the 26 points its spread loses; the third goes to node 0 (spread 100 against 72, 56 points, more
    // than the 24 its resources lose). With only a DoNotSchedule constraint (maxSkew 3, not binding
    // here) nothing scores the spread and all three go to node 1. With ScheduleAnyway maxSkew 1 on the
    // hostname alone the second pod's node scores 0 against 100 and the pods alternate.
    const run = (scheduling?: Scheduling) =>
      place(
        frozen(
          scenario({
            pools: [pool({ count: 2 })],
            namespaces: [ns('shop', 'none')],
            services: [
              service('shop/filler', { resources: { requests: { cpu: 1.2, memory: 1 * Gi } } }),
              service('shop/web', {
                replicas: 3,
                resources: { requests: { cpu: 0.1, memory: 0.5 * Gi } },
                ...(scheduling ? { scheduling } : {}),
              }),
            ],
            mesh: noIstiod(),
          }),
        ),
        'none',
      ).pods.map((x) => x.node);
    expect(run()).toEqual([0, 1, 1, 0]);
    expect(
      run({ topologyRules: [{ kind: 'spread', topologyKey: 'kubernetes.io/hostname', maxSkew: 3 }] }),
    ).toEqual([0, 1, 1, 1]);
    expect(run({ softSpread: [{ topologyKey: 'kubernetes.io/hostname', maxSkew: 1 }] })).toEqual([
      0, 1, 0, 1,
    ]);
  });
});
