// The hop templates every (caller kind, callee kind, waypoint, protocol) becomes: structure and names.
import { describe, expect, it } from 'vitest';
import {
  Attach,
  buildTemplates,
  EndpointKind,
  type HopStep,
  ProtocolClass,
  protocolClass,
  type RouteTemplate,
  SIDECAR,
  templateIndex,
  Upstream,
  WAYPOINT,
  ZTUNNEL,
} from '../../src/mesh/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';
import { loadBundled } from '../helpers/bundled.ts';

const STREAMS = 100;
const templates = buildTemplates(STREAMS);
const { Plain, Sidecar, Captured } = EndpointKind;
const { Http1, Multiplexed, Tcp } = ProtocolClass;
const KINDS = [Plain, Sidecar, Captured] as const;
const PROTOS = [Http1, Multiplexed, Tcp] as const;

function tpl(src: EndpointKind, dst: EndpointKind, waypoint: boolean, proto: ProtocolClass): RouteTemplate {
  const t = templates[templateIndex(src, dst, waypoint, proto)];
  if (!t) throw new Error('missing template');
  return t;
}

/** The fields of a step a test states by hand (streams and multiplexing are checked separately). */
type Shape = Pick<HopStep, 'attach' | 'proxyClass' | 'linkBefore' | 'tlsIn' | 'upstream'>;
const shape = (t: RouteTemplate): Shape[] =>
  t.steps.map(({ attach, proxyClass, linkBefore, tlsIn, upstream }) => ({
    attach,
    proxyClass,
    linkBefore,
    tlsIn,
    upstream,
  }));

const step = (
  attach: Attach,
  proxyClass: number,
  linkBefore: boolean,
  tlsIn: boolean,
  upstream: Upstream,
): Shape => ({ attach, proxyClass, linkBefore, tlsIn, upstream });

describe('template table', () => {
  it('has one template per (src, dst, waypoint, protocol), at distinct indices', () => {
    const seen = new Set<number>();
    for (const s of KINDS)
      for (const d of KINDS)
        for (const w of [false, true])
          for (const p of PROTOS) {
            const i = templateIndex(s, d, w, p);
            expect(seen.has(i)).toBe(false);
            seen.add(i);
            expect(templates[i]).toBeDefined();
          }
    expect(seen.size).toBe(54);
    // As many again enter through the ingress gateway (ingress-route.test.ts), then 36 of a sidecar's
    // PassthroughCluster and REGISTRY_ONLY (test/simulate/passthrough.test.ts), 9 of a sidecar's call to a
    // headless Service (below).
    expect(templates.length).toBe(108 + 36 + 9);
  });

  it('maps protocols to classes', () => {
    expect(protocolClass('http1')).toBe(Http1);
    expect(protocolClass('http2')).toBe(Multiplexed);
    expect(protocolClass('grpc')).toBe(Multiplexed);
    expect(protocolClass('tcp')).toBe(Tcp);
  });

  it('carries the HBONE stream limit and the multiplexing flag on every step', () => {
    const custom = buildTemplates(7);
    for (const s of KINDS)
      for (const d of KINDS)
        for (const w of [false, true])
          for (const p of PROTOS)
            for (const st of custom[templateIndex(s, d, w, p)]!.steps) {
              expect(st.streamsPerConnection).toBe(7);
              expect(st.multiplexed).toBe(p === Multiplexed);
            }
  });

  it('names every template after its hops, app (or external client) to app', () => {
    for (const t of templates.filter((x) => !x.passthrough && !x.name.includes('(headless)'))) {
      const hops = t.steps.map((s) => ['sidecar', 'ztunnel', 'waypoint', 'gateway'][s.proxyClass]);
      const from = t.steps[0]?.attach === Attach.Gateway ? 'client' : 'app';
      expect(t.name).toBe([from, ...hops, 'app'].join(' -> '));
    }
  });
});

describe('no mesh: plain -> plain', () => {
  it.each(PROTOS)('protocol class %i: app -> app over one link', (p) => {
    for (const w of [false, true]) {
      const t = tpl(Plain, Plain, w, p);
      expect(t.name).toBe('app -> app');
      expect(t.steps).toEqual([]);
      expect(t.linkToDst).toBe(true);
      expect(t.lbPerRequest).toBe(false);
      expect(t.l7Capable).toBe(false);
    }
  });
});

describe('sidecar -> sidecar', () => {
  it('http: caller sidecar (pooled per endpoint, picks the endpoint per request) -> mTLS -> callee sidecar', () => {
    for (const p of [Http1, Multiplexed]) {
      const t = tpl(Sidecar, Sidecar, false, p);
      expect(t.name).toBe('app -> sidecar -> sidecar -> app');
      expect(shape(t)).toEqual([
        step(Attach.SrcPod, SIDECAR, false, false, Upstream.PerEndpointPool),
        step(Attach.DstPod, SIDECAR, true, true, Upstream.Deliver),
      ]);
      expect(t.linkToDst).toBe(false);
      expect(t.lbPerRequest).toBe(true);
      expect(t.l7Capable).toBe(true);
    }
  });

  it('tcp: one upstream connection per downstream connection, endpoint fixed per connection', () => {
    const t = tpl(Sidecar, Sidecar, false, Tcp);
    expect(t.name).toBe('app -> sidecar -> sidecar -> app');
    expect(shape(t)).toEqual([
      step(Attach.SrcPod, SIDECAR, false, false, Upstream.OneToOne),
      step(Attach.DstPod, SIDECAR, true, true, Upstream.Deliver),
    ]);
    expect(t.lbPerRequest).toBe(false);
    expect(t.l7Capable).toBe(true);
  });

  it('ignores a waypoint binding: sidecars do L7 themselves', () => {
    for (const p of PROTOS) expect(tpl(Sidecar, Sidecar, true, p)).toEqual(tpl(Sidecar, Sidecar, false, p));
  });
});

describe('plain <-> sidecar', () => {
  it('plain -> sidecar: only the callee sidecar, plaintext in, no per-request balancing', () => {
    for (const p of PROTOS) {
      const t = tpl(Plain, Sidecar, false, p);
      expect(t.name).toBe('app -> sidecar -> app');
      expect(shape(t)).toEqual([step(Attach.DstPod, SIDECAR, true, false, Upstream.Deliver)]);
      expect(t.linkToDst).toBe(false);
      expect(t.lbPerRequest).toBe(false);
      expect(t.l7Capable).toBe(true);
    }
  });

  it('sidecar -> plain: only the caller sidecar, then a plain link to the callee', () => {
    const http = tpl(Sidecar, Plain, false, Http1);
    expect(http.name).toBe('app -> sidecar -> app');
    expect(shape(http)).toEqual([step(Attach.SrcPod, SIDECAR, false, false, Upstream.PerEndpointPool)]);
    expect(http.linkToDst).toBe(true);
    expect(http.lbPerRequest).toBe(true);
    const tcp = tpl(Sidecar, Plain, false, Tcp);
    expect(shape(tcp)).toEqual([step(Attach.SrcPod, SIDECAR, false, false, Upstream.OneToOne)]);
    expect(tcp.lbPerRequest).toBe(false);
  });
});

describe('ambient: captured -> captured', () => {
  it('caller node ztunnel streams over a pooled HBONE connection to the callee node ztunnel', () => {
    for (const p of PROTOS) {
      const t = tpl(Captured, Captured, false, p);
      expect(t.name).toBe('app -> ztunnel -> ztunnel -> app');
      expect(shape(t)).toEqual([
        step(Attach.SrcNode, ZTUNNEL, false, false, Upstream.StreamOverPool),
        step(Attach.DstNode, ZTUNNEL, true, true, Upstream.Deliver),
      ]);
      expect(t.steps[0]!.streamsPerConnection).toBe(STREAMS);
      expect(t.linkToDst).toBe(false);
      // ztunnel is L4: the endpoint is fixed per connection and L7 policy does not apply.
      expect(t.lbPerRequest).toBe(false);
      expect(t.l7Capable).toBe(false);
    }
  });

  it('with a waypoint: ztunnel -> waypoint -> ztunnel; the waypoint pools per endpoint for http, HBONE for tcp', () => {
    for (const p of PROTOS) {
      const t = tpl(Captured, Captured, true, p);
      expect(t.name).toBe('app -> ztunnel -> waypoint -> ztunnel -> app');
      expect(shape(t)).toEqual([
        step(Attach.SrcNode, ZTUNNEL, false, false, Upstream.StreamOverPool),
        // Raw TCP leaves the waypoint as an HBONE stream to the callee's ztunnel, over a pooled connection.
        step(
          Attach.Pool,
          WAYPOINT,
          true,
          true,
          p === Tcp ? Upstream.StreamOverPool : Upstream.PerEndpointPool,
        ),
        step(Attach.DstNode, ZTUNNEL, true, true, Upstream.Deliver),
      ]);
      expect(t.lbPerRequest).toBe(p !== Tcp);
      expect(t.l7Capable).toBe(true);
    }
  });

  it('plain -> captured: only the callee ztunnel, plaintext in, and never through the waypoint', () => {
    for (const p of PROTOS)
      for (const w of [false, true]) {
        const t = tpl(Plain, Captured, w, p);
        expect(t.name).toBe('app -> ztunnel -> app');
        expect(shape(t)).toEqual([step(Attach.DstNode, ZTUNNEL, true, false, Upstream.Deliver)]);
        expect(t.lbPerRequest).toBe(false);
        expect(t.l7Capable).toBe(false);
      }
  });

  it('captured -> plain: the caller ztunnel passes the connection through, one to one', () => {
    for (const p of PROTOS)
      for (const w of [false, true]) {
        const t = tpl(Captured, Plain, w, p);
        expect(t.name).toBe('app -> ztunnel -> app');
        expect(shape(t)).toEqual([step(Attach.SrcNode, ZTUNNEL, false, false, Upstream.OneToOne)]);
        expect(t.linkToDst).toBe(true);
        expect(t.l7Capable).toBe(false);
      }
  });
});

describe('mixed sidecar <-> captured (mid-migration)', () => {
  it('sidecar -> captured: the sidecar speaks mTLS straight to the callee ztunnel', () => {
    const t = tpl(Sidecar, Captured, false, Http1);
    expect(t.name).toBe('app -> sidecar -> ztunnel -> app');
    expect(shape(t)).toEqual([
      step(Attach.SrcPod, SIDECAR, false, false, Upstream.PerEndpointPool),
      step(Attach.DstNode, ZTUNNEL, true, true, Upstream.Deliver),
    ]);
    expect(t.lbPerRequest).toBe(true);
    expect(t.l7Capable).toBe(true);
  });

  it('raw TCP from a sidecar rides HBONE to an ambient callee, but one to one to another sidecar', () => {
    expect(shape(tpl(Sidecar, Captured, false, Tcp))[0]).toEqual(
      step(Attach.SrcPod, SIDECAR, false, false, Upstream.StreamOverPool),
    );
    expect(shape(tpl(Sidecar, Captured, true, Tcp))[0]).toEqual(
      step(Attach.SrcPod, SIDECAR, false, false, Upstream.StreamOverPool),
    );
    expect(shape(tpl(Sidecar, Sidecar, false, Tcp))[0]).toEqual(
      step(Attach.SrcPod, SIDECAR, false, false, Upstream.OneToOne),
    );
  });

  it('sidecar -> captured with a waypoint: straight to the ztunnel, bypassing the waypoint (istiod endpoint builder)', () => {
    for (const p of PROTOS) {
      const withWp = tpl(Sidecar, Captured, true, p);
      const without = tpl(Sidecar, Captured, false, p);
      expect(withWp.name).toBe('app -> sidecar -> ztunnel -> app');
      expect(shape(withWp)).toEqual(shape(without));
      expect(withWp.bypassesWaypoint).toBe(true);
      expect(without.bypassesWaypoint).toBe(false);
    }
    expect(shape(tpl(Sidecar, Captured, true, Http1))).toEqual([
      step(Attach.SrcPod, SIDECAR, false, false, Upstream.PerEndpointPool),
      step(Attach.DstNode, ZTUNNEL, true, true, Upstream.Deliver),
    ]);
  });

  it('captured -> sidecar: ztunnel streams over HBONE to the callee sidecar; no waypoint', () => {
    for (const w of [false, true]) {
      const t = tpl(Captured, Sidecar, w, Http1);
      expect(t.name).toBe('app -> ztunnel -> sidecar -> app');
      expect(shape(t)).toEqual([
        step(Attach.SrcNode, ZTUNNEL, false, false, Upstream.StreamOverPool),
        step(Attach.DstPod, SIDECAR, true, true, Upstream.Deliver),
      ]);
      expect(t.lbPerRequest).toBe(false);
      expect(t.l7Capable).toBe(true);
    }
  });
});

describe('structural rules over all 54 templates', () => {
  const all: Array<[string, RouteTemplate, EndpointKind, EndpointKind, boolean, ProtocolClass]> = [];
  for (const s of KINDS)
    for (const d of KINDS)
      for (const w of [false, true])
        for (const p of PROTOS) all.push([`${s}/${d}/${w}/${p}`, tpl(s, d, w, p), s, d, w, p]);

  it('a waypoint appears exactly when the callee is captured, the caller is captured and one is bound', () => {
    for (const [name, t, s, d, w] of all) {
      const has = t.steps.some((x) => x.proxyClass === WAYPOINT);
      expect(has, name).toBe(w && d === Captured && s === Captured);
      // Every other caller of a waypoint-bound service bypasses its L7 policy.
      expect(t.bypassesWaypoint, name).toBe(w && d === Captured && s !== Captured);
    }
  });

  it('the last step delivers to the local app exactly when the callee is meshed', () => {
    for (const [name, t, , d] of all) {
      const last = t.steps.at(-1);
      const meshed = d !== Plain;
      expect(t.linkToDst, name).toBe(!meshed);
      if (meshed) expect(last?.upstream, name).toBe(Upstream.Deliver);
      expect(t.steps.filter((x) => x.upstream === Upstream.Deliver).length, name).toBe(meshed ? 1 : 0);
    }
  });

  it('a segment is mTLS exactly when both of its ends are mesh proxies (every segment after the first)', () => {
    for (const [name, t] of all)
      t.steps.forEach((st, i) => {
        expect(st.tlsIn, `${name} step ${i}`).toBe(i > 0);
      });
  });

  it('the first step is local to the caller (no link) when the caller is meshed', () => {
    for (const [name, t, s] of all) {
      if (s === Plain) continue;
      expect(t.steps[0]?.linkBefore, name).toBe(false);
      expect(t.steps[0]?.attach, name).toBe(s === Sidecar ? Attach.SrcPod : Attach.SrcNode);
    }
  });

  it('l7Capable iff an Envoy (sidecar or waypoint) is on the path', () => {
    for (const [name, t] of all)
      expect(t.l7Capable, name).toBe(t.steps.some((x) => x.proxyClass !== ZTUNNEL));
  });
});

describe('routes the simulator reports for the bundled scenarios', () => {
  const routes = (file: string, arch: 'none' | 'sidecar' | 'ambient') => {
    const s = loadBundled(file, { duration: 1.2, warmup: 1, replications: 1 });
    return Object.fromEntries(simulateArchitecture(s, arch).edges.map((e) => [e.name, e.routes]));
  };

  it('quickstart: one path per edge and architecture', () => {
    expect(routes('quickstart', 'none')).toEqual({
      'shop/frontend -> shop/catalog': ['app -> app'],
      'shop/frontend -> shop/cart': ['app -> app'],
      'shop/cart -> shop/cart-db': ['app -> app'],
      'web -> shop/frontend': ['app -> app'],
    });
    expect(routes('quickstart', 'sidecar')).toEqual({
      'shop/frontend -> shop/catalog': ['app -> sidecar -> sidecar -> app'],
      'shop/frontend -> shop/cart': ['app -> sidecar -> sidecar -> app'],
      'shop/cart -> shop/cart-db': ['app -> sidecar -> sidecar -> app'],
      // The load generator is outside the mesh (clientMode none).
      'web -> shop/frontend': ['app -> sidecar -> app'],
    });
    expect(routes('quickstart', 'ambient')).toEqual({
      'shop/frontend -> shop/catalog': ['app -> ztunnel -> ztunnel -> app'],
      'shop/frontend -> shop/cart': ['app -> ztunnel -> ztunnel -> app'],
      'shop/cart -> shop/cart-db': ['app -> ztunnel -> ztunnel -> app'],
      'web -> shop/frontend': ['app -> ztunnel -> app'],
    });
  });

  it('billing: only the payments calls cross the waypoint in ambient', () => {
    const r = routes('billing', 'ambient');
    expect(r['checkout/checkout-api -> billing/payments']).toEqual([
      'app -> ztunnel -> waypoint -> ztunnel -> app',
    ]);
    expect(r['checkout/checkout-api -> billing/invoices']).toEqual(['app -> ztunnel -> ztunnel -> app']);
    expect(r['billing/payments -> billing/ledger']).toEqual(['app -> ztunnel -> ztunnel -> app']);
    // Under sidecars the waypoint binding is irrelevant.
    expect(routes('billing', 'sidecar')['checkout/checkout-api -> billing/payments']).toEqual([
      'app -> sidecar -> sidecar -> app',
    ]);
  });

  it('a service half migrated (sidecarPods) is reached by both paths as labelled', () => {
    const s = parseScenario(
      `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: mixed }
cluster: { nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }] }
namespaces: [{ name: shop, labels: { istio.io/dataplane-mode: ambient } }]
services:
  - { name: front, namespace: shop, replicas: 2, sidecarPods: 1, calls: [{ to: back }] }
  - { name: back, namespace: shop, replicas: 2, sidecarPods: 1 }
traffic: [{ name: web, to: front.shop, rate: 10/s }]
compare: [as-labelled]
simulation: { duration: 1200ms, warmup: 1s, replications: 1 }
`,
      'mixed.yaml',
    );
    const r = simulateArchitecture(s, 'as-labelled');
    const edge = r.edges.find((e) => e.name === 'shop/front -> shop/back');
    expect(edge?.routes).toEqual([
      'app -> sidecar -> sidecar -> app',
      'app -> sidecar -> ztunnel -> app',
      'app -> ztunnel -> sidecar -> app',
      'app -> ztunnel -> ztunnel -> app',
    ]);
  });
});

describe('sidecar -> a headless Service pod (ORIGINAL_DST)', () => {
  const headless = (d: EndpointKind, p: ProtocolClass) =>
    templates[templateIndex(Sidecar, d, false, p, false, 0, true)]!;
  it('keeps the pod the application dialled: no per-request pick, HTTP still pooled per pod and retried', () => {
    for (const d of KINDS)
      for (const p of PROTOS) {
        const t = headless(d, p);
        expect(t.lbPerRequest).toBe(false);
        expect(t.l7Capable).toBe(true);
        expect(t.steps[0]!.attach).toBe(Attach.SrcPod);
        expect(t.steps[0]!.upstream).toBe(p === Tcp ? Upstream.OneToOne : Upstream.PerEndpointPool);
        // never through a waypoint, whatever the callee's binding
        expect(t.steps.some((st) => st.attach === Attach.Pool)).toBe(false);
      }
  });
  it('sends mTLS an Envoy originates into a sidecar, plain text into a captured pod, none to a plain pod', () => {
    const toSidecar = headless(Sidecar, Http1);
    expect(toSidecar.name).toBe('app -> sidecar (headless) -> sidecar -> app');
    expect(toSidecar.steps[1]!.tlsIn).toBe(true);
    expect(toSidecar.steps[1]!.envoyTlsIn).toBe(true);
    const toCaptured = headless(Captured, Tcp);
    expect(toCaptured.steps[1]!.attach).toBe(Attach.DstNode);
    expect(toCaptured.steps[1]!.plaintextIn).toBe(true);
    const toPlain = headless(Plain, Multiplexed);
    expect(toPlain.steps).toHaveLength(1);
    expect(toPlain.linkToDst).toBe(true);
  });
  it('only a sidecar caller outside the ingress and given the callee has templates of its own', () => {
    expect(templateIndex(Captured, Captured, true, Http1, false, 0, true)).toBe(
      templateIndex(Captured, Captured, true, Http1),
    );
    expect(templateIndex(Sidecar, Sidecar, false, Http1, true, 0, true)).toBe(
      templateIndex(Sidecar, Sidecar, false, Http1, true),
    );
    expect(templateIndex(Sidecar, Sidecar, false, Http1, false, 1, true)).toBe(
      templateIndex(Sidecar, Sidecar, false, Http1, false, 1),
    );
  });
});
