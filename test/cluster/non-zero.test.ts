// kube-scheduler scores request-less containers at 100m CPU / 200 MiB (non-zero.ts), so pods without
// requests spread over empty nodes instead of piling onto the first one; filtering is unchanged.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { DEFAULT_SCORE_CPU, DEFAULT_SCORE_MEMORY, nonZeroRequests } from '../../src/cluster/non-zero.ts';
import { frozen, Gi, noIstiod, ns, pool, scenario, service } from './fixtures.ts';

const NONE = { requests: { cpu: 0, memory: 0 } };

describe('request-less pods are scored with the non-zero defaults', () => {
  it('50 request-less pods of 50 Deployments over 5 empty nodes: 10 each', () => {
    const services = Array.from({ length: 50 }, (_, i) => service(`shop/s${i}`, { resources: NONE }));
    const s = frozen(
      scenario({ pools: [pool({ count: 5 })], namespaces: [ns('shop', 'none')], services, mesh: noIstiod() }),
    );
    const p = place(s, 'none');
    const perNode = [0, 0, 0, 0, 0];
    for (const pod of p.pods) if (pod.kind === 'app') perNode[pod.node]!++;
    expect(perNode).toEqual([10, 10, 10, 10, 10]);
    // They still request nothing: the defaults are for scoring only.
    expect(p.requested.map((r) => r.total.cpu)).toEqual([0, 0, 0, 0, 0]);
  });

  it('a pod with requests avoids the node the request-less pods were scored onto', () => {
    const services = [
      ...Array.from({ length: 3 }, (_, i) => service(`shop/idle${i}`, { resources: NONE })),
      service('shop/api', { resources: { requests: { cpu: 1, memory: 1 * Gi } } }),
    ];
    const s = frozen(
      scenario({ pools: [pool({ count: 2 })], namespaces: [ns('shop', 'none')], services, mesh: noIstiod() }),
    );
    const nodes = place(s, 'none').pods.map((x) => x.node);
    // 0, 1, 0 for the three request-less pods: node 0 scores 200m and node 1 100m, so api goes to 1.
    expect(nodes).toEqual([0, 1, 0, 1]);
  });

  it('per container: only the zero request takes its default', () => {
    const r = nonZeroRequests({
      requests: { application: { cpu: 0, memory: 64 * 1024 * 1024 }, sidecar: { cpu: 0.05, memory: 0 } },
    });
    expect(r.cpu).toBeCloseTo(DEFAULT_SCORE_CPU + 0.05, 12);
    expect(r.memory).toBe(64 * 1024 * 1024 + DEFAULT_SCORE_MEMORY);
  });
});
