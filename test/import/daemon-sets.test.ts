// Import of the platform's own DaemonSets: each becomes a cluster.daemonSets entry (its pods' requests and
// limits, the host network, the injection opt-out, which nodes it selects and tolerates), and the node pool
// the import assumes leaves room for them on every node. Istio's own (ztunnel, istio-cni) stay the mesh's.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const WEB = `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { istio-injection: enabled } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    spec:
      containers: [{ name: web, image: x/web, resources: { requests: { cpu: 200m, memory: 256Mi } } }]
    metadata: { labels: { app: web }, annotations: { sidecar.istio.io/proxyMemory: 64Mi, sidecar.istio.io/agentLogLevel: debug, proxy.istio.io/config: '{"concurrency": 2}' } }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`;

const daemonSet = (name: string, ns: string, spec: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: ${name}, namespace: ${ns} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
${spec}
`;

const FLUENT = daemonSet(
  'fluent-bit',
  'shop',
  `    metadata: { labels: { app: fluent-bit }, annotations: { sidecar.istio.io/inject: "false", sidecar.istio.io/proxyCPU: 10m } }
    spec:
      tolerations: [{ operator: Exists }]
      containers:
        - { name: fb, image: x/fb, resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: 256Mi } } }
        - { name: reloader, image: x/r, resources: { requests: { cpu: 50m, memory: 32Mi }, limits: { memory: 64Mi } } }`,
);
const EXPORTER = daemonSet(
  'node-exporter',
  'monitoring',
  `    metadata: { labels: { app: node-exporter } }
    spec:
      hostNetwork: true
      containers: [{ name: ne, image: x/ne }]
  updateStrategy: { type: RollingUpdate, rollingUpdate: { maxUnavailable: 10% } }`,
);
const ZTUNNEL = daemonSet(
  'ztunnel',
  'istio-system',
  `    metadata: { labels: { app: ztunnel } }
    spec:
      containers: [{ name: z, image: istio/ztunnel, resources: { requests: { cpu: 200m, memory: 512Mi } } }]`,
);

function load(parts: string[]) {
  const { manifests } = parseManifests(parts.join('---\n'), 'm.yaml');
  const r = importScenario(manifests, { sources: ['m.yaml'] });
  return { r, s: parseScenario(r.text, 'm.yaml') };
}

describe('import of DaemonSets', () => {
  it('the platform DaemonSets become cluster.daemonSets; Istio ztunnel stays the mesh component', () => {
    const { r, s } = load([WEB, FLUENT, EXPORTER, ZTUNNEL]);
    const ds = s.cluster.daemonSets!;
    expect(ds.map((d) => d.key)).toEqual(['monitoring/node-exporter', 'shop/fluent-bit']);
    const [exporter, fluent] = ds;
    // Both containers' requests summed, the pod's memory limit their sum (every container sets one).
    expect(fluent!.resources).toEqual({
      requests: { cpu: 0.15, memory: 160 * 2 ** 20 },
      limits: { memory: 320 * 2 ** 20 },
    });
    expect(fluent!.inject).toBe(false);
    expect(fluent!.sidecarResources).toEqual({ requests: { cpu: 0.01, memory: 0 } });
    expect(fluent!.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(fluent!.usage).toEqual(fluent!.resources.requests);
    expect(exporter).toMatchObject({ hostNetwork: true, resources: { requests: { cpu: 0, memory: 0 } } });
    expect(exporter!.updateStrategy).toEqual({
      type: 'RollingUpdate',
      maxSurge: { value: 0, percent: false },
      maxUnavailable: { value: 10, percent: true },
    });
    expect(fluent!.updateStrategy.maxUnavailable).toEqual({ value: 1, percent: false });
    expect(r.text).toContain('DaemonSet monitoring/node-exporter (m.yaml:');
    expect(r.text).toContain('no cpu or memory request (nothing reserved for it)');
    expect(r.text).toContain('set `usage` from your metrics');
    expect(r.text).not.toMatch(/name: ztunnel\n/);
  });

  it("a workload's sidecar resources and workers carry over; other per-pod proxy settings are named", () => {
    const { r, s } = load([WEB]);
    expect(s.services[0]!.sidecarResources).toEqual({ requests: { cpu: 0, memory: 64 * 2 ** 20 } });
    expect(r.text).toContain('sidecar.istio.io/agentLogLevel=debug (per-pod proxy settings');
    expect(r.text).not.toContain('sidecar.istio.io/proxyMemory=64Mi');
    // Its ProxyConfig sets only concurrency, which the service takes over: not named as unmodelled.
    expect(s.services[0]!.sidecarWorkers).toBe(2);
    expect(r.text).not.toContain('proxy.istio.io/config=');
  });

  it('the assumed node pool leaves room for them on every node', () => {
    // 20 web pods at 200m: 4 CPU; an m5.xlarge holds 3.92 x 0.7 (target fill) = 2.744 CPU. Without a
    // DaemonSet, 2 nodes; with one requesting 1.5 CPU on each, 1.244 left: 4 nodes, and the note says why.
    const many = WEB.replace('replicas: 2', 'replicas: 20');
    const big = daemonSet(
      'agent',
      'kube-system',
      `    metadata: { labels: { app: agent } }
    spec:
      containers: [{ name: a, image: x/a, resources: { requests: { cpu: 1500m, memory: 64Mi } } }]`,
    );
    const count = (parts: string[]) => load(parts).s.cluster.nodePools[0]!.count;
    expect(count([many])).toBe(3); // never fewer than one node per zone
    expect(count([many, big])).toBe(4);
    expect(load([many, big]).r.text).toContain('less what DaemonSets request on each (1.50 CPU');
  });
});
