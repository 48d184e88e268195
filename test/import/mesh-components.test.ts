// Istio's own pods in the manifests set the simulated mesh: waypoint Deployments, ztunnel, istio-cni, istiod.
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

function workload(
  kind: string,
  name: string,
  ns: string,
  labels: string,
  cpu: string,
  memory: string,
  replicas = 2,
) {
  return (
    `apiVersion: apps/v1\nkind: ${kind}\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n${kind === 'DaemonSet' ? '' : `  replicas: ${replicas}\n`}` +
    `  selector: { matchLabels: { ${labels} } }\n  template:\n    metadata: { labels: { ${labels} } }\n    spec:\n` +
    `      containers: [{ name: c, image: x, resources: { requests: { cpu: ${cpu}, memory: ${memory} }, limits: { cpu: "2", memory: 1Gi } } }]\n`
  );
}

const BASE = [
  'apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: { istio.io/dataplane-mode: ambient } }\n',
  'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: wp, namespace: app }\nspec: { gatewayClassName: istio-waypoint }\n',
  workload('Deployment', 'api', 'app', 'app: api', '100m', '64Mi'),
  'apiVersion: v1\nkind: Service\nmetadata: { name: api, namespace: app, labels: { istio.io/use-waypoint: wp } }\nspec: { selector: { app: api }, ports: [{ port: 80 }] }\n',
];

describe('mesh components from the manifests', () => {
  it('reads the generated waypoint Deployment, ztunnel, istio-cni and istiod', () => {
    const text = [
      ...BASE,
      workload('Deployment', 'wp', 'app', 'gateway.networking.k8s.io/gateway-name: wp', '300m', '256Mi', 3),
      workload('DaemonSet', 'ztunnel', 'istio-system', 'app: ztunnel', '500m', '1Gi'),
      workload('DaemonSet', 'istio-cni-node', 'istio-system', 'k8s-app: istio-cni-node', '50m', '100Mi'),
      workload('Deployment', 'istiod', 'istio-system', 'app: istiod', '1', '2Gi', 2),
    ].join('---\n');
    const r = importScenario(parseManifests(text, 'm.yaml').manifests, { sources: ['m.yaml'] });
    const s = parseScenario(r.text, 's.yaml');
    expect(s.waypoints.map((w) => [w.name, w.replicas, w.resources.requests.cpu])).toEqual([['wp', 3, 0.3]]);
    expect(s.mesh.ztunnel.resources.requests).toEqual({ cpu: 0.5, memory: 2 ** 30 });
    expect(s.mesh.istioCni.resources.requests.cpu).toBeCloseTo(0.05);
    expect([s.mesh.istiod.replicas, s.mesh.istiod.resources.requests.cpu]).toEqual([2, 1]);
    // Istio's pods are not application services.
    expect(s.services.map((x) => x.name)).toEqual(['api']);
  });

  it('without them, keeps meshsim defaults and says the waypoint size is assumed', () => {
    const r = importScenario(parseManifests(BASE.join('---\n'), 'm.yaml').manifests, { sources: ['m.yaml'] });
    expect(r.text).toContain('replicas and resources: mesh.waypoint.defaults (assumed');
    expect(r.text).not.toMatch(/^mesh:/m);
  });
});

describe('node pools from Node objects', () => {
  const node = (name: string, type: string, zone: string, extra = '') =>
    `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  labels: { node.kubernetes.io/instance-type: ${type}, topology.kubernetes.io/zone: ${zone}${extra} }\n` +
    'status:\n  capacity: { cpu: "8", memory: 32Gi, pods: "110" }\n';
  it('groups nodes by instance type and capacity type; unknown types become custom pools', () => {
    const text = [
      ...BASE,
      node('a', 'm5.xlarge', 'us-east-1a'),
      node('b', 'm5.xlarge', 'us-east-1b'),
      node('c', 'm5.xlarge', 'us-east-1a', ', eks.amazonaws.com/capacityType: SPOT'),
      node('d', 'r7i.2xlarge', 'us-east-1c'),
    ].join('---\n');
    const s = parseScenario(
      importScenario(parseManifests(text, 'm.yaml').manifests, { sources: ['m.yaml'] }).text,
      's.yaml',
    );
    expect(
      s.cluster.nodePools.map((p) => [p.name, p.instanceType, p.count, p.zones, p.spot, p.vcpu]),
    ).toEqual([
      ['m5-xlarge', 'm5.xlarge', 2, ['us-east-1a', 'us-east-1b'], false, 4],
      ['m5-xlarge-spot', 'm5.xlarge', 1, ['us-east-1a'], true, 4],
      ['r7i-2xlarge', 'custom', 1, ['us-east-1c'], false, 8],
    ]);
  });
});

describe('revision-based injection', () => {
  it('a namespace with istio.io/rev is a sidecar namespace, said in a comment', () => {
    const text = [
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: app, labels: { istio.io/rev: 1-28 } }\n',
      workload('Deployment', 'api', 'app', 'app: api', '100m', '64Mi'),
    ].join('---\n');
    const r = importScenario(parseManifests(text, 'm.yaml').manifests, { sources: ['m.yaml'] });
    expect(parseScenario(r.text, 's.yaml').namespaces.find((n) => n.name === 'app')?.mode).toBe('sidecar');
    expect(r.text).toContain('istio.io/rev=1-28: revision-based injection');
  });
});
