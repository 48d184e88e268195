// h2UpgradePolicy (world/edges.ts poolProtocol): an HTTP/1.1 call that Envoy sends upstream as HTTP/2
// needs one pooled connection per endpoint instead of one per request in flight, and the connection
// circuit breakers (HTTP/1.1 only) no longer bind it.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';

/** web (1 pod) calls api (4 pods, 50 ms) over HTTP/1.1 between sidecars, 400 calls/s: 20 in flight. */
const text = (policy: string, mesh = '') => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: h2 }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
namespaces:
  - name: default
    labels: { istio-injection: enabled }
${mesh ? `mesh: ${mesh}\n` : ''}services:
  - name: web
    replicas: 1
    serviceTime: 1ms
    calls: [{ to: api }]
  - name: api
    replicas: 4
    concurrency: 1000
    serviceTime: { exponential: { mean: 50ms } }
    cpuFraction: 0.01
${policy ? `    trafficPolicy: ${policy}\n` : ''}traffic: [{ name: load, to: web, rate: 400/s, arrival: poisson }]
compare: [sidecar]
simulation: { duration: 11s, warmup: 1s, replications: 1 }
`;

function run(policy: string, mesh = '') {
  const a = simulateArchitecture(parseScenario(text(policy, mesh), 'h2.yaml'), 'sidecar');
  const edge = a.edges.find((e) => e.name.includes('-> default/api'))!;
  return {
    open: a.connections.sidecar!.open,
    handshakes: a.connections.sidecar!.handshakesPerSecond,
    refused: edge.circuitBreakerOverflows?.mean ?? 0,
    failed: edge.failed.mean,
  };
}

const UPGRADE = '{ connectionPool: { http: { h2UpgradePolicy: UPGRADE } } }';

describe('h2UpgradePolicy', () => {
  const plain = run('');
  const upgraded = run(UPGRADE);

  it('HTTP/1.1 upstream: a connection per request in flight; upgraded: one per endpoint', () => {
    // web's sidecar keeps about as many to api as its peak of requests in flight (tens); upgraded, 4.
    expect(plain.open - upgraded.open).toBeGreaterThan(15);
    expect(upgraded.handshakes).toBeLessThanOrEqual(plain.handshakes);
  });

  it("meshConfig's UPGRADE does the same; a DestinationRule's DO_NOT_UPGRADE or useClientProtocol keeps HTTP/1.1", () => {
    expect(run('', '{ h2UpgradePolicy: UPGRADE }')).toEqual(upgraded);
    expect(
      run(
        '{ connectionPool: { http: { h2UpgradePolicy: DO_NOT_UPGRADE } } }',
        '{ h2UpgradePolicy: UPGRADE }',
      ),
    ).toEqual(plain);
    expect(
      run('{ connectionPool: { http: { h2UpgradePolicy: UPGRADE, useClientProtocol: true } } }'),
    ).toEqual(plain);
  });

  it('maxConcurrentStreams opens another HTTP/2 connection per that many requests in flight', () => {
    const two = run('{ connectionPool: { http: { h2UpgradePolicy: UPGRADE, maxConcurrentStreams: 2 } } }');
    expect(two.open).toBeGreaterThan(upgraded.open + 4);
    expect(two.open).toBeLessThan(plain.open);
    // Without the upgrade it is no HTTP/2 cluster: istiod sets nothing.
    expect(run('{ connectionPool: { http: { maxConcurrentStreams: 2 } } }')).toEqual(plain);
  });

  it('the connection circuit breakers bind HTTP/1.1 only', () => {
    const pool = 'connectionPool: { tcp: { maxConnections: 4 }, http: { http1MaxPendingRequests: 1';
    const limited = run(`{ ${pool} } } }`);
    const both = run(`{ ${pool}, h2UpgradePolicy: UPGRADE } } }`);
    expect(limited.refused).toBeGreaterThan(100);
    expect(both.refused).toBe(0);
    expect(both.failed).toBe(0);
  });
});
