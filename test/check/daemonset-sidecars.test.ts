// MSH416: a platform DaemonSet whose pods get sidecars in sidecar mode: one per node it runs on, each with
// the sidecar's request, each a proxy istiod serves. None where its pods are never injected.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/check/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const text = (ds: string, compare = '[none, sidecar, ambient]') => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 4 }]
  daemonSets:
    - ${ds}
namespaces: [{ name: logs, labels: { istio-injection: enabled } }]
services: [{ name: web, namespace: logs, replicas: 1 }]
traffic: [{ name: in, to: web.logs, rate: 10/s }]
compare: ${compare}
`;

function findings(ds: string, compare?: string) {
  const t = text(ds, compare);
  return checkScenario(parseScenario(t, 's.yaml'), { file: 's.yaml', text: t }).filter(
    (x) => x.code === 'MSH416',
  );
}

describe('MSH416 a DaemonSet carries a sidecar on every node', () => {
  it('names its pods, what their sidecars request on each node and in all, at its line', () => {
    const f = findings('{ name: fb, namespace: logs, updateStrategy: { maxUnavailable: 25% } }');
    expect(f.map((x) => [x.severity, x.object.kind, x.object.name, x.object.line])).toEqual([
      ['info', 'DaemonSet', 'fb', 7],
    ]);
    // The mesh's default sidecar request, 100m and 128Mi, on each of the 4 nodes.
    expect(f[0]!.message).toContain('4 pods of logs/fb get a sidecar');
    expect(f[0]!.message).toContain('100m CPU and 128Mi requested on each node (400m, 512Mi in all)');
    expect(f[0]!.architectures?.sidecar).toContain('25% of the nodes at a time');
  });

  it('says nothing where its pods are never injected, or sidecar mode is not compared', () => {
    expect(findings('{ name: fb, namespace: logs, hostNetwork: true }')).toEqual([]);
    expect(findings('{ name: fb, namespace: kube-system }')).toEqual([]);
    expect(
      findings('{ name: fb, namespace: logs, annotations: { sidecar.istio.io/inject: "false" } }'),
    ).toEqual([]);
    expect(findings('{ name: fb, namespace: logs }', '[none, ambient]')).toEqual([]);
  });
});
