// A cordon-and-drain upgrade evicts every pod of a node at once, as kubectl drain does, each eviction
// refused while its owner's PodDisruptionBudget allows no disruption and retried 5 s later. Two api pods
// on the first node drained: without a budget both go at once (no ready pod until a replacement is up);
// with maxUnavailable 1 one at a time (half the capacity stays); with minAvailable 2 neither ever goes.
import { describe, expect, it } from 'vitest';
import { engineFor, scenario } from './helpers.ts';

const text = (budget: string) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: drain-budget }
cluster:
  nodePools:
    - { name: a, instanceType: m5.xlarge, count: 1, zones: [z1], labels: { tier: a } }
    - { name: b, instanceType: m5.xlarge, count: 1, zones: [z1] }
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient } }]
services:
  - name: api
    namespace: app
    replicas: 2
    serviceTime: 1ms
    nodeAffinity: { preferred: [{ weight: 100, matchExpressions: [{ key: tier, operator: In, values: [a] }] }] }
    ${budget}
traffic:
  - { name: web, to: api.app, rate: 50/s, retries: 0 }
lifecycle: { podStartup: 8s, terminationGrace: 5s, preStop: 1s }
events:
  - { at: 10s, upgrade: dataplane, strategy: cordon-drain }
compare: [ambient]
simulation: { duration: 120s, warmup: 1s, replications: 1 }
`;

function drain(budget: string) {
  const e = engineFor(scenario(text(budget)), 'ambient');
  const apiNodes = e.host.placement.pods.filter((p) => p.owner === 'app/api').map((p) => p.node);
  e.run();
  return { apiNodes, rec: e.disruption[0]! };
}

describe('cordon-and-drain and PodDisruptionBudgets', () => {
  it('without a budget both pods on the node go at once', () => {
    const { apiNodes, rec } = drain('');
    expect(apiNodes).toEqual([0, 0]);
    expect(rec.lowestReadyCapacity['app/api']).toBe(0);
    expect(rec.requestsFailed).toBeGreaterThan(0);
    expect(rec.completed).toBe(true);
  });

  it('maxUnavailable 1: one at a time, half the capacity ready throughout, nothing fails', () => {
    const { rec } = drain('disruptionBudget: { maxUnavailable: 1 }');
    expect(rec.lowestReadyCapacity['app/api']).toBe(0.5);
    expect(rec.requestsFailed).toBe(0);
    expect(rec.completed).toBe(true);
  });

  it('minAvailable 2 of 2: no eviction is ever allowed, the drain never ends', () => {
    const { rec } = drain('disruptionBudget: { minAvailable: 2 }');
    expect(rec.lowestReadyCapacity['app/api']).toBe(1);
    expect(rec.podsRestarted).toBe(0);
    expect(rec.completed).toBe(false);
  });
});
