// Outlier detection and locality failover in the balancing Envoys (replication/outliers.ts), driven by
// hand on a built world (each Envoy's own counters, ejection, return on the interval tick, backoff, max
// ejection percent, zone priorities), then end to end: a dead endpoint behind a crashed ztunnel, and the
// cross-zone bytes of sidecar callers.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { type Architecture, parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication, simulateArchitecture } from '../../src/simulate/index.ts';
import { templateFor } from '../../src/simulate/world/index.ts';

function text(
  o: { policy?: string; arch?: string; replicas?: number; gateways?: number; extra?: string } = {},
) {
  const labels =
    o.arch === 'sidecar'
      ? '{ istio-injection: enabled }'
      : o.arch === 'ambient'
        ? '{ istio.io/dataplane-mode: ambient }'
        : '{}';
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: outliers }
cluster: { nodePools: [{ name: p, instanceType: m5.xlarge, count: 3, zones: [a, b, c] }] }
namespaces: [{ name: shop, labels: ${labels} }]
mesh: { ingressGateway: { replicas: ${o.gateways ?? 1} } }
services:
  - name: api
    namespace: shop
    replicas: ${o.replicas ?? 3}
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: topology.kubernetes.io/zone }]
    serviceTime: 1ms
${o.policy ? `    trafficPolicy: ${o.policy}\n` : ''}traffic:
  - { name: web, to: api.shop, rate: 100/s, via: ingress }
compare: [${o.arch ?? 'none'}]
${o.extra ?? ''}simulation: { duration: 30s, warmup: 1s, replications: 1 }
`;
}

/** A replication built but not run, with a hand driver for one gateway Envoy's view of `api`. */
function rig(
  policy: string,
  o: { replicas?: number; gateways?: number; meshPolicy?: string; split?: boolean } = {},
) {
  let t = text({ ...(policy ? { policy } : {}), ...o });
  if (o.meshPolicy) t = t.replace('mesh: {', `mesh: { trafficPolicy: ${o.meshPolicy},`);
  // Versions split by weight: a VirtualService to subsets, which a DestinationRule of api's defines.
  if (o.split)
    t = t.replace(
      '    replicas: 3\n',
      '    versions: [{ name: v1, replicas: 2, weight: 3 }, { name: v2, replicas: 1, weight: 1 }]\n',
    );
  const s = parseScenario(t, 'o.yaml');
  const w = buildWorld(s, place(s, 'none'));
  const engine = new Replication(w, 'outliers');
  const edge = w.edges[w.entryEdges[0]!]!;
  const client = w.entryClients[0]![0]!;
  const api = [...w.services[0]!.pods];
  const gateways = [...edge.gatewayPods].map((p) => w.podProxy[p]!);
  const tpl = templateFor(edge, w.podKind[client]!, w.podKind[api[0]!]!);
  const { calls: k, outliers, balancing } = engine;
  /**
   * One attempt by gateway `g` to `pod` at `now`: failed past the gateway, answered, or (`late`) timed out
   * past the gateway and answered after that.
   */
  const attempt = (pod: number, now: number, ok: boolean | 'late', g = 0) => {
    const id = k.begin(edge.id, -1, client, now, false, 1);
    k.newAttempt(id);
    k.template[id] = tpl;
    k.dst[id] = pod;
    k.lb[id] = balancing.block(gateways[g]!, 0) + balancing.position[pod]!;
    if (ok === 'late') {
      k.step[id] = 1;
      outliers.timedOut(id, now);
      outliers.answered(id, now + 1);
    } else if (ok) outliers.answered(id, now);
    else outliers.failed(id, 1, now);
    k.release(id);
  };
  const allowed = (now: number, g = 0, key = 7) => [
    ...outliers.candidates(api, balancing.block(gateways[g]!, 0), gateways[g]!, 0, now, key, 0),
  ];
  return { w, api, attempt, allowed, outliers, engine };
}

const OD = (fields: string, lb = 'loadBalancer: { localityLbSetting: { enabled: false } }') =>
  `{ outlierDetection: { ${fields} }, ${lb} }`;

describe('outlier detection, one Envoy by hand', () => {
  it('ejects after N consecutive errors; an answer in between starts the count again', () => {
    const { api, attempt, allowed, outliers } = rig(OD('consecutive5xxErrors: 5, maxEjectionPercent: 50'));
    const bad = api[0]!;
    for (let i = 0; i < 4; i++) attempt(bad, 1, false);
    attempt(bad, 1.5, true);
    for (let i = 0; i < 4; i++) attempt(bad, 2, false);
    expect(allowed(2)).toEqual(api);
    attempt(bad, 2.5, false);
    expect(allowed(2.5)).toEqual(api.slice(1));
    expect(outliers.ejections).toBe(1);
  });

  it('counts a timeout as a 504, and the answer that comes after it as nothing', () => {
    const { api, attempt, allowed, outliers } = rig(OD('consecutive5xxErrors: 5, maxEjectionPercent: 50'));
    const bad = api[0]!;
    for (let i = 0; i < 4; i++) attempt(bad, 1, 'late');
    expect(allowed(5)).toEqual(api);
    attempt(bad, 5, 'late');
    expect(allowed(5)).toEqual(api.slice(1));
    expect(outliers.ejections).toBe(1);
  });

  it('keeps an ejected endpoint out for baseEjectionTime, back on the next interval tick, then twice as long', () => {
    const { api, attempt, allowed } = rig(
      OD('consecutive5xxErrors: 3, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50'),
    );
    const bad = api[1]!;
    for (let i = 0; i < 3; i++) attempt(bad, 12.5, false);
    // Out from 12.5 s; its 30 s are over at 42.5 s and the next tick is at 50 s.
    for (const t of [12.5, 20, 42.4, 42.6, 49.9]) expect(allowed(t), `t = ${t}`).not.toContain(bad);
    expect(allowed(50)).toContain(bad);
    // Ejected again 5 s after it returned: no tick has taken a backoff step off, so 2 x 30 s.
    for (let i = 0; i < 3; i++) attempt(bad, 55, false);
    expect(allowed(114.9)).not.toContain(bad);
    expect(allowed(120)).toContain(bad);
  });

  it('respects max ejection percent: a second of three endpoints is not ejected at 50 %, none at 10 %', () => {
    const half = rig(OD('consecutive5xxErrors: 2, maxEjectionPercent: 50'));
    for (const pod of half.api.slice(0, 2)) for (let i = 0; i < 2; i++) half.attempt(pod, 1, false);
    expect(half.allowed(1)).toEqual(half.api.slice(1));
    expect(half.outliers.overflows).toBe(1);
    // Envoy's default 10 %: with three hosts even one ejection would be 33 %.
    const tenth = rig(OD('consecutive5xxErrors: 2'));
    for (let i = 0; i < 2; i++) tenth.attempt(tenth.api[0]!, 1, false);
    expect(tenth.allowed(1)).toEqual(tenth.api);
    expect(tenth.outliers.ejections).toBe(0);
  });

  it('forgets an ejected endpoint that left the endpoint list (it no longer counts as ejected)', () => {
    const r = rig(OD('consecutive5xxErrors: 2, maxEjectionPercent: 50'));
    const [a, b] = r.api as [number, number];
    for (let i = 0; i < 2; i++) r.attempt(a, 1, false);
    r.engine.pods.setReady(a, false);
    // Two endpoints left, none ejected: one more ejection is 50 %, allowed.
    for (let i = 0; i < 2; i++) r.attempt(b, 2, false);
    expect(r.allowed(2, 0)).not.toContain(b);
    expect(r.outliers.ejections).toBe(2);
  });

  it('is each Envoy own view: what one gateway replica ejected, the other still sends to', () => {
    const { api, attempt, allowed } = rig(OD('consecutive5xxErrors: 2, maxEjectionPercent: 50'), {
      gateways: 2,
    });
    for (let i = 0; i < 2; i++) attempt(api[2]!, 1, false, 0);
    expect(allowed(1, 0)).not.toContain(api[2]);
    expect(allowed(1, 1)).toEqual(api);
  });

  it('takes the mesh-wide policy where the service has none of its own, which replaces it whole', () => {
    const mesh = OD('consecutive5xxErrors: 2, maxEjectionPercent: 50');
    const inherited = rig('', { meshPolicy: mesh });
    for (let i = 0; i < 2; i++) inherited.attempt(inherited.api[0]!, 1, false);
    expect(inherited.allowed(1)).not.toContain(inherited.api[0]);
    // A service DestinationRule without outlier detection: nothing is ejected.
    const own = rig('{ loadBalancer: { localityLbSetting: { enabled: false } } }', { meshPolicy: mesh });
    for (let i = 0; i < 2; i++) own.attempt(own.api[0]!, 1, false);
    expect(own.allowed(1)).toEqual(own.api);
  });

  it('not where its versions are split by weight: the DestinationRule defining the subsets is its own', () => {
    const mesh = OD('consecutive5xxErrors: 2, maxEjectionPercent: 50');
    const split = rig('', { meshPolicy: mesh, split: true });
    expect(split.api).toHaveLength(3);
    for (let i = 0; i < 2; i++) split.attempt(split.api[0]!, 1, false);
    expect(split.allowed(1)).toEqual(split.api);
    // Its own rule's policy applies to it as before.
    const own = rig(mesh, { split: true });
    for (let i = 0; i < 2; i++) own.attempt(own.api[0]!, 1, false);
    expect(own.allowed(1)).not.toContain(own.api[0]);
  });

  it('counts consecutive gateway errors apart from 5xx when configured', () => {
    const { api, attempt, allowed } = rig(
      OD('consecutive5xxErrors: 0, consecutiveGatewayErrors: 2, maxEjectionPercent: 50'),
    );
    attempt(api[0]!, 1, false);
    expect(allowed(1)).toEqual(api);
    attempt(api[0]!, 1, false);
    expect(allowed(1)).not.toContain(api[0]);
  });
});

describe('locality failover, by hand', () => {
  const zoneOf = (w: ReturnType<typeof rig>['w'], pod: number) => w.nodeZone[w.podNode[pod]!];

  it('sends everything to the Envoy zone while it is healthy, to the others once it is ejected', () => {
    const r = rig(OD('consecutive5xxErrors: 1, maxEjectionPercent: 50', ''));
    const gwZone =
      r.w.nodeZone[r.w.proxyNode[r.w.podProxy[r.w.edges[r.w.entryEdges[0]!]!.gatewayPods[0]!]!]!];
    const local = r.api.filter((p) => zoneOf(r.w, p) === gwZone);
    expect(local).toHaveLength(1);
    for (let key = 0; key < 50; key++) expect(r.allowed(1, 0, key)).toEqual(local);
    r.attempt(local[0]!, 1, false);
    for (let key = 0; key < 50; key++)
      expect(r.allowed(1, 0, key)).toEqual(r.api.filter((p) => p !== local[0]));
  });

  it('a waypoint picks from its own zone: each replica only the endpoints next to it', () => {
    const t = text({ arch: 'ambient', policy: '{ outlierDetection: {} }' })
      .replace(
        'labels: { istio.io/dataplane-mode: ambient }',
        'labels: { istio.io/dataplane-mode: ambient, istio.io/use-waypoint: wp }',
      )
      .replace('services:', 'waypoints: [{ name: wp, namespace: shop, replicas: 3 }]\nservices:')
      .replace('via: ingress', 'via: direct');
    const s = parseScenario(t, 'o.yaml');
    const w = buildWorld(s, place(s, 'ambient'));
    const engine = new Replication(w, 'outliers');
    const api = [...w.services[0]!.pods];
    const waypoints = [...w.edges[w.entryEdges[0]!]!.waypointPods];
    expect(waypoints).toHaveLength(3);
    const zones = new Set<number>();
    for (const wp of waypoints) {
      const zone = w.nodeZone[w.podNode[wp]!]!;
      zones.add(zone);
      for (let key = 0; key < 20; key++) {
        const proxy = w.podProxy[wp]!;
        const picked = engine.outliers.candidates(api, engine.balancing.block(proxy, 0), proxy, 0, 1, key, 0);
        expect(picked.map((p) => w.nodeZone[w.podNode[p]!])).toEqual([zone]);
      }
    }
    expect(zones.size).toBe(3);
  });

  it('does nothing without outlier detection (istiod sets no priorities then)', () => {
    const r = rig('{ loadBalancer: { localityLbSetting: { enabled: true } } }');
    expect(r.allowed(1)).toEqual(r.api);
  });

  it('splits 70/30 when half the local endpoints are out (healthy share x 1.4)', () => {
    // Six replicas spread over the three zones: two per zone.
    const r = rig(OD('consecutive5xxErrors: 1, maxEjectionPercent: 20', ''), { replicas: 6 });
    const gw = r.w.edges[r.w.entryEdges[0]!]!.gatewayPods[0]!;
    const gwZone = r.w.nodeZone[r.w.podNode[gw]!];
    const local = r.api.filter((p) => zoneOf(r.w, p) === gwZone);
    expect(local).toHaveLength(2);
    r.attempt(local[0]!, 1, false);
    const n = 4000;
    let stayed = 0;
    for (let key = 0; key < n; key++) if (r.allowed(1, 0, key).includes(local[1]!)) stayed++;
    const sd = Math.sqrt(n * 0.7 * 0.3);
    expect(Math.abs(stayed - 0.7 * n)).toBeLessThan(4 * sd);
  });
});

describe('end to end', () => {
  const run = (policy: string | undefined, arch: Architecture, extra = '') =>
    simulateArchitecture(parseScenario(text({ ...(policy ? { policy } : {}), arch, extra }), 'o.yaml'), arch);
  const FAULT = 'events: [{ at: 5s, fault: ztunnel, selector: 0, recovery: 20s }]\n';

  it('a dead endpoint behind a crashed ztunnel costs N retried attempts with outlier detection', () => {
    const result = run(OD('consecutive5xxErrors: 5, maxEjectionPercent: 50'), 'ambient', FAULT);
    const on = result.disruption.events[0]!;
    // The results say so on the entry edge: one ejection (one replication).
    expect(result.edges.find((e) => e.name === 'web -> shop/api')?.outlierEjections.mean).toBe(1);
    const off = run(undefined, 'ambient', FAULT).disruption.events[0]!;
    // One gateway Envoy: five connection failures to the dead pod, each retried elsewhere, then none.
    expect(on.requestsRetried).toBe(5);
    expect(on.requestsFailed).toBe(0);
    // Without it a third of 20 s x 100 requests/s keeps hitting the dead pod.
    expect(off.requestsRetried).toBeGreaterThan(400);
  });

  it('counts the requests a dead endpoint still gets: N per ejection, ejections 10 s, 20 s, 30 s long', () => {
    const policy = OD('consecutive5xxErrors: 5, maxEjectionPercent: 50, interval: 1s, baseEjectionTime: 10s');
    const t = text({ arch: 'ambient', policy, extra: FAULT.replace('20s', '60s') }).replace('30s', '80s');
    const s = parseScenario(t, 'o.yaml');
    const engine = new Replication(buildWorld(s, place(s, 'ambient')), 'outliers');
    engine.run();
    // Dead from 5 s to 65 s: ejected at about 5 s (back at the tick after 15 s), 16 s (2 x 10 s: back at
    // 37 s), 37 s (3 x 10 s: back after the ztunnel returned). Every request it got failed: refused ones
    // are retried elsewhere, one in flight when the ztunnel died was reset after sending (not retried by
    // Istio's default retryOn) and fails.
    expect(engine.outliers.ejections).toBe(3);
    const d = engine.disruption[0]!;
    expect(d.requestsRetried + d.requestsFailed).toBe(15);
    expect(d.requestsFailed).toBeLessThanOrEqual(d.connectionsReset);
  });

  it('sidecar callers with replicas in every zone send no cross-zone bytes under outlier detection', () => {
    const sidecars = (policy: string | undefined) =>
      simulateArchitecture(
        parseScenario(
          text({ arch: 'sidecar', ...(policy ? { policy } : {}) }).replace(
            'via: ingress',
            'clients: 3, clientMode: same-as-target, clientPod: { podAntiAffinity: [topology.kubernetes.io/zone] }',
          ),
          'o.yaml',
        ),
        'sidecar',
      ).network.crossZoneBytesPerSecond.mean;
    expect(sidecars('{ outlierDetection: {} }')).toBe(0);
    expect(sidecars(undefined)).toBeGreaterThan(0);
    expect(sidecars(OD(''))).toBeGreaterThan(0);
  });
});
