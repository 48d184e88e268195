// connectionPool.http.http2MaxRequests (replication/segments.ts): the Envoy that balances a call's
// requests refuses one with a 503 of its own, never retried, while it has that many outstanding to the
// service. With Poisson arrivals and no other limit that is Erlang's loss system M/G/N/N: the share
// refused is Erlang B(N, a), a = arrival rate x the time a request is outstanding, whatever its
// distribution. A sidecar counts its own pod's requests, a waypoint those of every caller behind it.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { type Architecture, parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';

/** Erlang B: the share of arrivals a loss system of `n` servers refuses under `a` erlangs. */
function erlangB(n: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  return b;
}

const text = (webReplicas: number, limit: number | null, waypoint: boolean) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: breaker }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
namespaces:
  - name: default
    labels: { ${waypoint ? 'istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp' : 'istio-injection: enabled'} }
${waypoint ? 'waypoints: [{ name: wp, namespace: default, replicas: 1 }]\n' : ''}services:
  - name: web
    replicas: ${webReplicas}
    serviceTime: 1ms
    calls: [{ to: api }]
  - name: api
    replicas: 4
    serviceTime: 100ms
    cpuFraction: 0.01
${limit === null ? '' : `    trafficPolicy: { connectionPool: { http: { http2MaxRequests: ${limit} } } }\n`}traffic: [{ name: load, to: web, rate: 200/s, arrival: poisson }]
compare: [${waypoint ? 'ambient' : 'sidecar'}]
simulation: { duration: 31s, warmup: 1s, replications: 1 }
`;

function run(webReplicas: number, limit: number | null, waypoint = false) {
  const arch: Architecture = waypoint ? 'ambient' : 'sidecar';
  const s = parseScenario(text(webReplicas, limit, waypoint), 'breaker.yaml');
  const e = new Replication(buildWorld(s, place(s, arch)), 'breaker');
  e.run();
  const edge = e.w.edges.findIndex((x) => x.from >= 0);
  const r = e.recorder;
  return {
    calls: r.edgeCalls[edge]!,
    failed: r.edgeFailed[edge]!,
    retries: r.edgeRetries[edge]!,
    overflows: r.edgeOverflows[edge]!,
  };
}

describe('connectionPool.http.http2MaxRequests (max_requests circuit breaker)', () => {
  it('one caller sidecar at 20 erlangs with 20 allowed refuses Erlang B(20, 20) = 15.9 % of its calls', () => {
    const r = run(1, 20);
    expect(r.calls).toBeGreaterThan(5500);
    // 200 calls/s, each outstanding about 100 ms (its service time; the hops add well under 1 ms).
    const b = erlangB(20, 20);
    expect(b).toBeCloseTo(0.159, 3);
    expect(r.overflows / r.calls).toBeGreaterThan(b - 0.03);
    expect(r.overflows / r.calls).toBeLessThan(b + 0.03);
    // Each is a failed call, and none is retried.
    expect(r.failed).toBe(r.overflows);
    expect(r.retries).toBe(0);
  });

  it('with 10 allowed at the same load it refuses Erlang B(10, 20) = 53.8 %', () => {
    const r = run(1, 10);
    const b = erlangB(10, 20);
    expect(r.overflows / r.calls).toBeGreaterThan(b - 0.03);
    expect(r.overflows / r.calls).toBeLessThan(b + 0.03);
  });

  it('without it nothing is refused', () => {
    const r = run(1, null);
    expect(r.overflows).toBe(0);
    expect(r.failed).toBe(0);
  });

  it('spread over 4 caller sidecars (5 erlangs each) almost nothing is; behind one waypoint all 20 meet again', () => {
    const sidecars = run(4, 20);
    expect(sidecars.overflows / sidecars.calls).toBeLessThan(erlangB(20, 5) + 0.002);
    const waypoint = run(4, 20, true);
    const b = erlangB(20, 20);
    expect(waypoint.overflows / waypoint.calls).toBeGreaterThan(b - 0.03);
    expect(waypoint.overflows / waypoint.calls).toBeLessThan(b + 0.03);
    expect(waypoint.failed).toBe(waypoint.overflows);
    expect(waypoint.retries).toBe(0);
  });
});
