// MSH415: ingress traffic to an ambient service bound to a waypoint goes to its pods, not through the
// waypoint, unless istio.io/ingress-use-waypoint says "true" on the Service (or, when the Service does not
// carry it, its namespace). The simulator routes it so too: the gateway's template has no waypoint hop.
import { describe, expect, it } from 'vitest';
import { checkManifests, checkScenario } from '../../src/check/index.ts';
import { parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulate } from '../../src/simulate/index.ts';

interface Opts {
  nsLabel?: string;
  svcLabel?: string;
  via?: string;
  l7?: boolean;
  mode?: string;
  rate?: string;
  extra?: string;
  mesh?: string;
}

const text = (o: Opts = {}) => `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: t }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }]
namespaces:
  - name: shop
    labels: { ${o.mode ?? 'istio.io/dataplane-mode: ambient'}${o.nsLabel ? `, istio.io/ingress-use-waypoint: "${o.nsLabel}"` : ''} }
waypoints: [{ name: wp, namespace: shop }]
services:
  - name: web
    namespace: shop
    replicas: 2
    labels: { istio.io/use-waypoint: wp${o.svcLabel ? `, istio.io/ingress-use-waypoint: "${o.svcLabel}"` : ''} }
traffic: [{ name: in, to: web.shop, rate: ${o.rate ?? '50/s'}, via: ${o.via ?? 'ingress'}${o.l7 ? ', l7: true' : ''}${o.extra ?? ''} }]
simulation: { duration: 3s, warmup: 1s, replications: 1 }
${o.mesh ?? ''}`;

function findings(o: Opts = {}, code = 'MSH415') {
  const t = text(o);
  const s = parseScenario(t, 's.yaml');
  return checkScenario(s, { file: 's.yaml', text: t }).filter((x) => x.code === code);
}

describe('MSH415 ingress traffic bypasses the service waypoint', () => {
  it('warns at the service when the gateway sends to an ambient service bound to a waypoint', () => {
    const f = findings({ l7: true });
    expect(f.map((x) => [x.severity, x.object.name, x.object.line])).toEqual([['warning', 'web', 11]]);
    expect(f[0]!.message).toContain(
      'bound to waypoint wp, and entry point(s) in reach it through the ingress gateway',
    );
    expect(f[0]!.message).toContain('in need L7 at the callee');
  });

  it('is quiet with the opt-in on the Service or its namespace, for direct entries, and outside ambient', () => {
    expect(findings({ svcLabel: 'true' })).toEqual([]);
    expect(findings({ nsLabel: 'True' })).toEqual([]);
    expect(findings({ via: 'direct' })).toEqual([]);
    // A namespace left out of the mesh stays out under every architecture.
    expect(findings({ mode: 'team: x' })).toEqual([]);
  });

  it("the Service's own label wins over its namespace's", () => {
    expect(findings({ nsLabel: 'true', svcLabel: 'false' })).toHaveLength(1);
  });

  it('agrees with the simulator: the waypoint is bypassed exactly where the check warns', () => {
    const bypassed = (o: Opts) => {
      const r = simulate(parseScenario(text(o), 's.yaml'), { file: 's.yaml' });
      const ambient = r.architectures.find((a) => a.architecture === 'ambient')!;
      return ambient.entryPoints.find((e) => e.name === 'in')!;
    };
    const warned = bypassed({});
    const opted = bypassed({ svcLabel: 'true' });
    // Every measured request of the entry bypasses the waypoint, or none does.
    expect(warned.waypointBypassed.mean).toBe(warned.offered.mean);
    expect(warned.offered.mean).toBeGreaterThan(0);
    expect(opted.waypointBypassed.mean).toBe(0);
  });

  it('reads manifests: a Gateway API ingress in front of a waypoint-bound ambient service', () => {
    const docs = [
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop, labels: { istio.io/dataplane-mode: ambient } }\n',
      'apiVersion: v1\nkind: Service\nmetadata: { name: web, namespace: shop, labels: { istio.io/use-waypoint: wp } }\nspec:\n  selector: { app: web }\n  ports: [{ port: 80, name: http }]\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: shop }\nspec:\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n      containers: [{ name: c, image: x }]\n',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: wp, namespace: shop }\nspec:\n  gatewayClassName: istio-waypoint\n',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: edge, namespace: shop }\nspec:\n  gatewayClassName: istio\n',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: edge, namespace: shop }\nspec:\n  parentRefs: [{ name: edge }]\n  rules: [{ backendRefs: [{ name: web, port: 80 }] }]\n',
    ];
    const { manifests } = parseManifests(docs.join('---\n'), 't.yaml');
    const f = checkManifests(manifests, ['t.yaml']).findings.filter((x) => x.code === 'MSH415');
    expect(f.map((x) => x.object.name)).toEqual(['web']);
  });
});

describe('MSH408 the ingress gateway too small for the load through it', () => {
  const capacity = (o: Opts) => findings(o, 'MSH408').filter((f) => f.object.name === 'ingressGateway');

  it("by hand: each request costs the gateway its hop; it warns above the request and errs above the limit's cores", () => {
    // The default gateway: 100m requested, a 2-CPU limit (2 workers), a waypoint's cost per request.
    const s = parseScenario(text({ svcLabel: 'true' }), 's.yaml');
    const c = s.mesh.ingressGateway.cost;
    const perRequest =
      c.cpuPerRequest + c.cpuPerKiB * ((s.traffic[0]!.requestSize + s.traffic[0]!.responseSize) / 1024);
    const at = (cores: number) => `${Math.ceil(cores / perRequest)}/s`;
    expect(capacity({ svcLabel: 'true', rate: at(0.09) })).toEqual([]);
    const warned = capacity({ svcLabel: 'true', rate: at(0.2) });
    expect(warned.map((f) => [f.severity, f.title])).toEqual([
      ['warning', 'ingress gateway too small for the simulated load'],
    ]);
    expect(capacity({ svcLabel: 'true', rate: at(2.5) }).map((f) => f.severity)).toEqual(['error']);
    // Two replicas halve each one's share: 0.18 cores is 0.09 each, under the 100m request.
    expect(capacity({ svcLabel: 'true', rate: at(0.18) })).toHaveLength(1);
    const two = capacity({
      svcLabel: 'true',
      rate: at(0.18),
      mesh: 'mesh: { ingressGateway: { replicas: 2 } }',
    });
    expect(two.map((f) => f.severity)).toEqual([]);
    // With an HPA the gateway can run its maximum: 0.3 cores over at most 4 replicas is under the request.
    const hpa = 'mesh: { ingressGateway: { autoscaling: { maxReplicas: 4 } } }';
    expect(capacity({ svcLabel: 'true', rate: at(0.3), mesh: hpa })).toEqual([]);
    expect(capacity({ svcLabel: 'true', rate: at(0.5), mesh: hpa })[0]!.message).toContain(
      "each of its HPA's 4 replicas at most",
    );
  });

  it('a TLS handshake per request on a connection per request; the waypoint counts ingress load only where it is used', () => {
    const s = parseScenario(text({}), 's.yaml');
    const c = s.mesh.ingressGateway.cost;
    const rate = Math.ceil(0.15 / (c.cpuPerHandshake + c.cpuPerRequest));
    const tls = ', tls: true, connection: per-request';
    expect(capacity({ rate: `${rate}/s`, extra: tls }).map((f) => f.title)).toEqual([
      'ingress gateway too small for the simulated load',
    ]);
    // At a rate the waypoint's 2 cores cannot take: bypassed, it is not loaded; opted in, it is.
    const heavy = `${Math.ceil(2.5 / s.mesh.waypoint.cost.cpuPerRequest)}/s`;
    const waypointFindings = (o: Opts) =>
      findings({ ...o, rate: heavy, mesh: 'mesh: { ingressGateway: { replicas: 20 } }' }, 'MSH408').map(
        (f) => f.title,
      );
    expect(waypointFindings({})).not.toContain('waypoint too small for the simulated load');
    expect(waypointFindings({ svcLabel: 'true' })).toContain('waypoint too small for the simulated load');
  });
});
