// MSH402 on a scenario: a headless service bound to a waypoint `for: service` loses it in ambient, as the
// simulation shows (test/simulate/headless.test.ts counts the bypassed calls).
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/check/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const text = (o: { forWhat?: string; headless?: boolean; compare?: string }) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces: [{ name: app, labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp } }]
waypoints: [{ name: wp, namespace: app, for: ${o.forWhat ?? 'service'} }]
services:
  - { name: db, namespace: app, replicas: 2, headless: ${o.headless ?? true} }
traffic: [{ name: in, to: db.app, rate: 10/s }]
compare: [${o.compare ?? 'none, sidecar, ambient'}]
`;

const findings = (o: Parameters<typeof text>[0]) => {
  const t = text(o);
  return checkScenario(parseScenario(t, 's.yaml'), { file: 's.yaml', text: t }).filter(
    (x) => x.code === 'MSH402',
  );
};

describe('MSH402 for a scenario service', () => {
  it('warns at a headless service whose waypoint is for services, where ambient is simulated', () => {
    const f = findings({});
    expect(f.map((x) => [x.severity, x.object.name, x.object.line])).toEqual([['warning', 'db', 9]]);
    expect(f[0]!.message).toBe(
      'app/db is headless and bound to waypoint wp (for: service): its callers address pods',
    );
    expect(findings({ compare: 'sidecar, as-labelled' })).toHaveLength(1);
  });

  it('is silent for a waypoint that takes pod traffic, a ClusterIP service, or no ambient run', () => {
    expect(findings({ forWhat: 'all' })).toEqual([]);
    expect(findings({ forWhat: 'workload' })).toEqual([]);
    expect(findings({ headless: false })).toEqual([]);
    expect(findings({ compare: 'none, sidecar' })).toEqual([]);
  });
});
