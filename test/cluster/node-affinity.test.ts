// Node affinity (node-selection.ts): required terms filter as kube-scheduler's NodeAffinity filter does
// (any term, every requirement of it), preferred terms score (the weights a node meets, 100 x score / the
// highest, weighted 2: node-score.ts).
import { describe, expect, it } from 'vitest';
import { place, preferredNodeWeight, selectionFailure } from '../../src/cluster/index.ts';
import type { ClusterNode } from '../../src/cluster/nodes.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import type { NodeAffinity, NodeSelectorRequirement } from '../../src/scenario/types.ts';
import { frozen, Gi, noIstiod, ns, pool, scenario, service } from './fixtures.ts';

const node = (labels: Record<string, string>) => ({ labels, taints: [] }) as unknown as ClusterNode;
const holds = (r: NodeSelectorRequirement, labels: Record<string, string>) =>
  selectionFailure(node(labels), { nodeAffinity: { required: [{ matchExpressions: [r] }] } }) === null;

describe('node selector requirements', () => {
  it('In, NotIn, Exists, DoesNotExist, Gt and Lt, an absent label included', () => {
    const labels = { zone: 'b', cores: '16' };
    expect(holds({ key: 'zone', operator: 'In', values: ['a', 'b'] }, labels)).toBe(true);
    expect(holds({ key: 'zone', operator: 'In', values: ['a'] }, labels)).toBe(false);
    expect(holds({ key: 'rack', operator: 'In', values: ['a'] }, labels)).toBe(false);
    expect(holds({ key: 'zone', operator: 'NotIn', values: ['b'] }, labels)).toBe(false);
    expect(holds({ key: 'rack', operator: 'NotIn', values: ['b'] }, labels)).toBe(true);
    expect(holds({ key: 'zone', operator: 'Exists' }, labels)).toBe(true);
    expect(holds({ key: 'rack', operator: 'DoesNotExist' }, labels)).toBe(true);
    expect(holds({ key: 'cores', operator: 'Gt', values: ['8'] }, labels)).toBe(true);
    expect(holds({ key: 'cores', operator: 'Lt', values: ['8'] }, labels)).toBe(false);
    expect(holds({ key: 'zone', operator: 'Gt', values: ['8'] }, labels)).toBe(false); // not an integer
    expect(holds({ key: 'rack', operator: 'Lt', values: ['8'] }, labels)).toBe(false);
  });

  it('required terms: any of them; preferred: the weights of the terms met', () => {
    const affinity: NodeAffinity = {
      required: [
        { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
        {
          matchExpressions: [
            { key: 'zone', operator: 'In', values: ['b'] },
            { key: 'spot', operator: 'DoesNotExist' },
          ],
        },
      ],
      preferred: [
        { weight: 30, matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
        { weight: 5, matchExpressions: [{ key: 'ssd', operator: 'Exists' }] },
      ],
    };
    const ok = (labels: Record<string, string>) => selectionFailure(node(labels), { nodeAffinity: affinity });
    expect(ok({ zone: 'a', spot: 'true' })).toBeNull();
    expect(ok({ zone: 'b' })).toBeNull();
    expect(ok({ zone: 'b', spot: 'true' })).toBe("node(s) didn't match Pod's node affinity/selector");
    expect(preferredNodeWeight(node({ zone: 'b', ssd: '' }), affinity)).toBe(35);
    expect(preferredNodeWeight(node({ zone: 'a' }), affinity)).toBe(0);
  });
});

describe('placement with node affinity', () => {
  const cluster = (affinity: NodeAffinity) =>
    frozen(
      scenario({
        pools: [pool({ name: 'a', count: 2, zones: ['za'] }), pool({ name: 'b', count: 1, zones: ['zb'] })],
        namespaces: [ns('shop', 'none')],
        services: [
          service('shop/filler', {
            resources: { requests: { cpu: 3, memory: 1 * Gi } },
            scheduling: { nodeSelector: { 'topology.kubernetes.io/zone': 'zb' } },
          }),
          service('shop/web', {
            replicas: 3,
            resources: { requests: { cpu: 0.25, memory: 0.25 * Gi } },
            scheduling: { nodeAffinity: affinity },
          }),
        ],
        mesh: noIstiod(),
      }),
    );
  const webPools = (affinity: NodeAffinity) => {
    const p = place(cluster(affinity), 'none');
    return p.byOwner
      .get('shop/web')!
      .map((i) => (p.pods[i]!.node >= 0 ? p.nodes[p.pods[i]!.node]!.pool : null));
  };

  it('required: only the nodes of the zones named', () => {
    const zoneIn = (zones: string[]): NodeAffinity => ({
      required: [
        { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: zones }] },
      ],
    });
    expect(webPools(zoneIn(['zb']))).toEqual(['b', 'b', 'b']);
    const p = place(cluster(zoneIn(['zc'])), 'none');
    expect(p.unschedulable.map((u) => u.reason)).toEqual([
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
    ]);
  });

  it('preferred: pool b, 75 % requested, wins every pod at weight 1 (200 points against the spread and resources)', () => {
    // Without a preference the zone spread sends the third pod to zone zb, beside the filler.
    expect(webPools({})).toEqual(['a', 'a', 'b']);
    const prefer = (weight: number): NodeAffinity => ({
      preferred: [
        {
          weight,
          matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zb'] }],
        },
      ],
    });
    // Normalised to the highest weight met, any weight is worth 100 x 2 against pool a's 0.
    expect(webPools(prefer(1))).toEqual(['b', 'b', 'b']);
    expect(webPools(prefer(100))).toEqual(['b', 'b', 'b']);
  });

  it('is parsed from the pod-spec field', () => {
    const s = parseScenario(
      `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: custom, vcpu: 4, memory: 16Gi, count: 2 }]
services:
  - name: web
    nodeAffinity:
      required: [{ matchExpressions: [{ key: kubernetes.io/arch, operator: In, values: [arm64] }] }]
      preferred: [{ weight: 20, matchExpressions: [{ key: disk, operator: Exists }] }]
traffic: [{ name: in, to: web, rate: 10/s }]
`,
      't.yaml',
    );
    expect(s.services[0]!.scheduling).toEqual({
      nodeAffinity: {
        required: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] }],
        preferred: [{ weight: 20, matchExpressions: [{ key: 'disk', operator: 'Exists' }] }],
      },
    });
  });
});
