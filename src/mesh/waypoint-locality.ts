// Callers reach a waypoint replica in their own zone when one runs there. Since Istio 1.24 the Service
// istiod creates for a waypoint carries `networking.istio.io/traffic-distribution: PreferClose`
// (istio/istio 1.24.0 and later, manifests/charts/istio-control/istio-discovery/files/waypoint.yaml; 1.23.0
// has none), and a caller's ztunnel picks among the waypoint's endpoints that match the most of [network,
// region, zone] of the source workload (istio/ztunnel 1.28.0 src/state.rs load_balance, the same lookup
// for a service and for its waypoint), as an Envoy does from Istio's locality failover for that setting.
import { atLeast } from './version.ts';

/** Whether a waypoint's Service prefers the caller's zone under this mesh version. */
export function waypointPrefersClose(meshVersion: string): boolean {
  return atLeast(meshVersion, '1.24');
}
