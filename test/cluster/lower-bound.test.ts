import { describe, expect, it } from 'vitest';
import { minNodesLowerBound, place } from '../../src/cluster/index.ts';
import { frozen, Gi, noIstiod, ns, pool, scenario, service } from './fixtures.ts';

const s = frozen(
  scenario({
    pools: [pool({ name: 'p' }), pool({ name: 'tiny', vcpu: 0.25, maxPods: 4 })],
    namespaces: [ns('shop', 'sidecar')],
    services: [service('shop/web', { replicas: 7 })],
    mesh: noIstiod(),
  }),
);

describe('minNodesLowerBound', () => {
  it('none: 7 CPU over 4 CPU per node -> 2', () => {
    expect(minNodesLowerBound(s, 'none', 'p')).toBe(2);
    expect(place(s, 'none', { pools: { p: 2, tiny: 0 } }).unschedulable).toEqual([]);
  });

  it('sidecar: 7.7 CPU over 4 -> 2, a bound only: packing 3 x 1.1 per node needs 3', () => {
    expect(minNodesLowerBound(s, 'sidecar', 'p')).toBe(2);
    expect(place(s, 'sidecar', { pools: { p: 2, tiny: 0 } }).unschedulable).toHaveLength(1);
    expect(place(s, 'sidecar', { pools: { p: 3, tiny: 0 } }).unschedulable).toEqual([]);
  });

  it('ambient: DaemonSets come off every node: 7 CPU over 3.7 -> 2; memory and pods can bind', () => {
    expect(minNodesLowerBound(s, 'ambient', 'p')).toBe(2);
    const big = frozen({
      ...s,
      services: [
        service('shop/web', { replicas: 38, resources: { requests: { cpu: 0.1, memory: 0.4 * Gi } } }),
      ],
    });
    // memory: 38 x 0.4 GiB = 15.2 GiB over 16 GiB - 612 MiB = 15.40 GiB -> 1; cpu 3.8 over 3.7 -> 2
    expect(minNodesLowerBound(big, 'ambient', 'p')).toBe(2);
    // tiny: cpu 3.8 over 0.25 -> 16 beats pods 38 over 4 -> 10; with ambient its cpu cannot hold the DaemonSets
    expect(minNodesLowerBound(big, 'none', 'tiny')).toBe(16);
    expect(minNodesLowerBound(big, 'ambient', 'tiny')).toBe(Number.POSITIVE_INFINITY);
  });

  it('no workload: 0, but ambient still installs istiod; unknown pool: an error', () => {
    expect(minNodesLowerBound(frozen(scenario()), 'none', 'pool')).toBe(0);
    expect(minNodesLowerBound(frozen(scenario()), 'ambient', 'pool')).toBe(1);
    expect(() => minNodesLowerBound(s, 'none', 'nope')).toThrow(/unknown node pool 'nope'/);
  });
});
