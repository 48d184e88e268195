// An error the called application answers (one of its own calls failed: a 500) is retried by the
// caller's Envoy only where retryOn has `5xx` (mesh/retry-policy.ts Status500): api calls a service with
// no pod in a share q of its requests, so each attempt fails with q independently; with 2 retries a call
// fails with q^3 after q + q^2 retries, and api serves 1 + q + q^2 times the calls it would.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';

const text = (retry: string, protocol = 'http1') => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: app-errors }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces:
  - name: default
    labels: { istio-injection: enabled }
services:
  - name: web
    replicas: 1
    serviceTime: 1ms
    calls: [{ to: api, protocol: ${protocol}${retry} }]
  - name: api
    replicas: 2
    serviceTime: 2ms
    calls: [{ to: gone, probability: 0.25 }]
  - { name: gone, replicas: 0 }
traffic: [{ name: load, to: web, rate: 200/s, arrival: poisson }]
compare: [sidecar]
simulation: { duration: 41s, warmup: 1s, replications: 1 }
`;

function run(retry: string, protocol?: string) {
  const s = parseScenario(text(retry, protocol), 'a.yaml');
  const e = new Replication(buildWorld(s, place(s, 'sidecar')), 'app-errors');
  e.run();
  const edge = e.w.edges.findIndex((x) => x.name === 'default/web -> default/api');
  const r = e.recorder;
  return { calls: r.edgeCalls[edge]!, failed: r.edgeFailed[edge]!, retries: r.edgeRetries[edge]! };
}

describe("an application's own error (a 500)", () => {
  const q = 0.25;

  it("is not retried under Istio's default conditions: the call fails with q", () => {
    const r = run('');
    expect(r.retries).toBe(0);
    expect(r.failed / r.calls).toBeGreaterThan(q - 0.02);
    expect(r.failed / r.calls).toBeLessThan(q + 0.02);
  });

  it('is retried with retryOn 5xx: q + q^2 retries per call, q^3 of the calls fail', () => {
    const r = run(', retries: 2, retryOn: [5xx]');
    expect(r.retries / r.calls).toBeGreaterThan(q + q * q - 0.02);
    expect(r.retries / r.calls).toBeLessThan(q + q * q + 0.02);
    expect(r.failed / r.calls).toBeGreaterThan(q ** 3 - 0.006);
    expect(r.failed / r.calls).toBeLessThan(q ** 3 + 0.006);
  });

  it('is not a gateway error, and a gRPC call answers it as INTERNAL, which nothing here retries', () => {
    expect(run(', retries: 2, retryOn: [gateway-error, retriable-status-codes]').retries).toBe(0);
    expect(run(', retries: 2, retryOn: [5xx]', 'grpc').retries).toBe(0);
  });
});
