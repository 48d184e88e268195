// MSH418: a headless Service called over TCP gives every sidecar that holds it a listener per pod, and
// each of its endpoint changes is a full push to them; by hand on a small cluster.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/check/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const text = (o: {
  protocol?: string;
  headless?: boolean;
  scope?: string;
  compare?: string;
}) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 3 }]
namespaces: [{ name: app, labels: { istio-injection: enabled } }]
mesh: { sidecar: { scope: ${o.scope ?? 'mesh'} } }
services:
  - { name: web, namespace: app, replicas: 2, calls: [{ to: kafka, protocol: ${o.protocol ?? 'tcp'} }] }
  - { name: kafka, namespace: app, replicas: 3, headless: ${o.headless ?? true} }
  - { name: other, namespace: app, replicas: 4 }
traffic: [{ name: in, to: web.app, rate: 10/s }]
compare: [${o.compare ?? 'none, sidecar, ambient'}]
`;

const findings = (o: Parameters<typeof text>[0]) => {
  const t = text(o);
  return checkScenario(parseScenario(t, 's.yaml'), { file: 's.yaml', text: t }).filter(
    (x) => x.code === 'MSH418',
  );
};

describe('MSH418 for a scenario service', () => {
  it('counts the listeners every sidecar holding it gets, at the service', () => {
    const f = findings({});
    expect(f.map((x) => [x.severity, x.object.name, x.object.line])).toEqual([['info', 'kafka', 10]]);
    // Unscoped, all 9 sidecars hold it: web's 2 and other's 4 get 3 listeners each, kafka's 3 get 2 each.
    expect(f[0]!.message).toMatch(
      /each of the 9 sidecars that hold it gets a listener per pod \(3\), 24 in all, about 2\.2 MiB/,
    );
    // Scoped to their callees, only web's sidecars and kafka's own hold it: 2 x 3 + 3 x 2 = 12.
    expect(findings({ scope: 'callees' })[0]!.message).toContain('each of the 5 sidecars that hold it');
    expect(findings({ scope: 'callees' })[0]!.message).toContain('12 in all');
  });

  it('is silent for HTTP callers, a ClusterIP service, or no sidecar run', () => {
    expect(findings({ protocol: 'http1' })).toEqual([]);
    expect(findings({ headless: false })).toEqual([]);
    expect(findings({ compare: 'none, ambient' })).toEqual([]);
  });
});
