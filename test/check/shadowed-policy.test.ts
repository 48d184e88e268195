// MSH413: a mesh-wide DestinationRule does not reach a service whose versions are split by weight (its
// subsets' rule is its own), and the simulator agrees (scenario/destination-rule.ts).
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/check/index.ts';
import { destinationPolicy, parseScenario } from '../../src/scenario/index.ts';

const text = (
  api: string,
  mesh = 'outlierDetection: { consecutive5xxErrors: 3 }',
) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: shop, labels: { istio-injection: enabled } }]
services:
  - { name: web, namespace: shop, calls: [{ to: api }] }
  - { name: api, namespace: shop, ${api} }
traffic: [{ name: in, to: web.shop, rate: 10/s }]
mesh: { trafficPolicy: { ${mesh} } }
`;
const WEIGHTED = 'versions: [{ name: v1, weight: 9 }, { name: v2, weight: 1 }]';

function check(api: string, mesh?: string) {
  const t = text(api, mesh);
  const s = parseScenario(t, 's.yaml');
  return { s, f: checkScenario(s, { file: 's.yaml', text: t }).filter((x) => x.code === 'MSH413') };
}

describe('MSH413 the mesh-wide DestinationRule and a service split into subsets', () => {
  it('warns at the service, naming what it loses, and the simulator runs it with the defaults', () => {
    const { s, f } = check(WEIGHTED);
    expect(f.map((x) => [x.severity, x.object.name, x.object.line])).toEqual([['warning', 'api', 9]]);
    expect(f[0]!.message).toContain('its outlier detection do not apply');
    const api = s.services.find((x) => x.name === 'api')!;
    const web = s.services.find((x) => x.name === 'web')!;
    expect(destinationPolicy(s, api)).toBeNull();
    expect(destinationPolicy(s, web)?.outlierDetection?.consecutive5xxErrors).toBe(3);
  });

  it('is quiet for versions without weights, for a service with its own policy, and for a mesh policy of defaults', () => {
    expect(check('versions: [{ name: v1 }, { name: v2 }]').f).toEqual([]);
    expect(check(`${WEIGHTED}, trafficPolicy: { outlierDetection: {} }`).f).toEqual([]);
    expect(check(WEIGHTED, 'loadBalancer: { localityLbSetting: { enabled: true } }').f).toEqual([]);
  });
});
