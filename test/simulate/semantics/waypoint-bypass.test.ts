// Mid-migration (issue 12 item 1): a sidecar namespace calls an ambient service bound to a waypoint.
// istiod gives sidecars the callee's pods without its waypoint (pilot/pkg/xds/endpoints/endpoint_builder.go),
// so only ambient callers load the waypoint, and every sidecar call bypasses its L7 policy: counted per
// edge and per entry point, and warned about.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/index.ts';
import { simulateArchitecture } from '../../../src/simulate/index.ts';
import { runEngine } from '../../helpers/scenario-text.ts';

const TEXT = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: migration }
cluster:
  nodePools:
    - { name: pool, instanceType: custom, vcpu: 16, memory: 64Gi, count: 2, zones: [zone-a], systemReserved: { cpu: 0, memory: 0 } }
namespaces:
  - { name: front, labels: { istio-injection: enabled } }
  - { name: back, labels: { istio.io/dataplane-mode: ambient } }
waypoints: [{ name: wp, namespace: back }]
services:
  - name: web
    namespace: front
    replicas: 2
    serviceTime: { constant: 1ms }
    calls: [{ to: api.back }]
  - name: amb
    namespace: back
    replicas: 2
    serviceTime: { constant: 1ms }
    calls: [{ to: api.back }]
  - name: api
    namespace: back
    labels: { istio.io/use-waypoint: wp }
    replicas: 2
    serviceTime: { constant: 1ms }
traffic:
  - { name: to-web, to: web.front, rate: 50/s, arrival: constant }
  - { name: to-amb, to: amb.back, rate: 20/s, arrival: constant }
compare: [as-labelled]
simulation: { duration: 4s, warmup: 1s, seed: 3, replications: 1 }
`;

describe('waypoint bypass mid-migration', () => {
  const s = parseScenario(TEXT, 'migration.yaml');

  it('only ambient callers reach the waypoint; sidecar calls are counted as bypassing it', () => {
    const { engine, world: w } = runEngine(s, 'as-labelled');
    const rec = engine.recorder;
    const edge = (name: string) => w.edges.find((e) => e.name === name)!.id;
    const fromWeb = edge('front/web -> back/api');
    const fromAmb = edge('back/amb -> back/api');
    expect(rec.edgeCalls[fromWeb]).toBeGreaterThan(100);
    expect(rec.edgeWaypointBypassed[fromWeb]).toBe(rec.edgeCalls[fromWeb]);
    expect(rec.edgeWaypointBypassed[fromAmb]).toBe(0);
    // The waypoint serves the ambient caller's calls only (the whole run, warm-up included).
    let waypointRequests = 0;
    for (let p = 0; p < w.nProxies; p++)
      if (w.classes[w.proxyClass[p]!]!.name === 'waypoint') waypointRequests += engine.proxies.requestsOf(p);
    const ambCalls = rec.edgeCalls[fromAmb]!;
    expect(waypointRequests).toBeGreaterThanOrEqual(ambCalls);
    expect(waypointRequests).toBeLessThanOrEqual(ambCalls * 1.4);
  });

  it('results carry the count per edge and per entry point, with the enforcement-gap warning', () => {
    const r = simulateArchitecture(s, 'as-labelled');
    const e = r.edges.find((x) => x.name === 'front/web -> back/api')!;
    expect(e.waypointBypassed.mean).toBe(e.rate.mean * 3);
    expect(r.edges.find((x) => x.name === 'back/amb -> back/api')!.waypointBypassed.mean).toBe(0);
    expect(r.entryPoints.every((x) => x.waypointBypassed.mean === 0)).toBe(true);
    expect(r.warnings).toContain(
      `front/web -> back/api: waypoint bypassed: L7 policy not enforced for ${e.waypointBypassed.mean} calls from sidecar callers`,
    );
  });
});
