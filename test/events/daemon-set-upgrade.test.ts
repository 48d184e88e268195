// A sidecar data-plane upgrade restarts the platform DaemonSets' injected pods too, as each DaemonSet's
// updateStrategy says: by hand, with podStartup 8 s after the new pod's sidecar started (s) and the old
// sidecar's 5 s drain, one node at a time over 3 nodes takes 3 x (5 + 8 + s), three at a time 5 + 8 + s,
// a surge of one 3 x (8 + s); OnDelete restarts none. A migration's new pods have no sidecar: 39 s, 13 s.
import { describe, expect, it } from 'vitest';
import { EndpointKind } from '../../src/mesh/index.ts';
import { engineFor, scenario, sidecarStart } from './helpers.ts';

const text = (strategy: string, ns = 'shop') => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: ds-upgrade }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 3 }]
  daemonSets:
    - { name: agent, namespace: ${ns}, resources: { requests: { cpu: 50m, memory: 64Mi } }${strategy} }
namespaces: [{ name: shop, labels: { istio-injection: enabled } }]
services:
  - { name: api, namespace: shop, replicas: 1, serviceTime: 1ms }
traffic:
  - { name: web, to: api.shop, rate: 10/s }
lifecycle: { podStartup: 8s, sidecarDrain: 5s }
events: [{ at: 5s, upgrade: dataplane }]
compare: [sidecar]
simulation: { duration: 80s, warmup: 1s, replications: 1 }
`;

function upgrade(strategy: string, ns?: string) {
  const e = engineFor(scenario(text(strategy, ns)), 'sidecar');
  e.run();
  // Each new agent pod's native sidecar starts first (2 s and its configuration), then the agent (8 s).
  return { ...e.disruption[0]!, start: 8 + sidecarStart(e, 'shop/agent') };
}

describe('a sidecar data-plane upgrade and the platform DaemonSets', () => {
  it('restarts one node’s injected pod at a time by default, after the Deployments’ pods', () => {
    const alone = upgrade('', 'kube-system'); // never injected: only the api pod restarts
    const rec = upgrade('');
    expect(rec.mechanism).toContain('DaemonSet update of 3 injected pods in 1 DaemonSets');
    expect(rec.podsRestarted - alone.podsRestarted).toBe(3);
    expect(rec.rolloutDuration).toBeCloseTo(3 * (5 + rec.start), 9);
    expect(alone.rolloutDuration).toBeLessThan(rec.rolloutDuration!);
  });

  it('follows maxUnavailable and maxSurge; OnDelete restarts nothing and says so', () => {
    const three = upgrade(', updateStrategy: { maxUnavailable: 3 }');
    expect(three.rolloutDuration).toBeCloseTo(5 + three.start, 9);
    const surge = upgrade(', updateStrategy: { maxSurge: 1, maxUnavailable: 0 }');
    expect(surge.rolloutDuration).toBeCloseTo(3 * surge.start, 9);
    const onDelete = upgrade(', updateStrategy: { type: OnDelete }');
    const alone = upgrade('', 'kube-system');
    expect(onDelete.podsRestarted).toBe(alone.podsRestarted);
    expect(onDelete.notes.join(' ')).toContain(
      'DaemonSet shop/agent (OnDelete): 3 pods keep their old sidecar',
    );
  });
});

describe('a migration to ambient and the platform DaemonSets of the namespace', () => {
  const migration = (strategy: string) => {
    const e = engineFor(
      scenario(
        text(strategy)
          .replace('events: [{ at: 5s, upgrade: dataplane }]', 'events: [{ at: 5s, migrate: [shop] }]')
          .replace('compare: [sidecar]', 'compare: [as-labelled]'),
      ),
      'as-labelled',
    );
    e.run();
    return { e, rec: e.disruption[0]! };
  };

  it('replaces their pods as their strategy says, each new one captured by ztunnel, without a sidecar', () => {
    const { e, rec } = migration('');
    const agents = e.w.placement.pods.filter((p) => p.owner === 'shop/agent');
    expect(agents).toHaveLength(3);
    // 1 api pod and the 3 agent pods, one node at a time: 3 x (5 s drain + 8 s start) = 39 s.
    expect(rec.podsRestarted).toBe(4);
    expect(rec.mechanism).toContain('restart 4 pods once');
    expect(rec.mechanism).toContain('3 of them DaemonSet pods');
    expect(rec.rolloutDuration).toBeCloseTo(39, 9);
    expect(agents.every((p) => e.pods.kind[p.index] === EndpointKind.Captured)).toBe(true);
    // Three nodes at a time: 5 + 8 = 13 s.
    expect(migration(', updateStrategy: { maxUnavailable: 3 }').rec.rolloutDuration).toBeCloseTo(13, 9);
  });

  it('leaves no injected DaemonSet pod for a later sidecar upgrade to restart', () => {
    const e = engineFor(
      scenario(
        text('')
          .replace(
            'events: [{ at: 5s, upgrade: dataplane }]',
            'events: [{ at: 5s, migrate: [shop] }, { at: 60s, upgrade: dataplane }]',
          )
          .replace('compare: [sidecar]', 'compare: [as-labelled]'),
      ),
      'as-labelled',
    );
    e.run();
    expect(e.disruption[1]!.mechanism).not.toContain('DaemonSet update');
  });
});
