// The ingress and traffic-policy fields: positioned errors for bad values, and what they normalise to.
import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTLIER_DETECTION, parseScenario, ScenarioError } from '../../src/scenario/index.ts';

const HEAD = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools:
    - { name: p, instanceType: m5.xlarge, count: 2 }
`;

function messages(text: string): string[] {
  try {
    parseScenario(text, 'test.yaml');
  } catch (e) {
    if (e instanceof ScenarioError)
      return e.issues.map((i) => `${i.line}:${i.column}: ${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('ingress and traffic policy fields', () => {
  it('say where a bad value is and what was expected', () => {
    const out = messages(`${HEAD}mesh: { ingressGateway: { replicas: 0 } }
services:
  - name: a
    trafficPolicy: { outlierDetection: { maxEjectionPercent: 150, intervall: 1s } }
traffic:
  - { name: web, to: a, rate: 10/s, via: ingres }
`);
    expect(out).toHaveLength(4);
    expect(out.find((m) => m.includes('mesh.ingressGateway.replicas'))).toMatch(/^7:\d+: .*found "0"/);
    expect(out.find((m) => m.includes('maxEjectionPercent'))).toMatch(/^10:\d+: .*found "150"/);
    expect(out.find((m) => m.includes('intervall'))).toMatch(/did you mean "interval"/);
    expect(out.find((m) => m.includes('traffic[0].via'))).toMatch(/^12:\d+: .*did you mean "ingress"/);
  });

  it('fill Envoy defaults, read istio.io/ingress-use-waypoint, and take the mesh-wide policy as given', () => {
    const s = parseScenario(
      `${HEAD}namespaces: [{ name: shop, labels: { istio.io/ingress-use-waypoint: "true" } }]
mesh: { trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } } }
services:
  - name: a
    namespace: shop
    labels: { istio.io/ingress-use-waypoint: "false" }
    trafficPolicy: { outlierDetection: { baseEjectionTime: 400s }, loadBalancer: { localityLbSetting: { enabled: false } } }
traffic:
  - { name: web, to: a.shop, rate: 10/s, via: ingress }
`,
      'test.yaml',
    );
    expect(s.traffic[0]!.via).toBe('ingress');
    expect(s.namespaces[0]!.ingressUseWaypoint).toBe('true');
    expect(s.services[0]!.ingressUseWaypoint).toBe('false');
    expect(s.services[0]!.trafficPolicy).toEqual({
      outlierDetection: { ...DEFAULT_OUTLIER_DETECTION, baseEjectionTime: 400, maxEjectionTime: 400 },
      localityLb: false,
    });
    expect(s.mesh.trafficPolicy).toEqual({
      outlierDetection: { ...DEFAULT_OUTLIER_DETECTION, consecutive5xxErrors: 3 },
      localityLb: true,
    });
    expect(s.mesh.ingressGateway).toMatchObject({
      name: 'istio-ingress',
      namespace: 'istio-ingress',
      replicas: 1,
    });
  });
});
