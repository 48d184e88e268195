// An ingress entry point whose gateway is not given its target (the target's exportTo or
// mesh.defaultServiceExportTo leave the gateway's namespace out, scenario/visibility.ts) has no route in
// Istio: the gateway is given no cluster for it, so its requests would all be answered 404 or 503 by
// the gateway. That is a scenario error that says what hides the target and how to show it. A sidecar
// that is not given its callee sends the call through its PassthroughCluster or refuses it
// (scenario/passthrough.ts): that is simulated.
import type { Problems } from '../pending.ts';
import type { Scenario, Service } from '../types.ts';
import { exportedTo } from '../visibility.ts';

function why(s: Scenario, callee: Service, ns: string): string {
  const list = callee.exportTo;
  return list
    ? `its networking.istio.io/exportTo (${list.join(',')}) does not export it to ${ns}`
    : `mesh.defaultServiceExportTo (${s.mesh.defaultServiceExportTo?.join(',')}) does not export it to ${ns}`;
}

export function checkVisibility(s: Scenario, problems: Problems): void {
  const byKey = new Map(s.services.map((x) => [x.key, x]));
  s.traffic.forEach((ep, i) => {
    const target = byKey.get(ep.to);
    if (!target || ep.via !== 'ingress') return;
    const gw = s.mesh.ingressGateway.namespace;
    if (exportedTo(s, target, gw)) return;
    problems.add(['traffic', i, 'to'], `a service the ingress gateway (namespace ${gw}) is given`, {
      message: `the ingress gateway (namespace ${gw}) is not given ${target.key}: ${why(s, target, gw)}; export ${target.key} to ${gw}`,
    });
  });
}
