// Issue 17: scenarios the size of the largest platforms load and place without overflowing the call stack
// (an argument spread of every pod died at about 130,000 pods). The scenario is built as text and goes
// through the real loader, so the load path is covered too.
import { extent, max } from 'd3-array';
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

const NAMESPACES = 10;
const SERVICES = 10;
const REPLICAS = 1500;
const NODES = 1000;
const ZONES = ['a', 'b', 'c'];

/** 10 x 10 x 1,500 = 150,000 application pods on 1,000 roomy nodes (JSON is YAML). */
function wideScenario(): string {
  const services = [];
  for (let n = 0; n < NAMESPACES; n++)
    for (let s = 0; s < SERVICES; s++)
      services.push({
        name: `svc-${s}`,
        namespace: `team-${n}`,
        replicas: REPLICAS,
        resources: { requests: { cpu: '10m', memory: '16Mi' } },
        serviceTime: '1ms',
        ...(s + 1 < SERVICES ? { calls: [{ to: `svc-${s + 1}` }] } : {}),
      });
  return JSON.stringify({
    apiVersion: 'meshsim/v1alpha1',
    kind: 'Scenario',
    metadata: { name: 'wide' },
    cluster: {
      nodePools: [
        {
          name: 'big',
          instanceType: 'custom',
          vcpu: 64,
          memory: '256Gi',
          pricePerHour: 1,
          count: NODES,
          zones: ZONES,
          maxPods: 250,
        },
      ],
    },
    namespaces: Array.from({ length: NAMESPACES }, (_, n) => ({
      name: `team-${n}`,
      labels: { 'istio.io/dataplane-mode': 'ambient' },
    })),
    services,
    traffic: Array.from({ length: NAMESPACES }, (_, n) => ({
      name: `team-${n}`,
      to: `svc-0.team-${n}`,
      rate: '100/s',
    })),
    compare: ['ambient'],
    simulation: { duration: '10s' },
  });
}

/** `length` services, each calling the next: a call chain as deep as the scenario is wide. */
function chainScenario(length: number, closeCycle: boolean): string {
  const services = Array.from({ length }, (_, i) => ({
    name: `s${i}`,
    replicas: 1,
    serviceTime: '1ms',
    ...(i + 1 < length ? { calls: [{ to: `s${i + 1}` }] } : closeCycle ? { calls: [{ to: 's0' }] } : {}),
  }));
  return JSON.stringify({
    apiVersion: 'meshsim/v1alpha1',
    kind: 'Scenario',
    metadata: { name: 'chain' },
    cluster: { nodePools: [{ name: 'p', instanceType: 'm5.xlarge', count: 3 }] },
    namespaces: [{ name: 'default' }],
    services,
    traffic: [{ name: 'in', to: 's0', rate: '1/s' }],
  });
}

describe('scale', () => {
  it('loads and places 150,000 application pods, every one of them, spread evenly', () => {
    const s = parseScenario(wideScenario(), 'wide.json');
    expect(s.services.reduce((n, x) => n + x.replicas, 0)).toBe(150_000);
    const p = place(s, 'ambient');
    const apps = p.pods.filter((x) => x.kind === 'app');
    expect(apps).toHaveLength(150_000);
    expect(p.unschedulable).toEqual([]);
    // One ztunnel and one istio-cni pod per node.
    expect(p.pods.filter((x) => x.kind === 'ztunnel')).toHaveLength(NODES);
    expect(p.pods.filter((x) => x.kind === 'istio-cni')).toHaveLength(NODES);
    expect([...p.ztunnelOfNode].every((i) => i >= 0)).toBe(true);
    // Every pod is bound once: the per-node pod counts add up to the pods placed, under maxPods (istiod's
    // HPA standby pods are placed only if it scales up).
    expect(p.requested.reduce((n, r) => n + r.pods, 0)).toBe(p.pods.filter((x) => !x.standby).length);
    expect(max(p.requested, (r) => r.pods)).toBeLessThanOrEqual(250);
    // Topology spread: 1,500 replicas over 1,000 nodes put one or two of each service on a node.
    const perNode = new Int32Array(NODES);
    for (const i of p.byOwner.get('team-3/svc-7')!) perNode[p.pods[i]!.node]!++;
    expect(extent(perNode)).toEqual([1, 2]);
  });

  it('checks a call chain 10,000 services deep for cycles without recursing', () => {
    const s = parseScenario(chainScenario(10_000, false), 'chain.json');
    expect(s.services).toHaveLength(10_000);
    let err: unknown;
    try {
      parseScenario(chainScenario(10_000, true), 'chain.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const issue = (err as ScenarioError).issues.find((i) => /call cycle/.test(i.message ?? ''));
    expect(issue?.path).toBe('services[9999].calls[0].to');
    const m = issue?.message ?? '';
    expect(m.startsWith('call cycle default/s0 -> default/s1 -> default/s2 -> ')).toBe(true);
    expect(m.endsWith(' -> default/s9999 -> default/s0: a request would recurse forever')).toBe(true);
  });
});
