// The ztunnel DaemonSet update: no pod restarts; connections outliving the 25 s drain are reset, those
// shorter than it move to the new ztunnel without anyone noticing.
import { describe, expect, it } from 'vitest';
import { conserved, engineFor, scenario } from './helpers.ts';

const ambient = (lifetime: string, extra = '') =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: zt }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2, zones: [a, b] }]
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services:
  - { name: api, namespace: app, replicas: 1, serviceTime: 1ms }
traffic:
  - name: web
    to: api.app
    rate: 200/s
    clients: 1
    clientMode: ambient
    protocol: grpc
    retries: 0
    connection: { type: long-lived, poolSize: 4, lifetime: { constant: ${lifetime} } }
lifecycle: { podStartup: 2s }
events:
  - { at: 10s, upgrade: dataplane }
${extra}
compare: [ambient]
simulation: { duration: 90s, warmup: 1s, replications: 1 }
`);

describe('ambient data-plane upgrade: a ztunnel DaemonSet rolling update', () => {
  it('restarts no pod and replaces one ztunnel per node, one node after another', () => {
    const e = engineFor(ambient('1h'), 'ambient');
    e.run();
    const rec = e.disruption[0]!;
    expect(rec.podsRestarted).toBe(0);
    expect(rec.daemonSetPodsReplaced).toBe(2);
    // Node 0's new ztunnel is ready at 12 s, node 1's at 14 s (2 s start each, maxSurge 1).
    expect(rec.rolloutDuration).toBe(4);
    // The last old ztunnel drains 25 s after its switch.
    expect(rec.settledAfter).toBe(4 + 25);
    expect([...e.pods.gen.slice(0, e.w.nPods)].every((g) => g === 0)).toBe(true);
    expect(conserved(e)).toBe(true);
  });

  it('connections that outlive the drain are all reset (each once), and requests in flight on them fail', () => {
    const e = engineFor(ambient('1h'), 'ambient');
    e.run();
    const rec = e.disruption[0]!;
    // The client's 4 streams cross both ztunnels; the first old ztunnel to finish draining (node 0's,
    // at 12 + 25 s) resets all 4; they reconnect through the new ztunnels, which the second drain spares.
    expect(rec.connectionsReset).toBe(4);
    expect(rec.resetsByService).toEqual({ 'app/api': 4 });
    // A gRPC request lasts ~1.3 ms at 200/s over 4 streams: whatever was in flight at 37 s failed
    // (no L7 proxy on the path, so no retry).
    expect(rec.requestsRetried).toBe(0);
    expect(rec.requestsFailed).toBe(e.recorder.entryFailed[0]);
    expect(conserved(e)).toBe(true);
  });

  it('connections shorter than the drain move over without resets or failed requests', () => {
    const e = engineFor(ambient('5s'), 'ambient');
    e.run();
    const rec = e.disruption[0]!;
    expect(rec.connectionsReset).toBe(0);
    expect(rec.requestsFailed).toBe(0);
    expect(e.recorder.entryFailed[0]).toBe(0);
    expect(conserved(e)).toBe(true);
  });

  it('cordon-and-drain avoids the resets at the cost of restarting every pod', () => {
    const e = engineFor(
      scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: zt-drain }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3, zones: [a, b, c] }]
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services:
  - { name: api, namespace: app, replicas: 2, serviceTime: 1ms }
traffic:
  - { name: web, to: api.app, rate: 100/s, clients: 1, retries: 0 }
# A 1 s preStop outlasts ztunnel's 350 ms endpoint propagation: no request meets an exited pod.
lifecycle: { podStartup: 2s, terminationGrace: 5s, preStop: 1s }
events:
  - { at: 10s, upgrade: dataplane, strategy: cordon-drain }
compare: [ambient]
simulation: { duration: 120s, warmup: 1s, replications: 1 }
`),
      'ambient',
    );
    e.run();
    const rec = e.disruption[0]!;
    // Every pod restarts at least once (an evicted pod may land on a node drained later and move again).
    expect(rec.podsRestarted).toBeGreaterThanOrEqual(2);
    expect(rec.daemonSetPodsReplaced).toBe(3);
    expect(rec.completed).toBe(true);
    // Evicted pods drain their connections gracefully; nothing is left for an old ztunnel to reset.
    expect(rec.connectionsReset).toBe(0);
    expect(rec.connectionsDrained).toBeGreaterThan(0);
    expect(rec.requestsFailed).toBe(0);
    expect(conserved(e)).toBe(true);
    // Each node is cordoned while it drains and uncordoned once its ztunnel runs again.
    expect([0, 1, 2].map((n) => e.host.room.closed(n))).toEqual([null, null, null]);
  });
});
