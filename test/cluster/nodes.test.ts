import { describe, expect, it } from 'vitest';
import { buildNodes } from '../../src/cluster/index.ts';
import { frozen, Gi, pool, scenario } from './fixtures.ts';

const s = frozen(
  scenario({
    pools: [
      pool({ name: 'gen', count: 4, zones: ['a', 'b', 'c'], systemReserved: { cpu: 0.08, memory: 1 * Gi } }),
      pool({
        name: 'tiny',
        count: 1,
        vcpu: 0.5,
        memory: 1 * Gi,
        systemReserved: { cpu: 1, memory: 2 * Gi },
        spot: true,
      }),
    ],
  }),
);

describe('buildNodes', () => {
  it('names, zones round-robin, allocatable = capacity - reserved, never negative', () => {
    const nodes = buildNodes(s);
    expect(nodes.map((n) => [n.index, n.name, n.zone])).toEqual([
      [0, 'gen-0', 'a'],
      [1, 'gen-1', 'b'],
      [2, 'gen-2', 'c'],
      [3, 'gen-3', 'a'],
      [4, 'tiny-0', 'a'],
    ]);
    expect(nodes[0]).toEqual({
      index: 0,
      name: 'gen-0',
      pool: 'gen',
      zone: 'a',
      region: '',
      instanceType: 'custom',
      capacity: { cpu: 4, memory: 16 * Gi },
      allocatable: { cpu: 3.92, memory: 15 * Gi },
      maxPods: 110,
      pricePerHour: 0.192,
      spot: false,
      labels: {
        'kubernetes.io/hostname': 'gen-0',
        'topology.kubernetes.io/zone': 'a',
        'node.kubernetes.io/instance-type': 'custom',
        'kubernetes.io/os': 'linux',
      },
      taints: [],
    });
    expect(nodes[4]).toMatchObject({ allocatable: { cpu: 0, memory: 0 }, spot: true });
  });

  it('pool overrides resize pools and reject unknown pools and bad counts', () => {
    expect(buildNodes(s, { gen: 1, tiny: 0 }).map((n) => n.name)).toEqual(['gen-0']);
    expect(buildNodes(s, { tiny: 2 }).map((n) => n.name)).toEqual([
      'gen-0',
      'gen-1',
      'gen-2',
      'gen-3',
      'tiny-0',
      'tiny-1',
    ]);
    expect(() => buildNodes(s, { gne: 1 })).toThrow(/unknown node pool 'gne'/);
    expect(() => buildNodes(s, { gen: -1 })).toThrow(/non-negative integer/);
    expect(() => buildNodes(s, { gen: 1.5 })).toThrow(/non-negative integer/);
  });
});
