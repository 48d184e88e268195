// `upgrade: waypoint`: a rolling restart of the waypoint Deployments. How gracefully each old waypoint
// pod leaves depends on the grace period istiod's template gives it (terminate.ts).
import type { RolloutSettings, Scenario } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { rollDeployments } from './roll-deployments.ts';
import { waypointGrace } from './terminate.ts';
import type { Versions } from './versions.ts';
import { none, running } from './workloads.ts';

/** The running waypoint Deployments (owner -> pods), all or the one named. */
export function waypointDeployments(host: DisruptionHost, s: Scenario, name?: string): Map<string, number[]> {
  const deps = new Map<string, number[]>();
  for (const w of s.waypoints) {
    if (name && w.name !== name) continue;
    const owner = `${w.namespace}/${w.name}`;
    const pods = (host.placement.byOwner.get(owner) ?? []).filter((i) =>
      running(host, host.placement.pods[i]!),
    );
    if (pods.length > 0) deps.set(owner, pods);
  }
  return deps;
}

/** What leaving means for a waypoint pod of this version, in words. */
export function waypointExit(host: DisruptionHost, version = host.meshVersion): string {
  const grace = waypointGrace(host, version);
  const drain = host.lifecycle.sidecarDrain;
  return grace < drain
    ? `Istio ${version}'s waypoint template gives ${grace} s of grace, less than Envoy's ${drain} s drain: what the old pods still carry is reset`
    : `old pods drain for ${drain} s within a ${grace} s grace period`;
}

/** Rolls the given waypoint Deployments; the old pods leave as the template of `version` made them. */
export function rollWaypoints(
  host: DisruptionHost,
  deps: Map<string, number[]>,
  rollout: RolloutSettings,
  t: Tracker,
  rolledOut: () => void,
  settled: () => void,
  version = host.meshVersion,
): void {
  rollDeployments(
    host,
    deps,
    rollout,
    t,
    { drain: () => host.lifecycle.sidecarDrain, grace: waypointGrace(host, version) },
    rolledOut,
    settled,
  );
}

export function waypoints(
  host: DisruptionHost,
  s: Scenario,
  rollout: RolloutSettings,
  versions: Versions,
  t: Tracker,
  name?: string,
): void {
  const deps = waypointDeployments(host, s, name);
  if (deps.size === 0) {
    none(t, 'no waypoint runs in this architecture');
    return;
  }
  const old = versions.waypoint;
  t.rec.mechanism = `rolling restart of ${[...deps.values()].flat().length} waypoint pods; ${waypointExit(host, old)}`;
  // The new pods come from the running istiod's template.
  versions.waypoint = versions.controlPlane;
  rollWaypoints(
    host,
    deps,
    rollout,
    t,
    () => t.rolledOut(),
    () => t.settled(),
    old,
  );
}
