// A call whose caller's Envoy is not given its callee (the callee's exportTo, mesh.defaultServiceExportTo
// or the caller's Sidecar egress hosts leave it out, scenario/visibility.ts) does not take the mesh's
// route in Istio: the sidecar finds no listener or virtual host for it and sends it through its
// PassthroughCluster, as plain TCP to the Service's address without mTLS, retries, outlier detection or
// the callee's DestinationRule, or refuses it where outboundTrafficPolicy is REGISTRY_ONLY (istio/istio
// 1.28.0 pilot/pkg/networking/core/listener_builder.go buildOutboundCatchAllNetworkFilterChains,
// httproute.go buildCatchAllVirtualHost). meshsim simulates neither path, so
// such a call is an error that says what hides the callee and how to show it.
import { clientNamespace } from '../defaults.ts';
import type { Problems } from '../pending.ts';
import type { Scenario, Service, SidecarScope } from '../types.ts';
import { exportedTo, sidecarSees } from '../visibility.ts';
import { outgoing } from './cycles.ts';

function why(s: Scenario, callee: Service, ns: string, scope: SidecarScope): string {
  if (!exportedTo(s, callee, ns)) {
    const list = callee.exportTo;
    return list
      ? `its networking.istio.io/exportTo (${list.join(',')}) does not export it to ${ns}`
      : `mesh.defaultServiceExportTo (${s.mesh.defaultServiceExportTo?.join(',')}) does not export it to ${ns}`;
  }
  return `no egress host of the sidecarScope (${(scope as string[]).join(', ')}) imports it`;
}

function report(
  s: Scenario,
  problems: Problems,
  path: PropertyKey[],
  who: string,
  ns: string,
  scope: SidecarScope,
  callee: Service,
): void {
  if (sidecarSees(s, ns, scope, callee)) return;
  problems.add(path, `a service ${who} is given`, {
    message: `${who} is not given ${callee.key}: ${why(s, callee, ns, scope)}. Istio would send these calls through its PassthroughCluster (plain TCP, no mTLS, retries or DestinationRule) or refuse them under REGISTRY_ONLY, which meshsim does not simulate; export ${callee.key} to ${ns} or widen the scope`,
  });
}

export function checkVisibility(s: Scenario, problems: Problems): void {
  const byKey = new Map(s.services.map((x) => [x.key, x]));
  // Pods of an unmeshed namespace, or not injected, carry no sidecar in any architecture.
  const meshed = new Set(s.namespaces.filter((n) => n.mode !== 'none').map((n) => n.name));
  const sidecar = (svc: Service) => svc.inject && meshed.has(svc.namespace);
  s.services.forEach((svc, i) => {
    if (!sidecar(svc)) return;
    for (const out of outgoing(svc, i)) {
      const callee = byKey.get(out.to);
      if (callee)
        report(s, problems, out.path, `${svc.key}'s sidecar`, svc.namespace, svc.sidecarScope, callee);
    }
  });
  s.traffic.forEach((ep, i) => {
    const target = byKey.get(ep.to);
    if (!target) return;
    const gw = s.mesh.ingressGateway.namespace;
    if (ep.via === 'ingress')
      report(s, problems, ['traffic', i, 'to'], `the ingress gateway (namespace ${gw})`, gw, 'mesh', target);
    else if (ep.clientMode === 'sidecar' || ep.clientMode === 'same-as-target') {
      const ns = clientNamespace(ep);
      report(
        s,
        problems,
        ['traffic', i, 'to'],
        `${ep.name}'s clients' sidecars`,
        ns,
        s.mesh.sidecar.scope,
        target,
      );
    }
    if (!sidecar(target)) return;
    ep.routes?.forEach((r, k) => {
      r.calls.forEach((c, j) => {
        const callee = byKey.get(c.to);
        if (callee)
          report(
            s,
            problems,
            ['traffic', i, 'routes', k, 'calls', j, 'to'],
            `${target.key}'s sidecar`,
            target.namespace,
            target.sidecarScope,
            callee,
          );
      });
    });
  });
}
