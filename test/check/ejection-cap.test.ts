// MSH414: outlier detection whose maxEjectionPercent is below one host's share of its cluster ejects
// nothing (Envoy's ejectHost, always_eject_one_host off); a weighted subset is a cluster of its own.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/check/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const text = (api: string, mesh = '') => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: shop, labels: { istio-injection: enabled } }]
services:
  - { name: web, namespace: shop, replicas: 12, calls: [{ to: api }] }
  - { name: api, namespace: shop, ${api} }
traffic: [{ name: in, to: web.shop, rate: 10/s }]
${mesh}`;

function findings(api: string, mesh?: string) {
  const t = text(api, mesh);
  return checkScenario(parseScenario(t, 's.yaml'), { file: 's.yaml', text: t }).filter(
    (x) => x.code === 'MSH414',
  );
}

describe('MSH414 outlier detection that can never eject a host', () => {
  it("at Envoy's default 10 %, three hosts are too few: one would be 33 %", () => {
    const f = findings('replicas: 3, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } }');
    expect(f.map((x) => [x.severity, x.object.name])).toEqual([['warning', 'api']]);
    expect(f[0]!.message).toContain('shop/api (3 hosts)');
    expect(f[0]!.action).toContain('maxEjectionPercent to 34 or more');
  });

  it('is quiet where one host fits the cap, or without outlier detection', () => {
    expect(findings('replicas: 3, trafficPolicy: { outlierDetection: { maxEjectionPercent: 34 } }')).toEqual(
      [],
    );
    expect(findings('replicas: 3')).toEqual([]);
  });

  it('counts a weighted subset as its own cluster: a canary of one pod can never be ejected', () => {
    const api =
      'versions: [{ name: v1, replicas: 3, weight: 9 }, { name: v2, replicas: 1, weight: 1 }], trafficPolicy: { outlierDetection: { maxEjectionPercent: 50 } }';
    const f = findings(api);
    expect(f[0]!.message).toContain('shop/api subset v2 (1 host)');
    expect(f[0]!.message).not.toContain('subset v1');
    // Without weights the four pods are one cluster: 25 % fits.
    expect(findings(api.replace(', weight: 9', '').replace(', weight: 1', ''))).toEqual([]);
  });

  it("applies the mesh-wide policy to services without their own: api's 3 hosts are too few, web's 12 fit (8.3 %)", () => {
    const f = findings('replicas: 3', 'mesh: { trafficPolicy: { outlierDetection: {} } }\n');
    expect(f.map((x) => x.object.name)).toEqual(['api']);
  });
});
