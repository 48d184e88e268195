import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';

const BASE = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools:
    - { name: a, instanceType: m5.large, count: 2 }
    - { name: b, instanceType: custom, vcpu: 8, memory: 32Gi, count: 3 }
namespaces:
  - { name: shop, labels: { istio-injection: enabled } }
waypoints: [{ name: wp, namespace: shop }]
services:
  - { name: web, namespace: shop, replicas: 2 }
traffic: [{ name: in, to: web, rate: 5/s }]
simulation: { duration: 120s }
`;

describe('events', () => {
  it('are typed, defaulted, resolved and sorted by time (stable)', () => {
    const s = parseScenario(
      `${BASE}events:
  - { at: 90s, fault: node, selector: b-1 }
  - { at: 60s, upgrade: dataplane, maxSurge: 1 }
  - { at: 30s, fault: sidecar, selector: web, recovery: 10s }
  - { at: 60s, upgrade: waypoint, waypoint: wp }
  - { at: 60s, upgrade: control-plane }
  - { at: 70s, migrate: [shop] }
  - { at: 80s, scale: web.shop, replicas: 5 }
  - { at: 85s, scale: wp, replicas: 2 }
  - { at: 95s, fault: ztunnel, selector: 4 }
`,
      'e.yaml',
    );
    const rollout = {
      maxSurge: { value: 25, percent: true },
      maxUnavailable: { value: 25, percent: true },
      // kubectl rollout restart restarts every Deployment of a namespace at once.
      parallelDeployments: 'all',
    };
    const node = { recovery: 30, notReadyAfter: 50, evictAfter: 300 };
    expect(s.events).toEqual([
      { kind: 'fault', at: 30, target: 'sidecar', selector: 'shop/web', ...node, recovery: 10 },
      {
        kind: 'upgrade',
        at: 60,
        target: 'dataplane',
        strategy: 'rolling',
        rollout: { ...rollout, maxSurge: { value: 1, percent: false } },
        daemonSet: { maxSurge: { value: 1, percent: false }, maxUnavailable: { value: 0, percent: false } },
      },
      { kind: 'upgrade', at: 60, target: 'waypoint', waypoint: 'wp', rollout },
      // Default target: the minor after mesh.version (1.28).
      { kind: 'upgrade', at: 60, target: 'control-plane', to: '1.29', rollout },
      { kind: 'migrate', at: 70, namespaces: ['shop'], sequential: true, rollout },
      { kind: 'scale', at: 80, target: 'shop/web', replicas: 5 },
      { kind: 'scale', at: 85, target: 'wp', replicas: 2 },
      { kind: 'fault', at: 90, target: 'node', selector: '3', ...node },
      { kind: 'fault', at: 95, target: 'ztunnel', selector: '4', ...node },
    ]);
  });

  it('custom node pools price from OpenCost rates and discounts apply to every pool', () => {
    const s = parseScenario(`${BASE}cost: { discount: 0.5 }\n`, 'e.yaml');
    const [a, b] = s.cluster.nodePools;
    expect(a?.pricePerHour).toBeCloseTo(0.096 / 2, 12);
    expect(b?.pricePerHour).toBeCloseTo((8 * 0.031611 + (32 * 2 ** 30 * 0.004237) / 1e9) / 2, 12);
    expect(b).toMatchObject({ maxPods: 110, zones: ['zone-a'] });
  });
});

describe('version-dependent event fields', () => {
  it('rollout parallelism is explicit: all (kubectl) or a number; control-plane targets must be newer', () => {
    const s = parseScenario(
      `${BASE}mesh: { version: "1.26" }
events:
  - { at: 10s, upgrade: dataplane, parallelDeployments: 2 }
  - { at: 20s, upgrade: control-plane }
`,
      'e.yaml',
    );
    expect(s.events[0]).toMatchObject({ rollout: { parallelDeployments: 2 } });
    expect(s.events[1]).toMatchObject({ to: '1.27' });
    expect(() =>
      parseScenario(
        `${BASE}mesh: { version: "1.26" }\nevents: [{ at: 10s, upgrade: control-plane, to: "1.26" }]\n`,
        'e.yaml',
      ),
    ).toThrow(/events\[0\]\.to: .*a version newer than mesh.version \(1.26\)/);
    expect(() =>
      parseScenario(
        `${BASE}events: [{ at: 10s, upgrade: dataplane, parallelDeployments: some }]\n`,
        'e.yaml',
      ),
    ).toThrow(/parallelDeployments: found "some", expected an integer from 1 to 10000 or all/);
  });
});

describe('traffic and wire defaults', () => {
  it('a ramp sets the starting rate; 0s timeout means none; JSON input works', () => {
    const json = JSON.stringify({
      apiVersion: 'meshsim/v1alpha1',
      kind: 'Scenario',
      metadata: { name: 'j', description: '' },
      cluster: {
        nodePools: [{ name: 'p', instanceType: 'm5.large', count: 1, systemReserved: { cpu: '100m' } }],
      },
      services: [
        { name: 'web', calls: [{ to: 'db', timeout: '0s', connection: 'per-request' }] },
        { name: 'db' },
      ],
      traffic: [{ name: 'in', to: 'web', arrival: { ramp: { from: '100/s', to: '500/s' } }, timeout: '3s' }],
    });
    const s = parseScenario(json, 'j.json');
    expect(s.traffic[0]).toMatchObject({
      rate: 100,
      arrival: { kind: 'ramp', from: 100, to: 500 },
      timeout: 3,
    });
    expect(s.services[0]?.calls[0]).toMatchObject({
      to: 'default/db',
      timeout: Number.POSITIVE_INFINITY,
      connection: { type: 'per-request', poolSize: 0 },
    });
    expect(s.cluster.nodePools[0]?.systemReserved.cpu).toBe(0.1);
    expect(s.cluster.nodePools[0]?.systemReserved.memory).toBe((255 + 11 * 29 + 100) * 2 ** 20);
    expect(s.metadata.description).toBe('');
  });
});
