// Calls entering through the ingress gateway: the hop templates of every architecture, with and without
// istio.io/ingress-use-waypoint, and the routes the simulator reports for them.
import { describe, expect, it } from 'vitest';
import {
  Attach,
  buildTemplates,
  EndpointKind,
  GATEWAY,
  ingressUsesWaypoint,
  ProtocolClass,
  type RouteTemplate,
  SIDECAR,
  templateIndex,
  Upstream,
  WAYPOINT,
  ZTUNNEL,
} from '../../src/mesh/index.ts';
import { type Architecture, parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';

const templates = buildTemplates(100);
const { Plain, Sidecar, Captured } = EndpointKind;
const { Http1, Multiplexed, Tcp } = ProtocolClass;
const KINDS = [Plain, Sidecar, Captured] as const;
const PROTOS = [Http1, Multiplexed, Tcp] as const;

const ingress = (
  dst: EndpointKind,
  waypoint: boolean,
  proto: ProtocolClass,
  src: EndpointKind = Plain,
): RouteTemplate => templates[templateIndex(src, dst, waypoint, proto, true)]!;
const shape = (t: RouteTemplate) =>
  t.steps.map(({ attach, proxyClass, linkBefore, tlsIn, upstream }) => [
    attach,
    proxyClass,
    linkBefore,
    tlsIn,
    upstream,
  ]);

describe('ingress templates', () => {
  it('have indices of their own, apart from the direct ones', () => {
    const direct = new Set<number>();
    const entering = new Set<number>();
    for (const s of KINDS)
      for (const d of KINDS)
        for (const w of [false, true])
          for (const p of PROTOS) {
            direct.add(templateIndex(s, d, w, p));
            entering.add(templateIndex(s, d, w, p, true));
          }
    expect(direct.size).toBe(54);
    expect(entering.size).toBe(54);
    for (const i of entering) expect(direct.has(i)).toBe(false);
  });

  it('treat the client as external whatever its own mode', () => {
    for (const d of KINDS)
      for (const w of [false, true])
        for (const p of PROTOS) for (const s of KINDS) expect(ingress(d, w, p, s)).toEqual(ingress(d, w, p));
  });

  it('no mesh: client -> gateway -> app, the gateway a plain reverse proxy picking per request', () => {
    const t = ingress(Plain, false, Http1);
    expect(t.name).toBe('client -> gateway -> app');
    expect(shape(t)).toEqual([[Attach.Gateway, GATEWAY, true, false, Upstream.PerEndpointPool]]);
    expect(t.linkToDst).toBe(true);
    expect(t.lbPerRequest).toBe(true);
    expect(t.l7Capable).toBe(true);
    // A waypoint label means nothing to a pod outside ambient.
    expect(ingress(Plain, true, Http1)).toEqual(t);
  });

  it('sidecar: the gateway sends mTLS to the callee sidecar', () => {
    for (const p of [Http1, Multiplexed]) {
      const t = ingress(Sidecar, false, p);
      expect(t.name).toBe('client -> gateway -> sidecar -> app');
      expect(shape(t)).toEqual([
        [Attach.Gateway, GATEWAY, true, false, Upstream.PerEndpointPool],
        [Attach.DstPod, SIDECAR, true, true, Upstream.Deliver],
      ]);
      expect(t.linkToDst).toBe(false);
      expect(ingress(Sidecar, true, p)).toEqual(t);
    }
  });

  it('ambient: HBONE to the callee node ztunnel, bypassing the waypoint without the label', () => {
    const t = ingress(Captured, false, Http1);
    expect(t.name).toBe('client -> gateway -> ztunnel -> app');
    expect(shape(t)).toEqual([
      [Attach.Gateway, GATEWAY, true, false, Upstream.PerEndpointPool],
      [Attach.DstNode, ZTUNNEL, true, true, Upstream.Deliver],
    ]);
  });

  it('ambient with istio.io/ingress-use-waypoint: gateway -> waypoint -> ztunnel', () => {
    const t = ingress(Captured, true, Http1);
    expect(t.name).toBe('client -> gateway -> waypoint -> ztunnel -> app');
    expect(shape(t)).toEqual([
      [Attach.Gateway, GATEWAY, true, false, Upstream.PerEndpointPool],
      [Attach.Pool, WAYPOINT, true, true, Upstream.PerEndpointPool],
      [Attach.DstNode, ZTUNNEL, true, true, Upstream.Deliver],
    ]);
  });

  it('tcp: one upstream connection per client connection, an HBONE stream towards ambient', () => {
    expect(shape(ingress(Plain, false, Tcp))[0]![4]).toBe(Upstream.OneToOne);
    expect(shape(ingress(Sidecar, false, Tcp))[0]![4]).toBe(Upstream.OneToOne);
    expect(shape(ingress(Captured, false, Tcp))[0]![4]).toBe(Upstream.StreamOverPool);
    for (const d of KINDS) expect(ingress(d, false, Tcp).lbPerRequest).toBe(false);
  });
});

describe('istio.io/ingress-use-waypoint', () => {
  it('is read as istiod reads it: the service label wins, "true" in any case opts in', () => {
    expect(ingressUsesWaypoint(undefined, undefined)).toBe(false);
    expect(ingressUsesWaypoint('true', undefined)).toBe(true);
    expect(ingressUsesWaypoint('TRUE', undefined)).toBe(true);
    expect(ingressUsesWaypoint(undefined, 'true')).toBe(true);
    expect(ingressUsesWaypoint('false', 'true')).toBe(false);
    expect(ingressUsesWaypoint('true', 'false')).toBe(true);
    expect(ingressUsesWaypoint('yes', undefined)).toBe(false);
  });
});

function scenario(serviceLabels: string, nsLabels = ''): string {
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: ingress }
cluster: { nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }] }
namespaces:
  - name: shop
    labels: { istio.io/dataplane-mode: ambient, istio-injection: disabled, istio.io/use-waypoint: wp${nsLabels} }
waypoints: [{ name: wp, namespace: shop }]
services:
  - { name: front, namespace: shop, replicas: 2, labels: { ${serviceLabels} } }
traffic: [{ name: web, to: front.shop, rate: 20/s, via: ingress }]
compare: [none, sidecar, ambient]
simulation: { duration: 1500ms, warmup: 1s, replications: 1 }
`;
}

const routes = (text: string, arch: Architecture) =>
  simulateArchitecture(parseScenario(text, 'ingress.yaml'), arch).edges.find(
    (e) => e.name === 'web -> shop/front',
  )?.routes;

describe('routes the simulator takes through the gateway', () => {
  it('in every architecture, through the waypoint only where the service opts in', () => {
    const plain = scenario('app: front');
    expect(routes(plain, 'none')).toEqual(['client -> gateway -> app']);
    expect(routes(plain, 'sidecar')).toEqual(['client -> gateway -> sidecar -> app']);
    expect(routes(plain, 'ambient')).toEqual(['client -> gateway -> ztunnel -> app']);
    const opted = scenario('istio.io/ingress-use-waypoint: "true"');
    expect(routes(opted, 'ambient')).toEqual(['client -> gateway -> waypoint -> ztunnel -> app']);
    expect(routes(opted, 'sidecar')).toEqual(['client -> gateway -> sidecar -> app']);
  });

  it('the namespace label applies unless the service says otherwise', () => {
    const ns = ', istio.io/ingress-use-waypoint: "true"';
    expect(routes(scenario('app: front', ns), 'ambient')).toEqual([
      'client -> gateway -> waypoint -> ztunnel -> app',
    ]);
    expect(routes(scenario('istio.io/ingress-use-waypoint: "false"', ns), 'ambient')).toEqual([
      'client -> gateway -> ztunnel -> app',
    ]);
  });
});
