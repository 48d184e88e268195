// nodeSelector, taints and tolerations (node-selection.ts) as kube-scheduler filters and scores them.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { tolerates } from '../../src/cluster/node-selection.ts';
import type { Taint } from '../../src/scenario/types.ts';
import { entry, frozen, noIstiod, ns, pool, scenario, service } from './fixtures.ts';

const LOADGEN: Taint = { key: 'dedicated', value: 'loadgen', effect: 'NoSchedule' };

/** Pool `app` (2 nodes) and a tainted, labelled pool `gen` (1 node). */
function cluster(over: { tolerate?: boolean; select?: boolean; preferOnly?: boolean } = {}) {
  const taint: Taint = over.preferOnly ? { ...LOADGEN, effect: 'PreferNoSchedule' } : LOADGEN;
  return frozen(
    scenario({
      pools: [
        pool({ name: 'app', count: 2 }),
        pool({ name: 'gen', count: 1, labels: { role: 'loadgen' }, taints: [taint] }),
      ],
      namespaces: [ns('shop', 'none')],
      services: [service('shop/web', { replicas: 4 })],
      traffic: [
        entry('load', 'shop/web', {
          clients: 2,
          clientPod: {
            resources: { requests: { cpu: 0.5, memory: 256 * 1024 * 1024 } },
            ...(over.select ? { nodeSelector: { role: 'loadgen' } } : {}),
            ...(over.tolerate
              ? { tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'loadgen' }] }
              : {}),
          },
        }),
      ],
      mesh: noIstiod(),
    }),
  );
}

const poolOf = (p: ReturnType<typeof place>, kind: string) =>
  p.pods.filter((x) => x.kind === kind).map((x) => (x.node >= 0 ? p.nodes[x.node]!.pool : null));

describe('node selection', () => {
  it('a NoSchedule pool takes only pods that tolerate it; the selector pins the generators there', () => {
    const p = place(cluster({ tolerate: true, select: true }), 'none');
    expect(poolOf(p, 'app')).toEqual(['app', 'app', 'app', 'app']);
    expect(poolOf(p, 'client')).toEqual(['gen', 'gen']);
    // The generators' requests are counted on their node.
    expect(p.requested[2]!.total.cpu).toBe(1);
  });

  it('a selector without the toleration leaves the generators unschedulable, with the reasons', () => {
    const p = place(cluster({ select: true }), 'none');
    expect(poolOf(p, 'client')).toEqual([null, null]);
    expect(p.unschedulable[0]!.reason).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: loadgen}, 2 node(s) didn't match Pod's node affinity/selector.",
    );
  });

  it('a PreferNoSchedule taint is avoided while untainted nodes have room', () => {
    const p = place(cluster({ preferOnly: true }), 'none');
    expect(poolOf(p, 'app')).toEqual(['app', 'app', 'app', 'app']);
    expect(poolOf(p, 'client')).toEqual(['app', 'app']);
  });

  it("tolerations match as core/v1's ToleratesTaint", () => {
    expect(tolerates({ operator: 'Exists' }, LOADGEN)).toBe(true);
    expect(tolerates({ key: 'dedicated', operator: 'Exists' }, LOADGEN)).toBe(true);
    expect(tolerates({ key: 'dedicated', operator: 'Equal', value: 'other' }, LOADGEN)).toBe(false);
    expect(
      tolerates({ key: 'dedicated', operator: 'Equal', value: 'loadgen', effect: 'NoExecute' }, LOADGEN),
    ).toBe(false);
    expect(tolerates({ operator: 'Equal' }, LOADGEN)).toBe(false);
  });
});
