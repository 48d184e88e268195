// Rewrites a call between two pods into primitive hops, for every combination of how the two ends take
// part in the mesh. This is the only place where sidecar, ambient and waypoint paths are told apart;
// mixed-mode pairs (mid-migration) fall out of the same rules, and so does the entry through an ingress
// gateway.
import type { Scenario, Service } from '../scenario/index.ts';
import { GATEWAY, SIDECAR, WAYPOINT, ZTUNNEL } from './classes.ts';
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

/**
 * Index of the template for a pair of endpoints; `waypoint` = the callee's service is bound to one;
 * `ingress` = the call enters through the ingress gateway (then `waypoint` says whether the gateway sends
 * to that waypoint: istio.io/ingress-use-waypoint, see ingressUsesWaypoint).
 */
export function templateIndex(
  src: EndpointKind,
  dst: EndpointKind,
  waypoint: boolean,
  proto: ProtocolClass,
  ingress = false,
  passthrough = 0,
  headless = false,
): number {
  // A sidecar not given its callee sends through its PassthroughCluster or refuses (passthrough 1, 2):
  // templates of their own, after the mesh's; then a sidecar's to a headless Service's pod.
  if (src === EndpointKind.Sidecar && !ingress) {
    if (passthrough > 0)
      return (
        MESH_TEMPLATES + (((passthrough - 1) * KINDS + dst) * 2 + (waypoint ? 1 : 0)) * PROTOCOLS + proto
      );
    if (headless) return HEADLESS_TEMPLATES + dst * PROTOCOLS + proto;
  }
  return (((ingress ? KINDS : 0) + src) * KINDS + dst) * 2 * PROTOCOLS + (waypoint ? PROTOCOLS : 0) + proto;
}

const MESH_TEMPLATES = 2 * KINDS * KINDS * 2 * PROTOCOLS;
const HEADLESS_TEMPLATES = MESH_TEMPLATES + 2 * KINDS * 2 * PROTOCOLS;

/** The hop is the callee's own proxy (its sidecar or its node's ztunnel): where its mTLS mode is enforced. */
function intoCallee(attach: Attach): boolean {
  return attach === Attach.DstPod || attach === Attach.DstNode;
}

/**
 * The hop steps of one route: the flags that follow from where a step attaches and whether mTLS reaches
 * it are derived here, once for every builder. `envoyOriginated`: the mTLS into the callee's sidecar is an
 * Envoy's (a caller's sidecar, the gateway), which a DestinationRule's tls can turn into plain text.
 */
function hopSteps(streams: number, multiplexed: boolean, envoyOriginated: boolean) {
  return (
    attach: Attach,
    proxyClass: number,
    linkBefore: boolean,
    tlsIn: boolean,
    upstream: Upstream,
  ): HopStep => ({
    attach,
    proxyClass,
    linkBefore,
    tlsIn,
    plaintextIn: !tlsIn && intoCallee(attach),
    envoyTlsIn: tlsIn && envoyOriginated && attach === Attach.DstPod,
    blackHole: false,
    upstream,
    streamsPerConnection: streams,
    multiplexed,
  });
}

export function buildTemplates(streamsPerConnection: number): RouteTemplate[] {
  const out: RouteTemplate[] = [];
  for (let ingress = 0; ingress < 2; ingress++)
    for (let src = 0; src < KINDS; src++)
      for (let dst = 0; dst < KINDS; dst++)
        for (let wp = 0; wp < 2; wp++)
          for (let proto = 0; proto < PROTOCOLS; proto++) {
            const at = templateIndex(
              src as EndpointKind,
              dst as EndpointKind,
              wp === 1,
              proto as ProtocolClass,
              ingress === 1,
            );
            out[at] =
              ingress === 1
                ? ingressTemplate(dst as EndpointKind, wp === 1, proto as ProtocolClass, streamsPerConnection)
                : template(
                    src as EndpointKind,
                    dst as EndpointKind,
                    wp === 1,
                    proto as ProtocolClass,
                    streamsPerConnection,
                  );
          }
  for (let mode = 1; mode <= 2; mode++)
    for (let dst = 0; dst < KINDS; dst++)
      for (let wp = 0; wp < 2; wp++)
        for (let proto = 0; proto < PROTOCOLS; proto++)
          out[
            templateIndex(
              EndpointKind.Sidecar,
              dst as EndpointKind,
              wp === 1,
              proto as ProtocolClass,
              false,
              mode,
            )
          ] = passthroughTemplate(
            dst as EndpointKind,
            wp === 1,
            proto as ProtocolClass,
            mode === 2,
            streamsPerConnection,
          );
  for (let dst = 0; dst < KINDS; dst++)
    for (let proto = 0; proto < PROTOCOLS; proto++)
      out[
        templateIndex(
          EndpointKind.Sidecar,
          dst as EndpointKind,
          false,
          proto as ProtocolClass,
          false,
          0,
          true,
        )
      ] = headlessTemplate(dst as EndpointKind, proto as ProtocolClass, streamsPerConnection);
  return out;
}

/**
 * A sidecar caller's call to a pod of a headless Service, which its application dialled (DNS named the
 * pods; the pick is the application's, per connection). istiod gives the sidecar an ORIGINAL_DST cluster
 * for the Service (istio/istio 1.28.0 pilot/pkg/networking/core/cluster.go convertResolution) and, for a
 * TCP port, a listener per pod (listener.go buildSidecarOutboundListeners: "generate a listener for each
 * instance"): the sidecar routes, times out and retries HTTP requests but sends each to the dialled pod
 * (no load balancing, locality, outlier detection or subset weights), pools its HTTP connections per pod
 * and proxies TCP one to one. It never sends through a waypoint (as for any Service). The mTLS into a
 * callee's sidecar is an Envoy's (step envoyTlsIn), which world/edges.ts turns to plain text where istiod
 * infers it: any pod without a sidecar (pilot/pkg/model/push_context.go BestEffortInferServiceMTLSMode).
 * ASSUMPTION: towards a pod ztunnel captures, the ORIGINAL_DST host carries no HBONE metadata, so the
 * sidecar sends plain text, which that ztunnel meets as from outside the mesh (as a PassthroughCluster's).
 */
function headlessTemplate(dst: EndpointKind, proto: ProtocolClass, streams: number): RouteTemplate {
  const tcp = proto === ProtocolClass.Tcp;
  const hop = hopSteps(streams, proto === ProtocolClass.Multiplexed, true);
  const steps: HopStep[] = [
    hop(Attach.SrcPod, SIDECAR, false, false, tcp ? Upstream.OneToOne : Upstream.PerEndpointPool),
  ];
  if (dst === EndpointKind.Sidecar) steps.push(hop(Attach.DstPod, SIDECAR, true, true, Upstream.Deliver));
  if (dst === EndpointKind.Captured) steps.push(hop(Attach.DstNode, ZTUNNEL, true, false, Upstream.Deliver));
  return {
    name: ['app', 'sidecar (headless)', ...steps.slice(1).map((s) => PROXY_NAMES[s.proxyClass]!), 'app'].join(
      ' -> ',
    ),
    steps,
    linkToDst: dst === EndpointKind.Plain,
    lbPerRequest: false,
    l7Capable: true,
    bypassesWaypoint: false,
    passthrough: false,
  };
}

/**
 * A sidecar caller that is not given the callee (scenario/passthrough.ts). Under ALLOW_ANY its sidecar
 * proxies the call to the Service's address in plain text: the endpoint is kube-proxy's pick per
 * connection, no retry policy or DestinationRule applies, and the callee's proxy, if any, is reached
 * without mTLS (a STRICT callee refuses it). ASSUMPTION: the sidecar's upstream connection follows the
 * application's one to one (Envoy pools an ORIGINAL_DST host's connections to the ClusterIP, each
 * reaching the endpoint kube-proxy picked for it; that pool is not modelled). Under REGISTRY_ONLY the
 * caller's sidecar refuses it (`blackHole`). A sidecar bypasses a waypoint either way.
 */
function passthroughTemplate(
  dst: EndpointKind,
  wantWaypoint: boolean,
  proto: ProtocolClass,
  blackHole: boolean,
  streams: number,
): RouteTemplate {
  const hop = hopSteps(streams, proto === ProtocolClass.Multiplexed, false);
  // Plain text all the way (tlsIn false): a meshed callee's proxy meets it as such.
  const steps: HopStep[] = [{ ...hop(Attach.SrcPod, SIDECAR, false, false, Upstream.OneToOne), blackHole }];
  if (dst === EndpointKind.Sidecar) steps.push(hop(Attach.DstPod, SIDECAR, true, false, Upstream.Deliver));
  if (dst === EndpointKind.Captured) steps.push(hop(Attach.DstNode, ZTUNNEL, true, false, Upstream.Deliver));
  const hops = steps.map((s, i) =>
    i === 0 ? `sidecar (${blackHole ? 'REGISTRY_ONLY' : 'passthrough'})` : PROXY_NAMES[s.proxyClass]!,
  );
  return {
    name: ['app', ...hops, 'app'].join(' -> '),
    steps,
    linkToDst: dst === EndpointKind.Plain,
    lbPerRequest: false,
    l7Capable: dst === EndpointKind.Sidecar,
    bypassesWaypoint: wantWaypoint && dst === EndpointKind.Captured,
    passthrough: true,
  };
}

/**
 * Whether an ingress gateway sends a service's traffic through the service's waypoint: only with
 * `istio.io/ingress-use-waypoint: "true"` on the Service, or, when the Service does not carry the label,
 * on its namespace (istio/istio 1.28.0 pilot/pkg/serviceregistry/kube/controller/ambient/
 * sidecar_interop.go ingressUseWaypoint, services.go: strings.EqualFold(label, "true")); istiod then gives
 * the gateway the waypoint's endpoints instead of the pods' (pilot/pkg/xds/endpoints/endpoint_builder.go
 * findServiceWaypoint: "They need to explicitly opt-in on the service to send from ingress -> waypoint",
 * behind ENABLE_INGRESS_WAYPOINT_ROUTING, default true, pilot/pkg/features/ambient.go).
 */
export function ingressUsesWaypoint(
  serviceLabel: string | undefined,
  namespaceLabel: string | undefined,
): boolean {
  const label = serviceLabel ?? namespaceLabel;
  return label !== undefined && label.toLowerCase() === 'true';
}

/** ingressUsesWaypoint for a scenario service: its own label, else its namespace's. */
export function serviceIngressWaypoint(s: Scenario, svc: Service): boolean {
  const ns = s.namespaces.find((n) => n.name === svc.namespace);
  return ingressUsesWaypoint(svc.ingressUseWaypoint, ns?.ingressUseWaypoint);
}

/**
 * External client -> ingress gateway -> destination. The client is outside the mesh and reaches a gateway
 * replica over a plain connection (its load balancer picks the replica per connection); the gateway is an
 * Envoy that routes, retries and balances per request like a sidecar. Towards a meshed destination it is a
 * mesh client: mTLS to the callee's sidecar, HBONE to the callee's ztunnel (or to the waypoint when the
 * service opts in); towards a plain pod it is a plain reverse proxy, as in a cluster without a mesh.
 */
function ingressTemplate(
  dst: EndpointKind,
  viaWaypoint: boolean,
  proto: ProtocolClass,
  streams: number,
): RouteTemplate {
  const tcp = proto === ProtocolClass.Tcp;
  const waypoint = viaWaypoint && dst === EndpointKind.Captured;
  const hbone = waypoint || dst === EndpointKind.Captured;
  const dstMeshed = dst !== EndpointKind.Plain;
  const steps: HopStep[] = [];
  const hop = hopSteps(streams, proto === ProtocolClass.Multiplexed, true);
  const step = (attach: Attach, proxyClass: number, tlsIn: boolean, upstream: Upstream) =>
    steps.push(hop(attach, proxyClass, true, tlsIn, upstream));
  const envoyUpstream = !tcp ? Upstream.PerEndpointPool : hbone ? Upstream.StreamOverPool : Upstream.OneToOne;
  step(Attach.Gateway, GATEWAY, false, envoyUpstream);
  if (waypoint) step(Attach.Pool, WAYPOINT, true, envoyUpstream);
  if (dst === EndpointKind.Sidecar) step(Attach.DstPod, SIDECAR, true, Upstream.Deliver);
  if (dst === EndpointKind.Captured) step(Attach.DstNode, ZTUNNEL, true, Upstream.Deliver);
  return {
    name: ['client', ...steps.map((s) => PROXY_NAMES[s.proxyClass]!), 'app'].join(' -> '),
    steps,
    linkToDst: !dstMeshed,
    lbPerRequest: !tcp,
    l7Capable: true,
    bypassesWaypoint: false,
    passthrough: false,
  };
}

const PROXY_NAMES = ['sidecar', 'ztunnel', 'waypoint', 'gateway'];

function template(
  src: EndpointKind,
  dst: EndpointKind,
  wantWaypoint: boolean,
  proto: ProtocolClass,
  streams: number,
): RouteTemplate {
  const tcp = proto === ProtocolClass.Tcp;
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
  // A caller's sidecar originates the mTLS into a callee's sidecar (a ztunnel's HBONE is not a
  // DestinationRule's to change).
  const hop = hopSteps(streams, proto === ProtocolClass.Multiplexed, src === EndpointKind.Sidecar);
  const step = (
    attach: Attach,
    proxyClass: number,
    linkBefore: boolean,
    tlsIn: boolean,
    upstream: Upstream,
  ) => steps.push(hop(attach, proxyClass, linkBefore, tlsIn, upstream));

  // The next hop after the caller's side speaks mTLS when it is a mesh proxy.
  const nextIsProxy = waypoint || dstMeshed;
  if (src === EndpointKind.Sidecar)
    step(Attach.SrcPod, SIDECAR, false, false, envoyUpstream(waypoint || dst === EndpointKind.Captured));
  if (src === EndpointKind.Captured)
    step(Attach.SrcNode, ZTUNNEL, false, false, nextIsProxy ? Upstream.StreamOverPool : Upstream.OneToOne);
  if (waypoint) step(Attach.Pool, WAYPOINT, true, true, envoyUpstream(true));
  if (dst === EndpointKind.Sidecar) step(Attach.DstPod, SIDECAR, true, srcMeshed, Upstream.Deliver);
  if (dst === EndpointKind.Captured) step(Attach.DstNode, ZTUNNEL, true, srcMeshed, Upstream.Deliver);

  const hops = steps.map((s) => PROXY_NAMES[s.proxyClass]!);
  return {
    name: ['app', ...hops, 'app'].join(' -> '),
    steps,
    linkToDst: !dstMeshed,
    lbPerRequest: steps.some((s) => s.upstream === Upstream.PerEndpointPool && s.attach !== Attach.DstPod),
    l7Capable: steps.some((s) => s.proxyClass === SIDECAR || s.proxyClass === WAYPOINT),
    bypassesWaypoint: dstHasWaypoint && !waypoint,
    passthrough: false,
  };
}
