// Where replacements may go: never to a node closed to new pods (a silent node once the node controller
// taints it unreachable, a cordoned one while it drains; a DaemonSet pod keeps its node), and only where
// the pod's nodeSelector and tolerations allow.
import { describe, expect, it } from 'vitest';
import { NODE_CORDONED, NODE_UNREACHABLE } from '../../src/cluster/index.ts';
import { conserved, engineFor, scenario } from './helpers.ts';

const shop = (events: string, cpu = '100m') =>
  scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: closed }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4 }]
namespaces: [{ name: shop, labels: { team: a } }]
services:
  - { name: api, namespace: shop, replicas: 2, serviceTime: 1ms, resources: { requests: { cpu: ${cpu} } } }
traffic:
  - { name: load, to: api.shop, rate: 100/s, clients: 1, connection: per-request, timeout: 1s }
lifecycle: { podStartup: 2s }
events:
${events}
compare: [none]
simulation: { duration: 40s, warmup: 1s, replications: 1 }
`);

/** Where the third api pod goes when nothing is closed: the node the fault then takes away. */
function target(cpu = '100m', replicas = 3): number {
  const e = engineFor(shop(`  - { at: 15s, scale: api.shop, replicas: ${replicas} }`, cpu), 'none');
  e.run();
  return e.pods.node[e.w.placement.byOwner.get('shop/api')![2]!]!;
}

describe('nodes closed to new pods', () => {
  it('a scale-up while a node is silent and tainted unreachable places nothing on it', () => {
    const dead = target();
    // It dies at 2 s and is NotReady at 12 s: the scale-up at 15 s must go elsewhere.
    const events = [
      `  - { at: 2s, fault: node, selector: "${dead}", recovery: 100s, notReadyAfter: 10s }`,
      '  - { at: 15s, scale: api.shop, replicas: 3 }',
    ].join('\n');
    const e = engineFor(shop(events), 'none');
    e.run();
    const api = e.w.placement.byOwner.get('shop/api')!;
    expect(api).toHaveLength(3);
    expect(e.pods.node[api[2]!]).not.toBe(dead);
    expect(e.pods.node[api[2]!]).toBeGreaterThanOrEqual(0);
    expect(e.pods.readyCount('shop/api')).toBe(3);
    expect(e.host.room.closed(dead)).toBe(NODE_UNREACHABLE);
    expect(conserved(e)).toBe(true);
  });

  it('before NotReady the node is still open (the API server does not know yet)', () => {
    const dead = target();
    const early = engineFor(
      shop(
        `  - { at: 2s, fault: node, selector: "${dead}", recovery: 20s, notReadyAfter: 10s }\n  - { at: 5s, scale: api.shop, replicas: 3 }`,
      ),
      'none',
    );
    early.run();
    const api = early.w.placement.byOwner.get('shop/api')!;
    // Scheduled at 5 s, before the taint: it lands on the silent node, as kube-scheduler would.
    expect(early.pods.node[api[2]!]).toBe(dead);
    expect(early.host.room.closed(dead)).toBeNull();
  });

  it('no room outside the closed node: the pod waits Pending, and the reason names the taint', () => {
    // 3,500m pods, one per 4-vCPU node: two run, two nodes are free; one of those dies.
    const dead = target('3500m', 4);
    const events = [
      `  - { at: 2s, fault: node, selector: "${dead}", recovery: 100s, notReadyAfter: 10s }`,
      '  - { at: 15s, scale: api.shop, replicas: 4 }',
    ].join('\n');
    const e = engineFor(shop(events, '3500m'), 'none');
    e.run();
    const rec = e.autoscaling.find((a) => a.owner === 'shop/api')!;
    expect(rec.pendingAtEnd).toBe(1);
    expect(rec.pendingReason).toBe(`0/4 nodes are available: 1 ${NODE_UNREACHABLE}, 3 Insufficient cpu.`);
    expect(e.pods.readyCount('shop/api')).toBe(3);
  });

  it('reserve skips a closed node unless the pod is a DaemonSet pod bound to it', () => {
    const e = engineFor(shop('  - { at: 30s, scale: api.shop, replicas: 2 }'), 'none');
    e.host.room.close(2, NODE_CORDONED);
    const node = e.host.room.reserve(0.1, 1e6, 2);
    expect(node).toBeGreaterThanOrEqual(0);
    expect(node).not.toBe(2);
    e.host.room.unreserve(node, 0.1, 1e6);
    expect(e.host.room.reserve(0.1, 1e6, 2, { anyState: true })).toBe(2);
    // Opening it again tells the pods waiting for room.
    let told = 0;
    e.host.room.listeners.push(() => told++);
    e.host.room.close(2, null);
    expect(told).toBe(1);
    expect(e.host.room.closed(2)).toBeNull();
  });

  it("an evicted pod's replacement stays in the pool its nodeSelector names, however empty the other", () => {
    const pools = (node: number) =>
      scenario(`
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: pools }
cluster:
  nodePools:
    - { name: a, instanceType: m5.xlarge, count: 2, labels: { pool: a } }
    - { name: b, instanceType: m5.xlarge, count: 2, labels: { pool: b } }
namespaces: [{ name: shop, labels: { team: a } }]
services:
  - { name: api, namespace: shop, replicas: 2, serviceTime: 1ms, nodeSelector: { pool: a }, resources: { requests: { cpu: 1 } } }
traffic:
  - { name: load, to: api.shop, rate: 100/s, clients: 1, connection: per-request, timeout: 1s, clientPod: { nodeSelector: { pool: b } } }
lifecycle: { podStartup: 2s }
events:
  - { at: 2s, fault: node, selector: "${node}", recovery: 100s, notReadyAfter: 5s, evictAfter: 5s }
compare: [none]
simulation: { duration: 30s, warmup: 1s, replications: 1 }
`);
    const first = engineFor(pools(0), 'none');
    const api = first.w.placement.byOwner.get('shop/api')!;
    const dead = first.w.placement.pods[api[0]!]!.node;
    const e = engineFor(pools(dead), 'none');
    e.run();
    const nodes = e.w.placement.nodes;
    // Evicted at 12 s: the replacement runs on the other node of pool a, not on pool b's emptier nodes.
    for (const pod of api) {
      expect(nodes[e.pods.node[pod]!]!.labels.pool).toBe('a');
      expect(e.pods.node[pod]).not.toBe(dead);
    }
    expect(e.pods.readyCount('shop/api')).toBe(2);
  });
});
