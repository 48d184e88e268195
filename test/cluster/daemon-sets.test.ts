// The platform's own DaemonSets (cluster.daemonSets): a pod on each node its selection allows, bound there
// before the workloads, reserving what it requests; meshed as its namespace says unless it runs in the
// host's network, in kube-system or opted out.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

const text = (daemonSets: string, replicas = 8, count = 3) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: ds }
cluster:
  nodePools:
    - { name: a, instanceType: custom, vcpu: 4, memory: 16Gi, systemReserved: { cpu: 0, memory: 0 }, count: ${count} }
    - { name: gpu, instanceType: custom, vcpu: 4, memory: 16Gi, systemReserved: { cpu: 0, memory: 0 }, count: 1, labels: { accel: gpu }, taints: [{ key: gpu, effect: NoSchedule }] }
  daemonSets:
${daemonSets}
namespaces:
  - { name: shop, labels: { istio-injection: enabled } }
  - { name: logs, labels: { istio.io/dataplane-mode: ambient } }
services:
  - { name: web, namespace: shop, replicas: ${replicas}, resources: { requests: { cpu: 1, memory: 1Gi } }, serviceTime: 1ms }
traffic:
  - { name: in, to: web.shop, rate: 10/s }
`;

const ALL = `    - { name: fb, namespace: shop, resources: { requests: { cpu: 500m, memory: 256Mi } } }
    - { name: gpu-agent, namespace: logs, nodeSelector: { accel: gpu }, tolerations: [{ key: gpu, operator: Exists }] }
    - { name: ne, namespace: shop, hostNetwork: true, nodeSelector: { kubernetes.io/os: linux } }
    - { name: kp, namespace: kube-system, tolerations: [{ operator: Exists }] }
    - { name: quiet, namespace: shop, annotations: { sidecar.istio.io/inject: "false" } }`;

const daemons = (arch: 'none' | 'sidecar' | 'ambient', ds = ALL, replicas = 8) =>
  place(parseScenario(text(ds, replicas), 'ds.yaml'), arch).pods.filter((p) => p.kind === 'daemon');

describe('platform DaemonSets', () => {
  it('a pod on every node the selection and the taints allow, bound to it', () => {
    const pods = daemons('none');
    const on = (owner: string) => pods.filter((p) => p.owner === owner).map((p) => p.node);
    // Pool a's three nodes (0-2) carry no taint; the gpu node (3) is tainted and labelled.
    expect(on('shop/fb')).toEqual([0, 1, 2]);
    expect(on('logs/gpu-agent')).toEqual([3]);
    // The kubelet's kubernetes.io/os label is on every node; the taint still keeps ne off the gpu node.
    expect(on('shop/ne')).toEqual([0, 1, 2]);
    expect(on('kube-system/kp')).toEqual([0, 1, 2, 3]);
    expect(pods.every((p) => p.pinnedNode === p.node)).toBe(true);
  });

  it('meshed as its namespace, except in the host network, kube-system or opted out', () => {
    const mode = (arch: 'sidecar' | 'ambient', owner: string) =>
      daemons(arch).find((p) => p.owner === owner)!;
    expect(mode('sidecar', 'shop/fb')).toMatchObject({ hasSidecar: true, captured: false });
    expect(mode('sidecar', 'shop/fb').requests.sidecar).toBeDefined();
    expect(mode('ambient', 'shop/fb')).toMatchObject({ hasSidecar: false, captured: true });
    expect(mode('sidecar', 'logs/gpu-agent')).toMatchObject({ hasSidecar: true, captured: false });
    for (const arch of ['sidecar', 'ambient'] as const)
      for (const owner of ['shop/ne', 'kube-system/kp', 'shop/quiet'])
        expect(mode(arch, owner)).toMatchObject({
          hasSidecar: false,
          captured: owner === 'shop/quiet' && arch === 'ambient',
        });
    expect(daemons('none').every((p) => !p.hasSidecar && !p.captured)).toBe(true);
  });

  it('takes its requests off every node: pods that fitted no longer do', () => {
    // Each node of pool a holds four 1-CPU pods; a DaemonSet requesting 1 CPU leaves room for three.
    const s = (ds: string) => parseScenario(text(ds, 12), 'ds.yaml');
    const without = place(
      s('    - { name: tiny, namespace: shop, tolerations: [{ key: gpu, operator: Exists }] }'),
      'none',
    );
    expect(without.unschedulable).toEqual([]);
    const withDs = place(
      s(
        '    - { name: big, namespace: kube-system, resources: { requests: { cpu: 1 } }, tolerations: [{ operator: Exists }] }',
      ),
      'none',
    );
    // 3 nodes x 3 pods = 9 of the 12 web pods fit (the gpu node is tainted against them).
    expect(withDs.pods.filter((p) => p.kind === 'app' && p.node >= 0)).toHaveLength(9);
    expect(withDs.unschedulable).toHaveLength(3);
    // A DaemonSet's pods alone do not make a node used.
    expect(withDs.nodesUsed).toBe(3);
  });

  it('requests default to limits; usage to requests', () => {
    const s = parseScenario(
      text(
        '    - { name: lim, namespace: shop, resources: { limits: { cpu: 300m, memory: 64Mi } }, usage: { cpu: 50m } }',
      ),
      'ds.yaml',
    );
    const ds = s.cluster.daemonSets![0]!;
    expect(ds.resources.requests).toEqual({ cpu: 0.3, memory: 64 * 2 ** 20 });
    expect(ds.usage).toEqual({ cpu: 0.05, memory: 64 * 2 ** 20 });
  });

  it('refuses a DaemonSet named twice in a namespace, at its field', () => {
    let err: unknown;
    try {
      parseScenario(
        text('    - { name: x, namespace: shop }\n    - { name: x, namespace: shop }'),
        'ds.yaml',
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const issue = (err as ScenarioError).issues[0]!;
    expect([issue.path, issue.line]).toEqual(['cluster.daemonSets[1].name', 10]);
  });
});
