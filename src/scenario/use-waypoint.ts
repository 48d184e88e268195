// The waypoint a service is bound to: its own istio.io/use-waypoint label, else its namespace's (a
// label on the service names a waypoint of its own namespace), and whether that waypoint takes the
// traffic addressed to the service or to its pods (its istio.io/waypoint-for, `for`).
import type { Scenario, Service, Waypoint } from './types.ts';

/**
 * The waypoint bound to `svc` that takes its traffic when callers address the service (`addressing`
 * 'service': `for` service or all) or its pods ('workload': `for` workload or all); undefined if none.
 */
export function boundWaypoint(
  s: Scenario,
  svc: Service,
  addressing: 'service' | 'workload',
): Waypoint | undefined {
  const name = svc.useWaypoint ?? s.namespaces.find((n) => n.name === svc.namespace)?.useWaypoint;
  if (!name) return undefined;
  const wp = s.waypoints.find((w) => w.name === name && (w.namespace === svc.namespace || !svc.useWaypoint));
  if (!wp || (wp.for !== 'all' && wp.for !== addressing)) return undefined;
  return wp;
}
