// A DestinationRule's retry limits (replication/retry-limits.ts) and maxRequestsPerConnection
// (replication/upstream-pools.ts). A retry is outstanding at its balancing Envoy from the decision, through
// its back-off, to the end of its attempt; over the limit the call fails with its attempt's failure. With
// failed attempts arriving as a Poisson stream that is Erlang's loss system again: the share of wanted
// retries stopped is Erlang B(M, a), a = their rate x the time one is outstanding, whatever its
// distribution.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario, DEFAULT_RETRY_BACKOFF as RETRY_BASE } from '../../src/scenario/index.ts';
import { buildWorld, Replication, simulateArchitecture } from '../../src/simulate/index.ts';
import { CircuitBreakers } from '../../src/simulate/replication/circuit-breakers.ts';
import { RetryLimits } from '../../src/simulate/replication/retry-limits.ts';
import { erlangB } from '../helpers/queueing.ts';

/**
 * web calls api (4 replicas of 50 ms) through a waypoint, 400 calls/s; from 1 s the ztunnel of one api
 * pod's node is down (`fault` >= 0: that node), so attempts sent to that pod are refused and the waypoint
 * retries them on another pod (connect-failure, Istio's default retry policy).
 */
const text = (policy: string, fault: number) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: retry-limits }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 6 }]
namespaces:
  - name: default
    labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp }
waypoints: [{ name: wp, namespace: default, replicas: 1 }]
services:
  - name: web
    replicas: 1
    serviceTime: 1ms
    calls: [{ to: api }]
  - name: api
    replicas: 4
    serviceTime: 50ms
    cpuFraction: 0.01
${policy ? `    trafficPolicy: ${policy}\n` : ''}traffic: [{ name: load, to: web, rate: 400/s, arrival: poisson }]
${fault >= 0 ? `events: [{ at: 1s, fault: ztunnel, selector: ${fault}, recovery: 100s }]\n` : ''}compare: [ambient]
simulation: { duration: 41s, warmup: 1s, replications: 1 }
`;

/** A node with an api pod and none of the waypoint, web or the load generator. */
function faultNode(): number {
  const p = place(parseScenario(text('', -1), 'r.yaml'), 'ambient');
  const busy = new Set<number>();
  for (const o of ['default/wp', 'default/web', 'load'])
    for (const i of p.byOwner.get(o) ?? []) busy.add(p.pods[i]!.node);
  const node = (p.byOwner.get('default/api') ?? []).map((i) => p.pods[i]!.node).find((n) => !busy.has(n));
  if (node === undefined) throw new Error('no api pod on a node of its own');
  return node;
}

function run(policy: string, fault = faultNode()) {
  const s = parseScenario(text(policy, fault), 'r.yaml');
  const e = new Replication(buildWorld(s, place(s, 'ambient')), 'retry-limits');
  e.run();
  const edge = e.w.edges.findIndex((x) => x.from >= 0);
  const r = e.recorder;
  return {
    calls: r.edgeCalls[edge]!,
    failed: r.edgeFailed[edge]!,
    retries: r.edgeRetries[edge]!,
    stopped: r.edgeRetryOverflows[edge]!,
    mean: r.edgeHist[edge]!.mean,
    seconds: s.simulation.duration - s.simulation.warmup,
  };
}

describe('retry limits (maxRetries, retryBudget)', () => {
  const fault = faultNode();
  const free = run('', fault);
  const healthy = run('', -1);

  it('without a limit every refused attempt is retried on another pod, and no call fails', () => {
    expect(free.retries).toBeGreaterThan(3000);
    expect(free.stopped).toBe(0);
    expect(free.failed).toBeLessThan(5);
    expect(healthy.retries).toBe(0);
  });

  it.each([3, 10])('maxRetries %i stops Erlang B(M, a) of the retries the policy wants', (m) => {
    const r = run(`{ connectionPool: { http: { maxRetries: ${m} } } }`, fault);
    const wanted = r.retries + r.stopped;
    // Outstanding: the first retry's back-off (uniform over [0, 25 ms]), then an attempt that is answered
    // as a healthy cluster's calls are (the dead pod is not picked again: previous_hosts).
    const a = (wanted / r.seconds) * (RETRY_BASE / 2 + healthy.mean);
    const share = r.stopped / wanted;
    expect(share).toBeGreaterThan(erlangB(m, a) - 0.03);
    expect(share).toBeLessThan(erlangB(m, a) + 0.03);
    // Each stopped retry is a failed call (it was the call's only retry).
    expect(r.failed).toBeGreaterThanOrEqual(r.stopped);
    expect(r.failed).toBeLessThan(r.stopped + 5);
  });

  it("a retryBudget beside a connectionPool: istiod's 0.2 % of about 20 active requests is below the floor of 3", () => {
    const budget = run('{ connectionPool: { tcp: { maxConnections: 100000 } }, retryBudget: {} }', fault);
    const three = run('{ connectionPool: { http: { maxRetries: 3 } } }', fault);
    expect(budget).toEqual(three);
    // It replaces maxRetries; without a connectionPool istiod applies none of it.
    const both = run(
      '{ connectionPool: { http: { maxRetries: 1 } }, retryBudget: { minRetryConcurrency: 3 } }',
      fault,
    );
    expect(both).toEqual(three);
    expect(run('{ retryBudget: { minRetryConcurrency: 1 } }', fault)).toEqual(free);
  });

  it('a budget of 100 % with a floor of 1 lets as many retries as requests are active', () => {
    const r = run(
      '{ connectionPool: { http: { maxRetries: 1 } }, retryBudget: { percent: 100, minRetryConcurrency: 1 } }',
      fault,
    );
    const one = run('{ connectionPool: { http: { maxRetries: 1 } } }', fault);
    expect(r.stopped).toBeLessThan(one.stopped / 10);
  });
});

describe('RetryLimits by hand', () => {
  const rig = (policy: string) => {
    const s = parseScenario(text(policy, -1), 'r.yaml');
    const e = new Replication(buildWorld(s, place(s, 'ambient')), 'hand');
    const limits = new RetryLimits(e, new CircuitBreakers(e));
    const edge = e.w.edges.find((x) => x.from >= 0)!;
    const wp = e.balancing.block(e.w.podProxy[edge.waypointPods[0]!]!, edge.to);
    return { limits, edge, wp, requests: e.balancing.requests };
  };

  it('maxRetries counts each Envoy apart and frees a retry once', () => {
    const { limits, edge, wp } = rig('{ connectionPool: { http: { maxRetries: 2 } } }');
    expect(limits.any).toBe(true);
    expect([1, 2, 3].map((id) => limits.admit(id, edge, wp))).toEqual([true, true, false]);
    // Another Envoy's count (another block) is its own.
    expect(limits.admit(3, edge, wp + 1000)).toBe(true);
    limits.release(1);
    limits.release(1);
    expect(limits.admit(4, edge, wp)).toBe(true);
    expect(limits.admit(5, edge, wp)).toBe(false);
  });

  it('a budget is percent of the active requests, truncated, at least its floor', () => {
    const { limits, edge, wp, requests } = rig(
      '{ connectionPool: { http: { maxRetries: 100 } }, retryBudget: { percent: 25, minRetryConcurrency: 2 } }',
    );
    requests[wp] = 19; // 25 % of 19 is 4.75: 4
    expect([1, 2, 3, 4, 5].map((id) => limits.admit(id, edge, wp))).toEqual([true, true, true, true, false]);
    requests[wp] = 0; // the floor
    limits.release(1);
    limits.release(2);
    limits.release(3);
    expect([6, 7].map((id) => limits.admit(id, edge, wp))).toEqual([true, false]);
  });

  it('no policy: nothing to ask', () => {
    expect(rig('').limits.any).toBe(false);
  });
});

/** web calls api over HTTP/1.1 between sidecars (mTLS), 200 calls/s of 5 ms. */
const sidecars = (policy: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: per-connection }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
namespaces:
  - name: default
    labels: { istio-injection: enabled }
services:
  - name: web
    replicas: 1
    serviceTime: 1ms
    calls: [{ to: api }]
  - name: api
    replicas: 4
    serviceTime: 5ms
${policy ? `    trafficPolicy: ${policy}\n` : ''}traffic: [{ name: load, to: web, rate: 200/s, arrival: poisson }]
compare: [sidecar]
simulation: { duration: 21s, warmup: 1s, replications: 1 }
`;

describe('connectionPool.http.maxRequestsPerConnection', () => {
  const connections = (policy: string) => {
    const a = simulateArchitecture(parseScenario(sidecars(policy), 'c.yaml'), 'sidecar');
    const edge = a.edges.find((e) => e.name.includes('api'))!;
    return {
      rate: edge.rate.mean,
      latency: edge.latency.mean.mean,
      sidecar: a.connections.sidecar!,
      cpu: a.components.find((c) => c.component === 'sidecar')!.cpu.used.mean,
    };
  };

  it('1: every request to api opens a connection with its mTLS handshake; N: one request in N', () => {
    const pooled = connections('');
    const one = connections('{ connectionPool: { http: { maxRequestsPerConnection: 1 } } }');
    const ten = connections('{ connectionPool: { http: { maxRequestsPerConnection: 10 } } }');
    // The api sidecars accept one connection per call (the load generator keeps its connection to web).
    expect(one.sidecar.newConnectionsPerSecond).toBeGreaterThan(0.98 * one.rate);
    expect(one.sidecar.handshakesPerSecond).toBeGreaterThan(2 * 0.98 * one.rate);
    const extra = ten.sidecar.newConnectionsPerSecond - pooled.sidecar.newConnectionsPerSecond;
    expect(extra).toBeGreaterThan(0.09 * ten.rate);
    expect(extra).toBeLessThan(0.11 * ten.rate);
    // A new connection costs its round trips and its handshake on the call's path, and CPU on both ends.
    // (same node 20 us, zone 100 us one way: 0.2-1 ms, and the handshake's crypto).
    expect(one.latency - pooled.latency).toBeGreaterThan(0.0005);
    expect(one.cpu).toBeGreaterThan(2 * pooled.cpu);
    expect(pooled.sidecar.newConnectionsPerSecond).toBeLessThan(1);
  });
});
