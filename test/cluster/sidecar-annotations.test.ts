// A pod's own sidecar settings: its resources (sidecar.istio.io/proxyCPU, proxyMemory, proxyCPULimit,
// proxyMemoryLimit), as Istio's injection template applies them (any one replaces the mesh default whole),
// and its Envoy workers (proxy.istio.io/config concurrency, applied over the mesh default).
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { buildWorld } from '../../src/simulate/world/index.ts';

const Mi = 2 ** 20;

const text = (annotations: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: ann }
cluster:
  nodePools: [{ name: p, instanceType: custom, vcpu: 2, memory: 4Gi, systemReserved: { cpu: 0, memory: 0 }, count: 1 }]
namespaces: [{ name: shop, labels: { istio-injection: enabled } }]
services:
  - name: web
    namespace: shop
    replicas: 6
    resources: { requests: { cpu: 200m, memory: 64Mi } }
    annotations: { ${annotations} }
traffic:
  - { name: in, to: web.shop, rate: 10/s, clientMode: none }
`;

describe('sidecar resource annotations', () => {
  it('any of them replaces the mesh default whole; a limit alone is also the request', () => {
    const sidecar = (a: string) => parseScenario(text(a), 'a.yaml').services[0]!.sidecarResources;
    expect(sidecar('')).toBeUndefined();
    expect(sidecar('sidecar.istio.io/proxyCPU: 10m')).toEqual({ requests: { cpu: 0.01, memory: 0 } });
    expect(sidecar('sidecar.istio.io/proxyMemoryLimit: 100Mi, sidecar.istio.io/proxyCPU: "0.05"')).toEqual({
      requests: { cpu: 0.05, memory: 100 * Mi },
      limits: { memory: 100 * Mi },
    });
  });

  it('what the sidecar requests decides what fits: beside istiod (500m) on 2 cores, 6 pods at 200m + 10m, 5 at the default 100m', () => {
    const apps = (a: string) =>
      place(parseScenario(text(a), 'a.yaml'), 'sidecar').pods.filter((p) => p.kind === 'app');
    const placed = (a: string) => apps(a).filter((p) => p.node >= 0).length;
    expect(placed('')).toBe(5);
    expect(placed('sidecar.istio.io/proxyCPU: 10m')).toBe(6);
    const pod = apps('sidecar.istio.io/proxyCPU: 10m')[0]!;
    expect(pod.requests.sidecar).toEqual({ cpu: 0.01, memory: 0 });
    expect(pod.limits?.sidecar).toBeUndefined();
  });

  it('refuses a quantity Kubernetes would not take, at its annotation', () => {
    let err: unknown;
    try {
      parseScenario(text('sidecar.istio.io/proxyMemory: lots'), 'a.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const issue = (err as ScenarioError).issues[0]!;
    expect(issue.path).toBe('services[0].annotations["sidecar.istio.io/proxyMemory"]');
    expect(issue.line).toBe(12);
  });

  it('proxy.istio.io/config concurrency sets its sidecars’ workers over the mesh default', () => {
    const workers = (a: string) => {
      const s = parseScenario(text(a), 'a.yaml');
      const w = buildWorld(s, place(s, 'sidecar'));
      return new Set(Array.from(w.proxyWorkers));
    };
    // The mesh default (2) everywhere; the annotation's 1 or 3, YAML or JSON.
    expect(workers('')).toEqual(new Set([2]));
    expect(workers('proxy.istio.io/config: "concurrency: 1"')).toEqual(new Set([1]));
    expect(
      workers('proxy.istio.io/config: \'{"concurrency": 3, "holdApplicationUntilProxyStarts": true}\''),
    ).toEqual(new Set([3]));
    expect(
      parseScenario(text('proxy.istio.io/config: "concurrency: 1"'), 'a.yaml').services[0]!.sidecarWorkers,
    ).toBe(1);
    let err: unknown;
    try {
      parseScenario(text('proxy.istio.io/config: "concurrency: two"'), 'a.yaml');
    } catch (e) {
      err = e;
    }
    expect((err as ScenarioError).issues[0]!.path).toBe('services[0].annotations["proxy.istio.io/config"]');
  });
});
