// What a sidecar does with a call to a service it is not given (scenario/visibility.ts): istiod builds it
// no cluster, listener or virtual host for that service, so the call falls to the catch-alls (istio/istio
// 1.28.0): an HTTP call to the catch-all virtual host of its port's route (pilot/pkg/networking/core/
// httproute.go buildCatchAllVirtualHost), a TCP call to the outbound listener's catch-all filter chain
// (listener_builder.go buildOutboundCatchAllNetworkFilterChains). Under ALLOW_ANY both go to the
// PassthroughCluster: an ORIGINAL_DST cluster with no TLS, no DestinationRule and the mesh's default
// connection pool (cluster_builder.go buildDefaultPassthroughCluster), whose route has no retry policy and
// no timeout; the connection goes to the Service's ClusterIP, where kube-proxy picks the endpoint. Under
// REGISTRY_ONLY the virtual host answers 502 and the filter chain goes to the BlackHoleCluster (the
// connection is closed). The mode is the Sidecar resource's outboundTrafficPolicy, else meshConfig's
// (pilot/pkg/model/sidecar.go, where the scope is built), ALLOW_ANY by default (pkg/config/mesh/mesh.go).
// ASSUMPTION: an HTTP call's port has a listener (a service the sidecar is given listens on the same
// port, as where HTTP services share 80 or 8080); a call declared `protocol: tcp` takes the catch-all
// filter chain instead.
import type { OutboundTrafficPolicy, Scenario, Service, SidecarScope } from './types.ts';
import { sidecarSees } from './visibility.ts';

/** How a sidecar sends a call: 0 its mesh route, 1 the PassthroughCluster, 2 refused (REGISTRY_ONLY). */
export const Passthrough = { None: 0, AllowAny: 1, RegistryOnly: 2 } as const;
export type Passthrough = (typeof Passthrough)[keyof typeof Passthrough];

/**
 * How a sidecar of namespace `ns` with scope `scope` and outbound policy `policy` (its Sidecar resource's;
 * undefined: the mesh's) sends a call to `callee`.
 */
export function passthroughOf(
  s: Scenario,
  ns: string,
  scope: SidecarScope,
  policy: OutboundTrafficPolicy | undefined,
  callee: Service,
): Passthrough {
  if (sidecarSees(s, ns, scope, callee)) return Passthrough.None;
  const mode = policy ?? s.mesh.outboundTrafficPolicy ?? 'ALLOW_ANY';
  return mode === 'REGISTRY_ONLY' ? Passthrough.RegistryOnly : Passthrough.AllowAny;
}
