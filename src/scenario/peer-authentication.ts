// Which mTLS mode a workload's proxy enforces on what reaches it, as istiod composes PeerAuthentications
// (istio/istio 1.28.0 pilot/pkg/security/authn/policy_applier.go ComposePeerAuthentication): the most
// narrow one wins, a workload's (a selector matching its pods) over its namespace's (no selector) over
// the mesh's (no selector, in the root namespace), and with none at all the mode is PERMISSIVE.
// Under STRICT a sidecar's inbound listener has only TLS filter chains (pilot/pkg/networking/core/
// filterchain_options.go getFilterChainMatchOptions: inboundStrict*FilterChainMatchOptions), so a plain
// text connection matches none and Envoy closes it; in ambient istiod gives the workload's ztunnel the
// static policy istio_converted_static_strict, which denies any connection that is not mTLS
// (pilot/pkg/serviceregistry/kube/controller/ambient/authorization.go, policies.go). Under DISABLE a
// sidecar's inbound listener has only plain-text filter chains (inboundPlainText*FilterChainMatchOptions),
// and its callers' Envoys, auto mTLS knowing the callee's mode, send it plain text (cluster_tls.go
// buildUpstreamTLSSettings: no TLS where the service's mode is MTLSDisable), unless a DestinationRule
// insists on ISTIO_MUTUAL, which the sidecar then refuses. ztunnels always speak HBONE among themselves.
import type { MtlsMode } from './traffic-policy.ts';
import type { Scenario, Service } from './types.ts';

/** The mode service `svc`'s proxies enforce, as the scenario's PeerAuthentications compose. */
export function mtlsMode(s: Scenario, svc: Service): MtlsMode {
  const ns = s.namespaces.find((n) => n.name === svc.namespace);
  return svc.mtls ?? ns?.mtls ?? s.mesh.mtls ?? 'PERMISSIVE';
}

/** Whether service `svc`'s proxies refuse plain text (STRICT). */
export function strictMtls(s: Scenario, svc: Service): boolean {
  return mtlsMode(s, svc) === 'STRICT';
}
