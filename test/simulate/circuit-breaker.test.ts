// connectionPool.http.http2MaxRequests (replication/segments.ts): the Envoy that balances a call's
// requests refuses one with a 503 of its own, never retried, while it has that many outstanding to the
// service. With Poisson arrivals and no other limit that is Erlang's loss system M/G/N/N: the share
// refused is Erlang B(N, a), a = arrival rate x the time a request is outstanding, whatever its
// distribution. A sidecar counts its own pod's requests, a waypoint those of every caller behind it.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { type Architecture, parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication, simulateArchitecture } from '../../src/simulate/index.ts';
import { erlangB, mmck } from '../helpers/queueing.ts';

const text = (
  webReplicas: number,
  limit: number | null,
  waypoint: boolean,
  pool = '',
  api = '100ms',
  rate = 200,
  duration = 31,
  apiReplicas = 4,
) => `
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
    replicas: ${apiReplicas}
    serviceTime: ${api}
    cpuFraction: 0.01
${limit === null ? '' : `    trafficPolicy: { connectionPool: { http: { http2MaxRequests: ${limit} } } }\n`}${pool === '' ? '' : `    trafficPolicy: { connectionPool: ${pool} }\n`}traffic: [{ name: load, to: web, rate: ${rate}/s, arrival: poisson }]
compare: [${waypoint ? 'ambient' : 'sidecar'}]
simulation: { duration: ${duration}s, warmup: 1s, replications: 1 }
`;

function run(
  webReplicas: number,
  limit: number | null,
  waypoint = false,
  pool = '',
  api = '100ms',
  rate = 200,
  duration = 31,
  apiReplicas = 4,
) {
  const arch: Architecture = waypoint ? 'ambient' : 'sidecar';
  const s = parseScenario(
    text(webReplicas, limit, waypoint, pool, api, rate, duration, apiReplicas),
    'breaker.yaml',
  );
  const e = new Replication(buildWorld(s, place(s, arch)), 'breaker');
  e.run();
  const edge = e.w.edges.findIndex((x) => x.from >= 0);
  const r = e.recorder;
  return {
    calls: r.edgeCalls[edge]!,
    failed: r.edgeFailed[edge]!,
    retries: r.edgeRetries[edge]!,
    overflows: r.edgeOverflows[edge]!,
    /** Mean latency of its calls, answered or refused. */
    mean: r.edgeHist[edge]!.mean,
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

describe('connectionPool.tcp.maxConnections and http.http1MaxPendingRequests (HTTP/1.1)', () => {
  const exp = '{ exponential: { mean: 100ms } }';
  const pool = '{ tcp: { maxConnections: 20 }, http: { http1MaxPendingRequests: 5 } }';

  it('20 connections and 5 pending at about 20 erlangs to one api pod: refused and waiting as M/M/20/25', () => {
    // One host: its pool is the cluster's, a line of 20 connections and 5 places. The time a request holds
    // its connection: its latency without the limit (100 ms and the hops).
    const free = run(1, null, false, '', exp, 200, 121, 1);
    expect(free.overflows).toBe(0);
    const a = 200 * free.mean;
    const theory = mmck(20, 25, a);
    expect(theory.refused).toBeGreaterThan(0.09);
    expect(theory.refused).toBeLessThan(0.1);
    const r = run(1, null, false, pool, exp, 200, 121, 1);
    expect(r.overflows / r.calls).toBeGreaterThan(theory.refused - 0.02);
    expect(r.overflows / r.calls).toBeLessThan(theory.refused + 0.02);
    expect(r.failed).toBe(r.overflows);
    expect(r.retries).toBe(0);
    // Results say so on the edge, where the callee sets a circuit breaker, and only there.
    const s = parseScenario(text(1, null, false, pool, exp, 200, 6, 1), 'breaker.yaml');
    const edges = simulateArchitecture(s, 'sidecar').edges;
    expect(
      edges.find((e) => e.name.endsWith('-> default/api'))!.circuitBreakerOverflows!.mean,
    ).toBeGreaterThan(0);
    expect(edges.filter((e) => e.circuitBreakerOverflows !== undefined).length).toBe(1);
    // Those answered waited Lq / (admitted rate) on average first (Little), about 8 ms.
    const wait = theory.waiting / (200 * (1 - theory.refused));
    expect(wait).toBeGreaterThan(0.006);
    expect(r.mean - free.mean).toBeGreaterThan(0.7 * wait);
    expect(r.mean - free.mean).toBeLessThan(1.3 * wait);
  });

  it('over four api pods the same limits bind earlier: each host keeps the connections its peaks opened', () => {
    // 20 connections split among 4 pools (about 5 each once the cluster is full) serve the same 20
    // erlangs worse than one line of 20: a request waits for its own host's connection while another
    // host's sits idle, and the shared 5 pending places fill sooner.
    const free = run(1, null, false, '', exp, 200, 121, 4);
    const pooled = mmck(20, 25, 200 * free.mean);
    const r = run(1, null, false, pool, exp, 200, 121, 4);
    expect(r.overflows / r.calls).toBeGreaterThan(pooled.refused + 0.02);
    // 13 % on this run, below four separate lines of 5 connections and 1 pending place each (M/M/5/6 at a
    // quarter of the load: 22.8 %): the 5 places are shared, and least-request balancing steers new
    // requests away from a host whose connections are all busy.
    expect(r.overflows / r.calls).toBeLessThan(mmck(5, 6, (200 * free.mean) / 4).refused);
  });

  it('bind HTTP/1.1 only: the same limits leave an HTTP/2 service alone', () => {
    const r = run(1, null, false, pool, exp, 200, 31);
    expect(r.overflows).toBeGreaterThan(0);
    const h2 = parseScenario(
      text(1, null, false, pool, exp, 200, 31).replace(
        'calls: [{ to: api }]',
        'calls: [{ to: api, protocol: http2 }]',
      ),
      'breaker.yaml',
    );
    const e = new Replication(buildWorld(h2, place(h2, 'sidecar')), 'breaker');
    e.run();
    expect(e.recorder.edgeOverflows.reduce((x, y) => x + y, 0)).toBe(0);
  });

  it('a waypoint counts the connections of every caller behind it: refused there, not at 4 sidecars', () => {
    const limits = '{ tcp: { maxConnections: 10 }, http: { http1MaxPendingRequests: 2 } }';
    const sidecars = run(4, null, false, limits, exp, 200, 31, 1);
    const waypoint = run(4, null, true, limits, exp, 200, 31, 1);
    // 5 erlangs a sidecar against 10 connections: M/M/10/12 refuses 0.5 %; 20 at one waypoint 51 %.
    expect(sidecars.overflows / sidecars.calls).toBeLessThan(mmck(10, 12, 5).refused + 0.01);
    expect(waypoint.overflows / waypoint.calls).toBeGreaterThan(mmck(10, 12, 20).refused - 0.05);
    expect(waypoint.overflows / waypoint.calls).toBeLessThan(mmck(10, 12, 20).refused + 0.05);
  });
});
