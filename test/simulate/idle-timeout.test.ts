// DestinationRule connectionPool idleTimeout and maxConnectionDuration (replication/upstream-pools.ts).
// idleTimeout: an Envoy closes an upstream
// connection that carried no request for that long. web's sidecar calls one api pod, Poisson 5 calls/s,
// each holding the pool for d (api's 0.1 ms and the hops): the pool idles for a gap A - d after each call,
// and closes where that is at least T, so by memorylessness a call finds it closed with probability
// exp(-lambda (T + d)), and the sidecars open lambda exp(-lambda (T + d)) connections a second (each with
// an mTLS handshake at both ends; calls overlap too rarely, lambda d = 0.3 %, to open a second one often).
// Without it, no connection after the first ones.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';

const text = (pool: string, arrival = 'poisson', rate = 5) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: idle }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: default, labels: { istio-injection: enabled } }]
services:
  - { name: web, replicas: 1, serviceTime: 0.1ms, calls: [{ to: api }] }
  - name: api
    replicas: 1
    serviceTime: 0.1ms
${pool ? `    trafficPolicy: { connectionPool: ${pool} }\n` : ''}traffic: [{ name: load, to: web, rate: ${rate}/s, arrival: ${arrival} }]
compare: [sidecar]
simulation: { duration: 241s, warmup: 1s, replications: 1 }
`;

const run = (pool: string, arrival = 'poisson', rate = 5) =>
  simulateArchitecture(parseScenario(text(pool, arrival, rate), 'idle.yaml'), 'sidecar');

describe('connectionPool idleTimeout', () => {
  it('200 ms at 5 calls/s: lambda exp(-lambda (T + d)) = 1.83 new upstream connections a second', () => {
    const a = run('{ http: { idleTimeout: 200ms } }');
    const d = a.edges.find((e) => e.name.endsWith('-> default/api'))!.latency.mean.mean;
    expect(d).toBeGreaterThan(0.0002);
    expect(d).toBeLessThan(0.002);
    const theory = 5 * Math.exp(-5 * (0.2 + d));
    // Both sidecars shake hands on each new connection; nothing else does once the run is warm.
    const handshakes = a.connections.sidecar!.handshakesPerSecond / 2;
    expect(handshakes).toBeGreaterThan(0.88 * theory);
    expect(handshakes).toBeLessThan(1.12 * theory);
    // tcp.idleTimeout is taken where http's is not; http's wins where both are given.
    const tcp = run('{ tcp: { idleTimeout: 200ms } }');
    expect(tcp.connections.sidecar!.handshakesPerSecond).toBe(a.connections.sidecar!.handshakesPerSecond);
    const both = run('{ tcp: { idleTimeout: 1h }, http: { idleTimeout: 200ms } }');
    expect(both.connections.sidecar!.handshakesPerSecond).toBe(a.connections.sidecar!.handshakesPerSecond);
  });

  it('without one (Envoy keeps them an hour) or at 0 (off) nothing reconnects', () => {
    const none = run('').connections.sidecar!.handshakesPerSecond;
    // The handshakes of the run's first connections only.
    expect(none * 240).toBeLessThanOrEqual(4);
    expect(run('{ http: { idleTimeout: 0s } }').connections.sidecar!.handshakesPerSecond).toBe(none);
  });
});

describe('connectionPool.tcp.maxConnectionDuration', () => {
  it('1 s at a steady 10 calls/s: the connection is replaced at the first call a second after it opened', () => {
    // One connection (calls 100 ms apart never overlap): a renewal every 1.0-1.1 s, each a new connection
    // with a handshake at both ends, and the pool's open count unchanged.
    const a = run('{ tcp: { maxConnectionDuration: 1s } }', 'constant', 10);
    const renewals = a.connections.sidecar!.handshakesPerSecond / 2;
    expect(renewals).toBeGreaterThan(1 / 1.1 - 0.02);
    expect(renewals).toBeLessThan(1 + 0.02);
    expect(run('', 'constant', 10).connections.sidecar!.handshakesPerSecond * 240).toBeLessThanOrEqual(4);
  });
});
