// Which share of istiod's steady churn (mesh.istiod.configChangesPerSecond) a proxy receives. The churn's
// changes are not named: ASSUMPTION, each names one service of the mesh, uniformly at random (an endpoint,
// ServiceEntry or routing change keyed by its host). istiod sends a change to every ztunnel and waypoint
// ("optimizations do not apply since scoping uses different mechanism") and to a gateway that sees the
// service (by default every one), and to a sidecar only when its SidecarScope depends on the service or it
// is the sidecar's own (istio/istio 1.28.0 pilot/pkg/xds/proxy_dependencies.go DefaultProxyNeedsPush,
// filterRelevantUpdates, proxyDependentOnConfig). An unscoped sidecar depends on every service; one
// scoped to its callees on those and its own (config-size.ts sidecarView), so it gets that share.
// A change of a routing or policy object (a VirtualService, an HTTPRoute, an L7 AuthorizationPolicy; the
// ConfigKey names the object, not an endpoint) is a full push. A sidecar gets it when its SidecarScope
// depends on the object (DependsOnConfig: ASSUMPTION, each object concerns one service, uniformly at
// random, so the same share); every waypoint and gateway gets it, as above (a gateway's proxy type
// depends on every kind but Sidecar); a ztunnel's push finds no address changed and sends nothing
// (pilot/pkg/xds/workload.go GenerateDeltas: "Nothing changed"), so istiod makes none.
import type { Scenario } from '../scenario/index.ts';
import { sidecarView } from './config-size.ts';

/**
 * The share of the steady churn reaching a sidecar of `owner`'s pods (1: every change), from what it sees
 * (`view`, sidecarView's, when the caller has it).
 */
export function sidecarChurnShare(
  s: Scenario,
  owner: string,
  view: ReadonlySet<string> | null = sidecarView(s, owner),
): number {
  const services = s.services.length;
  if (view === null || services === 0) return 1;
  return Math.min(1, view.size / services);
}
