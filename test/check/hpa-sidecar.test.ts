// MSH417: an HPA on the whole pod's CPU of a service that gets sidecars reads the sidecar's CPU and
// request too; a ContainerResource metric (`container: application`) does not.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/check/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const text = (o: {
  container?: string;
  labels?: string;
  annotations?: string;
  compare?: string;
}) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { ${o.labels ?? 'istio-injection: enabled'} } }]
services:
  - name: api
    namespace: app
    resources: { requests: { cpu: 300m } }${o.annotations ? `\n    annotations: { ${o.annotations} }` : ''}
    autoscaling: { maxReplicas: 5, targetCPUUtilization: 70${o.container ? `, container: ${o.container}` : ''} }
traffic: [{ name: in, to: api.app, rate: 10/s }]
compare: [${o.compare ?? 'none, sidecar, ambient'}]
`;

const findings = (o: Parameters<typeof text>[0]) => {
  const t = text(o);
  return checkScenario(parseScenario(t, 's.yaml'), { file: 's.yaml', text: t }).filter(
    (x) => x.code === 'MSH417',
  );
};

describe('MSH417 for a scenario service', () => {
  it("tells the sidecar's share of the pod's request, at the service", () => {
    const f = findings({});
    expect(f.map((x) => [x.severity, x.object.name, x.object.line])).toEqual([['info', 'api', 8]]);
    // 300m of its own and the mesh's 100m sidecar: 25 % of 400m.
    expect(f[0]!.message).toBe(
      "app/api scales on its pods' CPU at 70 %: with a sidecar the pod requests 400m, of which the sidecar 100m (25 %)",
    );
    // A pod's own sidecar request (its annotation) is the one counted.
    expect(findings({ annotations: 'sidecar.istio.io/proxyCPU: 300m' })[0]!.message).toContain(
      'requests 600m, of which the sidecar 300m (50 %)',
    );
  });

  it('is silent for a ContainerResource metric, or where its pods never get a sidecar', () => {
    expect(findings({ container: 'application' })).toEqual([]);
    expect(findings({ compare: 'none, ambient' })).toEqual([]);
    expect(findings({ labels: 'istio-injection: disabled', compare: 'as-labelled' })).toEqual([]);
    expect(findings({ annotations: 'sidecar.istio.io/inject: "false"', compare: 'none, sidecar' })).toEqual(
      [],
    );
  });
});
