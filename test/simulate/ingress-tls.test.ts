// TLS the ingress gateway terminates (`traffic[].tls`): each new client connection costs the gateway one
// handshake, on the path of the request that opened it: its CPU (mesh cost cpuPerHandshake) and a round
// trip more on the client's link. Checked by hand on one node with a connection per request, at a load
// that queues nothing.
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { simulate } from '../../src/simulate/index.ts';

const text = (tls: boolean, via = 'ingress') => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 1 }]
services:
  - { name: web, namespace: shop, replicas: 1, serviceTime: 2ms }
traffic:
  - { name: in, to: web.shop, rate: 100/s, arrival: constant, connection: per-request, via: ${via}, tls: ${tls} }
compare: [none]
simulation: { duration: 12s, warmup: 2s, replications: 1, seed: 3 }
`;

function run(tls: boolean) {
  const s = parseScenario(text(tls), 's.yaml');
  const r = simulate(s, { file: 's.yaml' }).architectures[0]!;
  const gateway = r.components.find((c) => c.component === 'gateway')!;
  return { s, r, gateway, entry: r.entryPoints[0]! };
}

describe('TLS terminated at the ingress gateway', () => {
  it('a handshake per new client connection: its CPU at the gateway and a round trip more', () => {
    const plain = run(false);
    const tls = run(true);
    // One connection per request at 100/s: 100 handshakes a second at the gateway, none without TLS.
    expect(plain.r.connections.gateway?.handshakesPerSecond ?? 0).toBe(0);
    expect(tls.r.connections.gateway!.handshakesPerSecond).toBeCloseTo(100, 0);
    // Each costs cpuPerHandshake (0.5 ms by default): 100/s x 0.5 ms = 0.05 cores more.
    const perHandshake = tls.s.mesh.ingressGateway.cost.cpuPerHandshake;
    expect(tls.gateway.cpu.used.mean - plain.gateway.cpu.used.mean).toBeCloseTo(100 * perHandshake, 3);
    // On the request's path: its CPU, and one more round trip on the client's link (same node here).
    const rtt = 2 * tls.s.cluster.network.sameNode;
    const extra = tls.entry.latency.mean.mean - plain.entry.latency.mean.mean;
    expect(extra).toBeCloseTo(rtt + perHandshake, 4);
  });

  it('is refused without via: ingress, at its field', () => {
    let err: unknown;
    try {
      parseScenario(text(true, 'direct'), 's.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const issue = (err as ScenarioError).issues[0]!;
    expect([issue.path, issue.expected, issue.line]).toEqual([
      'traffic[0].tls',
      'false unless via: ingress',
      9,
    ]);
  });
});
