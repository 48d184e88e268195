import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenario, systemReserved } from '../../src/scenario/index.ts';

const path = (name: string) => fileURLToPath(new URL(`../../scenarios/${name}`, import.meta.url));
const Gi = 2 ** 30;

describe('bundled scenarios', () => {
  it.each(['quickstart.yaml', 'billing.yaml', 'three-tier.yaml'])('%s loads', (name) => {
    const s = loadScenario(path(name));
    expect(s.services.length).toBeGreaterThan(0);
    expect(s.traffic.length).toBeGreaterThan(0);
  });

  it('quickstart: node pool resolved from the catalogue, ready for allocatable', () => {
    const [pool] = loadScenario(path('quickstart.yaml')).cluster.nodePools;
    expect(pool).toEqual({
      name: 'default',
      instanceType: 'm5.xlarge',
      vcpu: 4,
      memory: 16 * Gi,
      pricePerHour: 0.192,
      count: 3,
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      maxPods: 58,
      systemReserved: systemReserved('aws', 4, 16 * Gi, 58),
      spot: false,
    });
    // EKS: 6 % + 1 % + 0.5 % + 0.5 % of the four cores; 255 MiB + 11 MiB x 58 pods + 100 MiB eviction.
    expect(pool?.systemReserved.cpu).toBeCloseTo(0.08, 12);
    expect(pool?.systemReserved.memory).toBe((255 + 11 * 58 + 100) * 2 ** 20);
  });

  it('quickstart: calls resolved to keys with defaults filled', () => {
    const s = loadScenario(path('quickstart.yaml'));
    expect(s.namespaces).toEqual([
      { name: 'shop', labels: { 'istio.io/dataplane-mode': 'ambient' }, mode: 'ambient' },
    ]);
    const frontend = s.services.find((x) => x.key === 'shop/frontend');
    expect(frontend?.calls.map((c) => [c.to, c.count])).toEqual([
      ['shop/catalog', 1],
      ['shop/cart', 0.3],
    ]);
    expect(frontend?.calls[0]).toMatchObject({
      protocol: 'http1',
      requestSize: 1024,
      responseSize: 4096,
      l7: false,
      connection: { type: 'keepalive', poolSize: 8 },
      timeout: Number.POSITIVE_INFINITY,
      retries: 2,
    });
    const cart = s.services.find((x) => x.key === 'shop/cart');
    expect(cart?.calls[0]?.connection).toEqual({
      type: 'long-lived',
      poolSize: 4,
      lifetime: { kind: 'exponential', mean: 300 },
    });
    expect(s.traffic[0]).toMatchObject({
      name: 'web',
      to: 'shop/frontend',
      rate: 200,
      arrival: { kind: 'poisson' },
    });
    expect(s.traffic[0]?.slo).toEqual({ p99: 0.05 });
    expect(s.simulation).toEqual({ duration: 20, warmup: 2, seed: 1, replications: 100, timeStep: 1 });
  });

  it('billing: payments bound to its waypoint, only its calls need L7', () => {
    const s = loadScenario(path('billing.yaml'));
    expect(s.waypoints).toMatchObject([
      { name: 'payments-waypoint', namespace: 'billing', for: 'service', replicas: 2 },
    ]);
    expect(s.services.find((x) => x.key === 'billing/payments')?.useWaypoint).toBe('payments-waypoint');
    const l7 = s.services.flatMap((x) => x.calls.filter((c) => c.l7).map((c) => c.to));
    expect(new Set(l7)).toEqual(new Set(['billing/payments']));
  });

  it('three-tier: six parallel fan-outs over eight nodes in three zones', () => {
    const s = loadScenario(path('three-tier.yaml'));
    expect(s.namespaces).toHaveLength(6);
    expect(s.services).toHaveLength(24);
    expect(s.cluster.nodePools[0]).toMatchObject({
      count: 8,
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
    });
    for (const a of s.services.filter((x) => x.name === 'a')) {
      expect(a.calls.map((c) => [c.to, c.mode])).toEqual([
        [`${a.namespace}/b1`, 'parallel'],
        [`${a.namespace}/b2`, 'parallel'],
      ]);
    }
  });
});
