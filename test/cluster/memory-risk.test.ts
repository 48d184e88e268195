import { describe, expect, it } from 'vitest';
import { describeMemoryRisk, memoryRisks, place } from '../../src/cluster/index.ts';
import { Gi, Mi, noIstiod, ns, pool, scenario, service } from './fixtures.ts';

// One 16Gi node, two sidecar pods: 1Gi application request, plus the sidecar (DEFAULT_MESH: 1Gi limit).
const s = scenario({
  pools: [pool({ count: 1 })],
  namespaces: [ns('app', 'sidecar')],
  services: [service('app/api', { replicas: 2 })],
  mesh: noIstiod(),
});

describe('memory beyond requests', () => {
  it('nothing to report when every container uses at most its request', () => {
    const p = place(s, 'sidecar');
    expect(memoryRisks(p, () => ({}))).toEqual([]);
  });

  it('a node whose pods need more than its allocatable memory, by max(request, use)', () => {
    const p = place(s, 'sidecar');
    const node = p.nodes[0]!;
    // Each sidecar uses half the node: with the applications' 1Gi requests the node is short.
    const risks = memoryRisks(p, (pod) => (pod.hasSidecar ? { sidecar: node.allocatable.memory / 2 } : {}));
    const nodeRisk = risks.find((r) => r.kind === 'node')!;
    const apps = p.pods.filter((x) => x.kind === 'app').length;
    expect(nodeRisk).toMatchObject({ node: node.name, capacity: node.allocatable.memory });
    expect(nodeRisk.needed).toBeCloseTo(node.allocatable.memory + apps * 1 * Gi, 0);
    expect(describeMemoryRisk(nodeRisk)).toMatch(/memory at risk on .*: eviction under memory pressure/);
  });

  it('a container above its memory limit is at risk of an OOM kill', () => {
    const p = place(s, 'sidecar');
    const limit = p.pods.find((x) => x.hasSidecar)!.limits!.sidecar!.memory!;
    const risks = memoryRisks(p, (pod) => (pod.hasSidecar ? { sidecar: limit + 1 * Mi } : {}));
    expect(risks.filter((r) => r.kind === 'limit')).toHaveLength(2);
    expect(describeMemoryRisk(risks[0]!)).toMatch(/above its 1024Mi limit: OOM kill/);
  });
});
