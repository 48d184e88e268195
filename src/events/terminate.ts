// How a pod leaves: SIGTERM, its proxy drains for `drain`, SIGKILL at `grace`. A grace period shorter than
// the drain cuts the drain short: what is still open when the kill comes is reset, not drained.
import { atLeast } from '../mesh/index.ts';
import type { DisruptionHost } from './host.ts';

/**
 * The waypoint Deployment istiod renders from its template: istio/istio
 * manifests/charts/istio-control/istio-discovery/files/waypoint.yaml hard-codes
 * `terminationGracePeriodSeconds: 2` from 1.22.0 to 1.27.x; 1.28.0 removed it (istio/istio #55799, commit
 * 9cd0aeeac3e), so from 1.28 a waypoint pod takes Kubernetes' default, 30 s (lifecycle.terminationGrace).
 */
export const WAYPOINT_GRACE_UP_TO_1_27 = 2;

/** The grace period of a waypoint pod rendered by istiod `version` (the installed one by default). */
export function waypointGrace(host: DisruptionHost, version = host.meshVersion): number {
  return atLeast(version, '1.28') ? host.lifecycle.terminationGrace : WAYPOINT_GRACE_UP_TO_1_27;
}

/** The grace period of a pod as rendered: waypoints by istiod's template, the rest by the scenario. */
export function graceOf(host: DisruptionHost, pod: number): number {
  return host.placement.pods[pod]!.kind === 'waypoint'
    ? waypointGrace(host)
    : host.lifecycle.terminationGrace;
}

/** Retires the pod's running generation (drain, then kill); returns it. */
export function terminate(
  host: DisruptionHost,
  pod: number,
  drain: number,
  grace: number,
  onGone?: () => void,
): number {
  if (drain > grace) {
    const gen = host.podGen[pod]!;
    // Scheduled before the kill at the same instant, so the reset comes first.
    host.after(grace, () => host.resetConnectionsTo(pod, gen));
  }
  return host.retire(pod, Math.min(drain, grace), grace, onGone);
}
