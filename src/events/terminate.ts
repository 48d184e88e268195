// How a pod leaves. Kubernetes marks it terminating (its endpoint goes), runs each container's preStop
// hook, sends SIGTERM, and SIGKILLs what still runs at the grace period. Three clocks race:
// - the callers' data planes learn of the endpoint change only after a propagation delay (kube-proxy,
//   Envoy or ztunnel), and until then still send new requests to the old process;
// - the application stops accepting at SIGTERM, after its preStop (A: it then finishes what is in flight
//   and exits; meshsim lets in-flight work run until the proxy or the grace period ends it);
// - a sidecar drains for terminationDrainDuration and exits; a waypoint's Envoy likewise.
// A preStop sleep longer than the propagation delay is the usual workaround (istio/istio #58514).
import { atLeast, EndpointKind } from '../mesh/index.ts';
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

/**
 * The grace period of a pod as rendered: waypoints by the template of istiod `waypointVersion` (the one
 * that made them), the rest by the scenario.
 */
export function graceOf(host: DisruptionHost, pod: number, waypointVersion = host.meshVersion): number {
  return host.placement.pods[pod]!.kind === 'waypoint'
    ? waypointGrace(host, waypointVersion)
    : host.lifecycle.terminationGrace;
}

/**
 * Sidecars injected as Kubernetes native sidecars (init containers with restartPolicy Always) stop only
 * after the application containers have exited. ENABLE_NATIVE_SIDECARS defaults to false up to Istio
 * 1.26 and to "auto" (on wherever Kubernetes supports it, 1.29+, which every supported cluster version
 * does) from 1.27 (istio/istio pilot/pkg/features/experimental.go at 1.26.0; pilot/pkg/features/pilot.go
 * at 1.27.0).
 */
export function nativeSidecars(host: DisruptionHost): boolean {
  return atLeast(host.meshVersion, '1.27');
}

/**
 * How long callers keep sending new requests to a terminating pod: the delay of the data plane its
 * callers use. Callers share their namespace's mode, so the pod's own kind stands for theirs (A).
 */
export function propagationDelay(host: DisruptionHost, pod: number): number {
  const d = host.lifecycle.endpointPropagation;
  switch (host.podKind[pod]) {
    case EndpointKind.Sidecar:
      return d.envoy;
    case EndpointKind.Captured:
      return d.ztunnel;
    default:
      return d.kubeProxy;
  }
}

/** The pod leaves load balancing once the callers' data planes have seen it go (unless it came back). */
export function leaveEndpoints(host: DisruptionHost, pod: number): void {
  const lag = host.placement.pods[pod]!.kind === 'app' ? propagationDelay(host, pod) : 0;
  if (lag <= 0) {
    host.setReady(pod, false);
    return;
  }
  host.after(lag, () => {
    if (host.podUp[pod] === 0) host.setReady(pod, false);
  });
}

/**
 * Retires the pod's running generation; `drain` is its proxy's drain (0 without one), `grace` its
 * terminationGracePeriodSeconds. Returns the old generation.
 */
export function terminate(
  host: DisruptionHost,
  pod: number,
  drain: number,
  grace: number,
  onGone?: () => void,
): number {
  const gen = host.podGen[pod]!;
  if (host.placement.pods[pod]!.kind !== 'app') return proxyExit(host, pod, gen, 0, drain, grace, 0, onGone);
  const exit = Math.min(host.lifecycle.preStop, grace);
  host.routeToOld(pod, gen, host.now + propagationDelay(host, pod));
  host.after(exit, () => host.stopAccepting(pod, gen));
  // Without a sidecar the application closes its connections as it exits (A: gracefully).
  if (host.podKind[pod] !== EndpointKind.Sidecar) return host.retire(pod, exit, grace, onGone);
  // A native sidecar gets SIGTERM once the application has exited; a classic one together with it, and
  // the pod is gone when both containers are.
  if (nativeSidecars(host)) return proxyExit(host, pod, gen, exit, drain, grace, 0, onGone);
  return proxyExit(host, pod, gen, 0, drain, grace, exit, onGone);
}

/**
 * A proxy (sidecar or waypoint Envoy) gets SIGTERM at `start`. pilot-agent starts Envoy with
 * `--drain-strategy immediate` (istio/istio pkg/envoy/proxy.go), so every client is told at once
 * (HTTP/1.1 Connection: close, HTTP/2 GOAWAY) and moves its next requests elsewhere; after
 * terminationDrainDuration pilot-agent stops Envoy whatever the grace period (pkg/envoy/agent.go,
 * terminate(), unless EXIT_ON_ZERO_ACTIVE_CONNECTIONS), resetting the long-lived streams a GOAWAY does
 * not end. SIGKILL at `grace` cuts that short and resets everything still bound. The pod is gone when
 * the proxy is, or at `appExit` if its application runs longer (capped by the grace period).
 */
function proxyExit(
  host: DisruptionHost,
  pod: number,
  gen: number,
  start: number,
  drain: number,
  grace: number,
  appExit: number,
  onGone?: () => void,
): number {
  const end = Math.min(start + drain, grace);
  host.after(Math.min(start, grace), () => host.goAway(pod, gen));
  // Scheduled before the kill at the same instant, so the resets come first.
  host.after(end, () => host.resetConnectionsTo(pod, gen, start + drain <= grace));
  const left = Math.max(0, Math.min(appExit, grace) - end);
  return host.retire(pod, end, end, () => {
    if (left > 0) host.after(left, () => onGone?.());
    else onGone?.();
  });
}
