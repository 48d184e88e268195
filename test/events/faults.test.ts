// Faults: exactly the requests in flight on a dead node fail when nobody retries. A sidecar on the
// caller's side retries them only if its policy retries a reset after the request was sent: Istio's
// default (connect-failure, refused-stream, unavailable, cancelled, retriable-status-codes) does not;
// with `retryOn: [reset]` they are retried and succeed on the surviving pod.
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario } from './helpers.ts';

const twoNodes = (arch: 'none' | 'sidecar', retries: number, node: number, retryOn = '') =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: node-fault }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces: [{ name: app, labels: { ${arch === 'none' ? 'team: a' : 'istio-injection: enabled'} } }]
services:
  - { name: api, namespace: app, replicas: 2, serviceTime: 20ms }
traffic:
  - name: web
    to: api.app
    rate: 200/s
    clients: 1
    clientMode: same-as-target
    retries: ${retries}${retryOn ? `\n    retryOn: ${retryOn}` : ''}
    connection: per-request
events:
  - { at: 5s, fault: node, selector: "${node}", recovery: 60s }
compare: [${arch}]
simulation: { duration: 12s, warmup: 1s, replications: 1 }
`);

/** The fault hits the node of an api pod that is not the client's (placement ignores the fault). */
function setup(arch: 'none' | 'sidecar', retries: number, retryOn = '') {
  const probe = engineFor(twoNodes(arch, retries, 0, retryOn), arch);
  const pods = probe.w.placement.pods;
  const client = pods[probe.w.placement.byOwner.get('web')![0]!]!.node;
  const node = probe.w.placement.byOwner
    .get('app/api')!
    .map((p) => pods[p]!.node)
    .find((n) => n !== client)!;
  return engineFor(twoNodes(arch, retries, node, retryOn), arch);
}

/** Calls in flight to pods on `node` just before the fault fires (same-time events run in order). */
function inFlightAtFault(e: ReturnType<typeof setup>): () => number {
  let n = -1;
  const node = Number((e.w.scenario.events[0] as { selector: string }).selector);
  e.host.after(5, () => {
    n = 0;
    const k = e.calls;
    for (let id = 0; id < k.capacity; id++) {
      if (k.inUse[id] && k.dst[id]! >= 0 && e.pods.node[k.dst[id]!] === node) n++;
    }
  });
  return () => n;
}

describe('node fault', () => {
  it('without retries, exactly the requests in flight on the node fail', () => {
    const e = setup('none', 0);
    const count = inFlightAtFault(e);
    e.run();
    const rec = e.disruption[0]!;
    expect(count()).toBeGreaterThan(0);
    expect(e.recorder.entryFailed[0]).toBe(count());
    expect(rec.requestsFailed).toBe(count());
    expect(rec.requestsRetried).toBe(0);
    expect(rec.blastRadius).toEqual({ pods: 1, services: ['app/api'], nodes: 1 });
    expect(conserved(e)).toBe(true);
  });

  it("with sidecars and Istio's default retries, the requests in flight were sent: reset, not retried", () => {
    const e = setup('sidecar', 2);
    const count = inFlightAtFault(e);
    e.run();
    const rec = e.disruption[0]!;
    expect(count()).toBeGreaterThan(0);
    expect(rec.requestsRetried).toBe(0);
    expect(rec.requestsFailed).toBe(count());
    expect(e.recorder.entryFailed[0]).toBe(count());
    expect(conserved(e)).toBe(true);
  });

  it('with sidecars retrying on reset, the same requests are retried and succeed on the other pod', () => {
    const e = setup('sidecar', 2, '[reset]');
    const count = inFlightAtFault(e);
    e.run();
    const rec = e.disruption[0]!;
    expect(count()).toBeGreaterThan(0);
    expect(rec.requestsRetried).toBe(count());
    expect(rec.requestsFailed).toBe(0);
    expect(e.recorder.entryFailed[0]).toBe(0);
    expect(conserved(e)).toBe(true);
  });
});
