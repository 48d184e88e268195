// Rewrites a call between two pods into primitive hops, for every combination of how the two ends take
// part in the mesh. This is the only place where sidecar, ambient and waypoint paths are told apart;
// mixed-mode pairs (mid-migration) fall out of the same rules.
import { SIDECAR, WAYPOINT, ZTUNNEL } from './classes.ts';
import { Attach, type HopStep, type RouteTemplate, Upstream } from './hops.ts';

/** How one end of a call takes part in the mesh. */
export const EndpointKind = { Plain: 0, Sidecar: 1, Captured: 2 } as const;
export type EndpointKind = (typeof EndpointKind)[keyof typeof EndpointKind];

/** Protocol classes that change connection behaviour. */
export const ProtocolClass = { Http1: 0, Multiplexed: 1, Tcp: 2 } as const;
export type ProtocolClass = (typeof ProtocolClass)[keyof typeof ProtocolClass];

export function protocolClass(p: 'http1' | 'http2' | 'grpc' | 'tcp'): ProtocolClass {
  if (p === 'tcp') return ProtocolClass.Tcp;
  return p === 'http1' ? ProtocolClass.Http1 : ProtocolClass.Multiplexed;
}

const KINDS = 3;
const PROTOCOLS = 3;

/** Index of the template for a pair of endpoints; `waypoint` = the callee's service is bound to one. */
export function templateIndex(
  src: EndpointKind,
  dst: EndpointKind,
  waypoint: boolean,
  proto: ProtocolClass,
): number {
  return ((src * KINDS + dst) * 2 + (waypoint ? 1 : 0)) * PROTOCOLS + proto;
}

export function buildTemplates(streamsPerConnection: number): RouteTemplate[] {
  const out: RouteTemplate[] = [];
  for (let src = 0; src < KINDS; src++)
    for (let dst = 0; dst < KINDS; dst++)
      for (let wp = 0; wp < 2; wp++)
        for (let proto = 0; proto < PROTOCOLS; proto++)
          out[templateIndex(src as EndpointKind, dst as EndpointKind, wp === 1, proto as ProtocolClass)] =
            template(
              src as EndpointKind,
              dst as EndpointKind,
              wp === 1,
              proto as ProtocolClass,
              streamsPerConnection,
            );
  return out;
}

function template(
  src: EndpointKind,
  dst: EndpointKind,
  wantWaypoint: boolean,
  proto: ProtocolClass,
  streams: number,
): RouteTemplate {
  const tcp = proto === ProtocolClass.Tcp;
  const multiplexed = proto === ProtocolClass.Multiplexed;
  // Envoy pools HTTP upstream connections per endpoint. Raw TCP it proxies one to one, except towards
  // ambient endpoints (a ztunnel or a waypoint): those speak HBONE, so each TCP connection becomes a
  // stream over a pooled mTLS connection, as from ztunnel.
  const envoyUpstream = (hboneNext: boolean) =>
    !tcp ? Upstream.PerEndpointPool : hboneNext ? Upstream.StreamOverPool : Upstream.OneToOne;
  const srcMeshed = src !== EndpointKind.Plain;
  // A service waypoint is on the path only when the caller is captured by ztunnel. A sidecar sends
  // straight to the callee's ztunnel over HBONE, bypassing the waypoint and the L7 policy bound to it:
  // istiod builds a sidecar's endpoints without waypoints ("We intentionally do not take into account
  // waypoints here", and findServiceWaypoint: "Currently only ingress and e/w gateway will call
  // waypoints", the ingress only with the istio.io/ingress-use-waypoint label), istio/istio
  // pilot/pkg/xds/endpoints/endpoint_builder.go at 1.28.0 (the same rule from 1.22.0). Traffic from outside
  // the mesh reaches the callee's ztunnel directly.
  const dstHasWaypoint = wantWaypoint && dst === EndpointKind.Captured;
  const waypoint = dstHasWaypoint && src === EndpointKind.Captured;
  const dstMeshed = dst !== EndpointKind.Plain;
  const steps: HopStep[] = [];
  const step = (
    attach: Attach,
    proxyClass: number,
    linkBefore: boolean,
    tlsIn: boolean,
    upstream: Upstream,
  ) =>
    steps.push({
      attach,
      proxyClass,
      linkBefore,
      tlsIn,
      upstream,
      streamsPerConnection: streams,
      multiplexed,
    });

  // The next hop after the caller's side speaks mTLS when it is a mesh proxy.
  const nextIsProxy = waypoint || dstMeshed;
  if (src === EndpointKind.Sidecar)
    step(Attach.SrcPod, SIDECAR, false, false, envoyUpstream(waypoint || dst === EndpointKind.Captured));
  if (src === EndpointKind.Captured)
    step(Attach.SrcNode, ZTUNNEL, false, false, nextIsProxy ? Upstream.StreamOverPool : Upstream.OneToOne);
  if (waypoint) step(Attach.Pool, WAYPOINT, true, true, envoyUpstream(true));
  if (dst === EndpointKind.Sidecar) step(Attach.DstPod, SIDECAR, true, srcMeshed, Upstream.Deliver);
  if (dst === EndpointKind.Captured) step(Attach.DstNode, ZTUNNEL, true, srcMeshed, Upstream.Deliver);

  const hops = steps.map((s) => ['sidecar', 'ztunnel', 'waypoint'][s.proxyClass]!);
  return {
    name: ['app', ...hops, 'app'].join(' -> '),
    steps,
    linkToDst: !dstMeshed,
    lbPerRequest: steps.some((s) => s.upstream === Upstream.PerEndpointPool && s.attach !== Attach.DstPod),
    l7Capable: steps.some((s) => s.proxyClass === SIDECAR || s.proxyClass === WAYPOINT),
    bypassesWaypoint: dstHasWaypoint && !waypoint,
  };
}
