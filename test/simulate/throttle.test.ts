// CPU limits: a container's CFS quota caps its threads on the node's processor, so a sidecar whose CPU
// limit is below one core runs each request's CPU at the limit's speed; its worker count follows it.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';
import { NO_IDLE_CPU, runEngine } from '../helpers/scenario-text.ts';

const scenario = (limit: string, workers = '\n    workers: 2') =>
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
  sidecar:${workers}
    resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: ${limit}, memory: 1Gi } }
    cost:
      cpuPerRequest: 200us
      cpuPerKiB: 0s
      cpuOnPath: 1
      criticalPath: { constant: 100us }
      criticalPathPerKiB: 0s
${NO_IDLE_CPU}
compare: [sidecar]
simulation: { duration: 20s, warmup: 2s, replications: 1 }
`,
    'throttle.yaml',
  );

describe('CFS quota on proxies', () => {
  it('at 500m one request at a time runs at half a core: its 200 us of on-path CPU take 400 us', () => {
    const free = simulateArchitecture(scenario('2'), 'sidecar');
    const throttled = simulateArchitecture(scenario('500m'), 'sidecar');
    // Two sidecar hops per request, each 100 us (non-CPU, never stretched) + 200 us of CPU unthrottled,
    // 400 us throttled; nothing queues at 2/s and the node is otherwise idle.
    const extra = throttled.entryPoints[0]!.latency.mean.mean - free.entryPoints[0]!.latency.mean.mean;
    expect(extra).toBeCloseTo(2 * (400e-6 - 200e-6), 9);
    // The same CPU is used either way; utilisation is measured against min(workers, quota).
    const [a, b] = [free, throttled].map((r) => r.busiestProxies.find((p) => p.component === 'sidecar')!);
    expect(b!.cpu).toBeCloseTo(a!.cpu, 12);
    expect(b!.utilisation).toBeCloseTo(a!.utilisation * 4, 9);
  });

  it('Istio defaults (2 CPU limit, 2 workers) are not throttled', () => {
    const r = simulateArchitecture(scenario('2'), 'sidecar');
    const p = r.busiestProxies.find((x) => x.component === 'sidecar')!;
    expect(p.utilisation).toBeCloseTo(p.cpu / 2, 12);
  });

  it('with no workers set, Envoy workers are the CPU limit rounded up (pilot-agent); set, they are as set', () => {
    expect(Array.from(runEngine(scenario('500m', ''), 'sidecar').world.proxyWorkers)).toEqual([1, 1]);
    expect(Array.from(runEngine(scenario('2500m', ''), 'sidecar').world.proxyWorkers)).toEqual([3, 3]);
    expect(Array.from(runEngine(scenario('500m'), 'sidecar').world.proxyWorkers)).toEqual([2, 2]);
  });
});
