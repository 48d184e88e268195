// `upgrade: control-plane`: istiod is upgraded in place. istiod renders the Deployment of every waypoint it
// manages from its own template (istio/istio pilot/pkg/config/kube/gateway/deploymentcontroller.go: the
// template and proxy image of the running istiod), so a new istiod re-renders them and Kubernetes rolls
// every waypoint at once (istio/istio #42299, #59709). Each old waypoint pod leaves with the grace
// period of the template that made it (terminate.ts). Sidecars and ztunnel keep their version until their
// own restart.
import { EndpointKind } from '../mesh/index.ts';
import type { Scenario, ScenarioEvent } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import type { Versions } from './versions.ts';
import { rollWaypoints, waypointDeployments, waypointExit } from './waypoints.ts';
import { running } from './workloads.ts';

export function controlPlane(
  host: DisruptionHost,
  s: Scenario,
  ev: Extract<ScenarioEvent, { target: 'control-plane' }>,
  versions: Versions,
  t: Tracker,
): void {
  const from = versions.controlPlane;
  const skew = versions.upgradeControlPlane(ev.to);
  if (skew) t.rec.notes.push(skew);
  const sidecars = host.placement.pods.filter(
    (p) => running(host, p) && host.podKind[p.index] === EndpointKind.Sidecar,
  ).length;
  const parts = [`istiod ${from} -> ${ev.to} rolls`];
  if (sidecars > 0) parts.push(`${sidecars} sidecars keep the old proxy version until their pods restart`);
  const deps = waypointDeployments(host, s);
  if (deps.size > 0)
    parts.push(
      `it re-renders ${deps.size} waypoint Deployments: ${[...deps.values()].flat().length} waypoint pods roll; ${waypointExit(host, versions.waypoint)}`,
    );
  else if (sidecars === 0) parts.push('no data-plane restart (ztunnel upgrades separately)');
  if (skew) parts.push(`VIOLATION: ${skew}`);
  t.rec.mechanism = parts.join('; ');
  if (deps.size === 0) {
    t.rolledOut();
    t.settled();
    return;
  }
  const old = versions.waypoint;
  versions.waypoint = ev.to;
  rollWaypoints(
    host,
    deps,
    ev.rollout,
    t,
    () => t.rolledOut(),
    () => t.settled(),
    old,
  );
}
