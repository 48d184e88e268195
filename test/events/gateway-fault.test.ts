// `fault: gateway`: one ingress gateway replica's Envoy dies for `recovery`. By hand, at R requests/s of
// constant arrivals, each on a connection of its own: with one replica every request in the outage fails
// at once (the load balancer has no ready replica; nothing retries before the gateway), R x recovery of
// them; with two, the dead one leaves the endpoints and the other takes every new connection.
import { describe, expect, it } from 'vitest';
import type { ScenarioError } from '../../src/scenario/index.ts';
import { conserved, engineFor, scenario } from './helpers.ts';

const text = (replicas: number, selector = 'istio-ingress', via = 'ingress') => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: gw-fault }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
services:
  - { name: web, replicas: 2, serviceTime: 1ms }
traffic:
  - { name: load, to: web, rate: 200/s, arrival: constant, via: ${via}, connection: per-request, timeout: 1s }
mesh: { ingressGateway: { replicas: ${replicas} } }
events:
  - { at: 5s, fault: gateway, selector: ${selector}, recovery: 2s }
compare: [none]
simulation: { duration: 12s, warmup: 1s, replications: 1 }
`;

function run(replicas: number) {
  const e = engineFor(scenario(text(replicas)), 'none');
  e.run();
  return e;
}

describe('ingress gateway fault', () => {
  it('one replica: the entry fails for the whole outage, R x recovery requests, and recovers', () => {
    const e = run(1);
    const rec = e.disruption[0]!;
    expect(rec.mechanism).toBe('gateway of istio-ingress/istio-ingress-0 fails for 2 s');
    // 200/s for 2 s, give or take the request in flight at each edge of the outage.
    expect(e.recorder.entryFailed[0]).toBeGreaterThanOrEqual(398);
    expect(e.recorder.entryFailed[0]).toBeLessThanOrEqual(402);
    const errors = [...e.recorder.errorBins];
    expect(errors.slice(8, 12).reduce((a, b) => a + b, 0)).toBe(0);
    expect(conserved(e)).toBe(true);
  });

  it('two replicas: the other takes the new connections; at most what was on the dead one fails', () => {
    const e = run(2);
    expect(e.recorder.entryFailed[0]).toBeLessThanOrEqual(2);
    expect(conserved(e)).toBe(true);
  });

  it("is refused for a name that is not the gateway's, and without an entry through it", () => {
    const issue = (t: string) => {
      try {
        scenario(t);
      } catch (err) {
        return (err as ScenarioError).issues[0]!;
      }
      throw new Error('accepted');
    };
    expect(issue(text(1, 'edge')).path).toBe('events[0].selector');
    expect(issue(text(1, 'istio-ingress', 'direct')).path).toBe('events[0].fault');
  });
});
