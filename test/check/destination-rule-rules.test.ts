// The DestinationRule checks: MSH413, a mesh-wide rule that does not reach a service whose versions are
// split by weight (its subsets' rule is its own), and MSH414, outlier detection whose maxEjectionPercent
// is below one host's share of its cluster, so it ejects nothing (Envoy's ejectHost, always_eject_one_host
// off; a weighted subset is a cluster of its own). The simulator agrees with both
// (scenario/destination-rule.ts, replication/outliers.ts).
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/check/index.ts';
import { destinationPolicy, parseScenario } from '../../src/scenario/index.ts';

const text = (api: string, mesh: string) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: shop, labels: { istio-injection: enabled } }]
services:
  - { name: web, namespace: shop, replicas: 12, calls: [{ to: api }] }
  - { name: api, namespace: shop, ${api} }
traffic: [{ name: in, to: web.shop, rate: 10/s }]
${mesh ? `mesh: { trafficPolicy: { ${mesh} } }\n` : ''}`;

function check(code: string, api: string, mesh = '') {
  const t = text(api, mesh);
  const s = parseScenario(t, 's.yaml');
  return { s, f: checkScenario(s, { file: 's.yaml', text: t }).filter((x) => x.code === code) };
}

const WEIGHTED = 'versions: [{ name: v1, weight: 9 }, { name: v2, weight: 1 }]';
const MESH_OD = 'outlierDetection: { consecutive5xxErrors: 3 }';

describe('MSH413 the mesh-wide DestinationRule and a service split into subsets', () => {
  const shadowed = (api: string, mesh = MESH_OD) => check('MSH413', api, mesh);

  it('warns at the service, naming what it loses, and the simulator runs it with the defaults', () => {
    const { s, f } = shadowed(WEIGHTED);
    expect(f.map((x) => [x.severity, x.object.name, x.object.line])).toEqual([['warning', 'api', 9]]);
    expect(f[0]!.message).toContain('its outlier detection does not apply');
    const api = s.services.find((x) => x.name === 'api')!;
    const web = s.services.find((x) => x.name === 'web')!;
    expect(destinationPolicy(s, api)).toBeNull();
    expect(destinationPolicy(s, web)?.outlierDetection?.consecutive5xxErrors).toBe(3);
  });

  it('is quiet for versions without weights, for a service with its own policy, and for a mesh policy of defaults', () => {
    expect(shadowed('versions: [{ name: v1 }, { name: v2 }]').f).toEqual([]);
    expect(shadowed(`${WEIGHTED}, trafficPolicy: { outlierDetection: {} }`).f).toEqual([]);
    expect(shadowed(WEIGHTED, 'loadBalancer: { localityLbSetting: { enabled: true } }').f).toEqual([]);
  });
});

describe('MSH414 outlier detection that can never eject a host', () => {
  const capped = (api: string, mesh = '') => check('MSH414', api, mesh).f;

  it("at Envoy's default 10 %, three hosts are too few: one would be 33 %", () => {
    const f = capped('replicas: 3, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } }');
    expect(f.map((x) => [x.severity, x.object.name])).toEqual([['warning', 'api']]);
    expect(f[0]!.message).toContain('shop/api (3 hosts, maxEjectionPercent 10 %)');
    expect(f[0]!.action).toContain('maxEjectionPercent to 34 or more');
  });

  it('is quiet where one host fits the cap, or without outlier detection', () => {
    expect(capped('replicas: 3, trafficPolicy: { outlierDetection: { maxEjectionPercent: 34 } }')).toEqual(
      [],
    );
    expect(capped('replicas: 3')).toEqual([]);
  });

  it('counts a weighted subset as its own cluster: a canary of one pod can never be ejected', () => {
    const api =
      'versions: [{ name: v1, replicas: 3, weight: 9 }, { name: v2, replicas: 1, weight: 1 }], trafficPolicy: { outlierDetection: { maxEjectionPercent: 50 } }';
    const f = capped(api);
    expect(f[0]!.message).toContain('shop/api subset v2 (1 host, maxEjectionPercent 50 %)');
    expect(f[0]!.message).not.toContain('subset v1');
    // Without weights the four pods are one cluster: 25 % fits.
    expect(capped(api.replace(', weight: 9', '').replace(', weight: 1', ''))).toEqual([]);
    // The canary's own subset policy may allow it.
    const own = api.replace(
      '{ name: v2, replicas: 1, weight: 1 }',
      '{ name: v2, replicas: 1, weight: 1, trafficPolicy: { outlierDetection: { maxEjectionPercent: 100 } } }',
    );
    expect(capped(own)).toEqual([]);
  });

  it("applies the mesh-wide policy to services without their own: api's 3 hosts are too few, web's 12 fit (8.3 %)", () => {
    expect(capped('replicas: 3', 'outlierDetection: {}').map((x) => x.object.name)).toEqual(['api']);
  });
});
