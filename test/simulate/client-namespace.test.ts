// A load generator declared in a namespace (traffic[].clientPod.namespace) is meshed as that namespace's
// labels say, as its services are: istio.io/dataplane-mode: ambient puts it under ztunnel where the mesh
// is ambient, istio-injection: enabled gives it a sidecar where the mesh is sidecar; an explicit
// clientMode overrides the labels. Checked on the pods placed and on the hop path its requests take.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { type Architecture, parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';

function text(o: { labels: string; clientMode?: string; namespace?: string }): string {
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: client-namespace }
cluster:
  nodePools: [{ name: pool, instanceType: m5.xlarge, count: 2 }]
namespaces:
  - { name: app, labels: { istio-injection: enabled } }
  - { name: load, labels: ${o.labels} }
services:
  - { name: api, namespace: app, replicas: 1, serviceTime: 1ms }
traffic:
  - name: web
    to: api.app
    rate: 20/s
${o.clientMode ? `    clientMode: ${o.clientMode}\n` : ''}    clientPod: { namespace: ${o.namespace ?? 'load'} }
compare: [sidecar, ambient]
simulation: { duration: 3s, warmup: 1s, replications: 1 }
`;
}

const AMBIENT = '{ istio.io/dataplane-mode: ambient }';
const INJECTED = '{ istio-injection: enabled }';

function client(t: string, arch: Architecture) {
  const s = parseScenario(t, 'client.yaml');
  const pod = place(s, arch).pods.find((p) => p.kind === 'client')!;
  const route = simulateArchitecture(s, arch).edges[0]!.routes;
  return { pod, route };
}

describe('a load generator meshed by its namespace labels', () => {
  it('in an ambient-labelled namespace: captured by ztunnel under ambient, no sidecar', () => {
    const { pod, route } = client(text({ labels: AMBIENT }), 'ambient');
    expect(pod.namespace).toBe('load');
    expect(pod.name).toBe('load/web-client-0');
    expect(pod.captured).toBe(true);
    expect(pod.hasSidecar).toBe(false);
    expect(pod.requests.sidecar).toBeUndefined();
    expect(route.join(' ')).toMatch(/ztunnel/);
    expect(route.join(' ')).not.toMatch(/sidecar/);
  });

  it('in an injection-labelled namespace: a sidecar under sidecar', () => {
    const { pod, route } = client(text({ labels: INJECTED }), 'sidecar');
    expect(pod.hasSidecar).toBe(true);
    expect(pod.captured).toBe(false);
    expect(pod.requests.sidecar).toBeDefined();
    // Its own sidecar and the server's: two sidecar hops on the path.
    expect(route).toHaveLength(1);
    expect(route[0]!.match(/sidecar/g)?.length).toBe(2);
  });

  it('in an unlabelled namespace: outside the mesh in both architectures', () => {
    for (const arch of ['sidecar', 'ambient'] as const) {
      const { pod } = client(text({ labels: '{}' }), arch);
      expect(pod.hasSidecar).toBe(false);
      expect(pod.captured).toBe(false);
    }
  });

  it('clientMode overrides the labels', () => {
    const { pod } = client(text({ labels: AMBIENT, clientMode: 'none' }), 'ambient');
    expect(pod.namespace).toBe('load');
    expect(pod.captured).toBe(false);
  });

  it('an undeclared namespace is an input error at its field', () => {
    let err: unknown;
    try {
      parseScenario(text({ labels: AMBIENT, namespace: 'lod' }), 'client.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect(String((err as Error).message)).toMatch(/traffic\[0\]\.clientPod\.namespace/);
    expect(String((err as Error).message)).toMatch(/load/);
  });
});
