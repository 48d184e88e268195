// CPU limits: a sidecar whose CPU limit is below its worker count is throttled by the CFS quota.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';

const scenario = (limit: string) =>
  parseScenario(
    `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: throttle }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 1 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
services:
  - { name: api, namespace: app, replicas: 1, serviceTime: 1ms }
traffic:
  - { name: web, to: api.app, rate: 2/s, arrival: constant, clientMode: sidecar, connection: { type: keepalive, poolSize: 1 } }
mesh:
  sidecar:
    workers: 2
    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: ${limit}, memory: 1Gi } }
    cost:
      cpuPerRequest: 200us
      cpuPerKiB: 0s
      criticalPath: { constant: 100us }
      criticalPathPerKiB: 0s
compare: [sidecar]
simulation: { duration: 20s, warmup: 2s, replications: 1 }
`,
    'throttle.yaml',
  );

describe('CFS quota on proxies', () => {
  it('at 500m for 2 workers each worker runs at a quarter speed: every hop takes 4x its critical path', () => {
    const free = simulateArchitecture(scenario('2'), 'sidecar');
    const throttled = simulateArchitecture(scenario('500m'), 'sidecar');
    // Two sidecar hops per request, each 100 us unthrottled and 400 us throttled; nothing queues at 2/s.
    const extra = throttled.entryPoints[0]!.latency.mean.mean - free.entryPoints[0]!.latency.mean.mean;
    expect(extra).toBeCloseTo(2 * (400e-6 - 100e-6), 9);
    // The same CPU is used either way; utilisation is measured against the 0.5-core quota.
    const [a, b] = [free, throttled].map((r) => r.busiestProxies.find((p) => p.component === 'sidecar')!);
    expect(b!.cpu).toBeCloseTo(a!.cpu, 12);
    expect(b!.utilisation).toBeCloseTo(a!.utilisation * 4, 9);
  });

  it('Istio defaults (2 CPU limit, 2 workers) are not throttled', () => {
    const r = simulateArchitecture(scenario('2'), 'sidecar');
    const p = r.busiestProxies.find((x) => x.component === 'sidecar')!;
    expect(p.utilisation).toBeCloseTo(p.cpu / 2, 12);
  });
});
