// istio-cni node agents restart one node at a time during an ambient data-plane upgrade; a new ambient pod
// on a node whose agent is down waits for it.
import { describe, expect, it } from 'vitest';
import { istioCniRollout, whenCniReady } from '../../src/events/istio-cni.ts';
import { engineFor, scenario } from './helpers.ts';

const text = (events: string) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: cni }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services:
  - { name: api, namespace: app, replicas: 2, serviceTime: 1ms }
traffic:
  - { name: web, to: api.app, rate: 10/s }
lifecycle: { podStartup: 8s }
${events}
compare: [ambient]
simulation: { duration: 60s, warmup: 1s, replications: 1 }
`;
const s = scenario(text(''));

describe('istio-cni agent restarts', () => {
  it('one node after another; a pod start on a node waits only while that node’s agent is down', () => {
    const e = engineFor(s, 'ambient');
    const started: Record<string, number> = {};
    let done = -1;
    e.host.after(5, () => {
      istioCniRollout(e.host, [0, 1], () => {
        done = e.host.now;
      });
      whenCniReady(e.host, 0, () => (started.node0 = e.host.now));
      whenCniReady(e.host, 1, () => (started.node1 = e.host.now));
      whenCniReady(e.host, 2, () => (started.node2 = e.host.now));
    });
    e.run();
    // Agent 0 is down 5..13 s; agent 1 restarts after it (13..21 s), so it is still up at 5 s.
    expect(started).toEqual({ node0: 13, node1: 5, node2: 5 });
    expect(done).toBe(21);
  });

  it('an ambient data-plane upgrade restarts every node’s agent and says so', () => {
    const e = engineFor(scenario(text('events: [{ at: 5s, upgrade: dataplane }]')), 'ambient');
    e.run();
    const rec = e.disruption[0]!;
    expect(rec.mechanism).toContain('istio-cni agents restart one node at a time');
    // Three agents, 8 s each, one after another: the upgrade is not over before 24 s.
    expect(rec.rolloutDuration).toBeGreaterThanOrEqual(24);
  });
});
