// perTryTimeout (replication/per-try-timeouts.ts): the retrying Envoy resets an attempt that outlives it,
// and retries it only where retryOn has `reset`, `5xx` or `gateway-error`. With exponential service
// times of mean m, an attempt outlives T with p = exp(-(T - h) / m), h the attempt's other time (hops,
// network), each attempt independently: with Istio's default conditions a call fails with p, with `5xx`
// and 2 retries with p^3, after p + p^2 + p^3 per-try timeouts per call.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication, runReplication } from '../../src/simulate/index.ts';

const text = (call: string, entry = '') => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: per-try }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
namespaces:
  - name: default
    labels: { istio-injection: enabled }
services:
  - name: web
    replicas: 1
    serviceTime: 1ms
    calls: [{ to: api${call} }]
  - name: api
    replicas: 4
    concurrency: 1000
    serviceTime: { exponential: { mean: 10ms } }
    cpuFraction: 0.01
traffic: [{ name: load, to: web, ${entry || 'rate: 200/s, arrival: poisson'} }]
compare: [sidecar]
simulation: { duration: 61s, warmup: 1s, replications: 1 }
`;

function run(call: string, entry = '') {
  const s = parseScenario(text(call, entry), 'p.yaml');
  const e = new Replication(buildWorld(s, place(s, 'sidecar')), 'per-try');
  e.run();
  const edge = e.w.edges.findIndex((x) => x.from >= 0);
  const r = e.recorder;
  return {
    calls: r.edgeCalls[edge]!,
    failed: r.edgeFailed[edge]!,
    retries: r.edgeRetries[edge]!,
    perTry: r.edgePerTryTimeouts[edge]!,
    mean: r.edgeHist[edge]!.mean,
  };
}

describe('perTryTimeout', () => {
  const plain = run('');
  // An attempt's time besides its service time.
  const h = plain.mean - 0.01;
  const p = Math.exp(-(0.02 - h) / 0.01);

  it('is none by default', () => {
    expect(plain.perTry).toBe(0);
    expect(plain.failed).toBe(0);
    expect(h).toBeGreaterThan(0);
    expect(h).toBeLessThan(0.002);
  });

  it("with Istio's default retryOn a reset attempt is not retried: the call fails (504) with p", () => {
    const r = run(', perTryTimeout: 20ms');
    expect(r.retries).toBe(0);
    expect(r.perTry).toBe(r.failed);
    // Binomial over about 12,000 calls: a standard deviation of 0.3 %.
    expect(r.failed / r.calls).toBeGreaterThan(p - 0.012);
    expect(r.failed / r.calls).toBeLessThan(p + 0.012);
  });

  it('with retryOn 5xx every reset attempt is retried (2 retries): p + p^2 + p^3 resets per call, p^3 fail', () => {
    const r = run(', perTryTimeout: 20ms, retries: 2, retryOn: [5xx]');
    const resets = p + p * p + p ** 3;
    expect(r.perTry / r.calls).toBeGreaterThan(resets - 0.015);
    expect(r.perTry / r.calls).toBeLessThan(resets + 0.015);
    expect(r.retries).toBe(r.perTry - r.failed);
    expect(r.failed / r.calls).toBeLessThan(p ** 3 + 0.003);
    // A retried call answers as the attempt that made it: slower than a plain call, but never the tail
    // of the service time (every answer came within 20 ms of its attempt's start).
    expect(r.mean).toBeGreaterThan(plain.mean);
  });

  it('the route timeout still spans every attempt', () => {
    const r = run(', timeout: 25ms, perTryTimeout: 20ms, retries: 2, retryOn: [gateway-error]');
    const loose = run(', timeout: 1s, perTryTimeout: 20ms, retries: 2, retryOn: [gateway-error]');
    // A retry starts 20 ms in (after a back-off) and has at most 5 ms left.
    expect(r.failed).toBeGreaterThan(10 * loose.failed);
    expect(r.perTry).toBeLessThan(loose.perTry);
  });

  it('a closed-loop load generator waits on the call, moved or not: every request is accounted for', () => {
    const m = runReplication(
      parseScenario(
        text(', perTryTimeout: 15ms, retries: 2, retryOn: [reset]', 'closedLoop: { connections: 4 }'),
        'p.yaml',
      ),
      'sidecar',
      0,
    );
    const e = m.entries[0]!;
    expect(e.completed + e.failed + e.inFlight).toBe(e.offered);
    // Four connections each waiting on their call about 13 ms: far more than a lost connection would send.
    expect(e.offered).toBeGreaterThan(60 * 4 * 50);
  });
});
