// `upgrade: waypoint`: a rolling restart of the waypoint Deployments.
import type { RolloutSettings, Scenario } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { rollDeployments } from './roll-deployments.ts';
import { none, running } from './workloads.ts';

export function waypoints(
  host: DisruptionHost,
  s: Scenario,
  rollout: RolloutSettings,
  t: Tracker,
  name?: string,
): void {
  const deps = new Map<string, number[]>();
  for (const w of s.waypoints) {
    if (name && w.name !== name) continue;
    const owner = `${w.namespace}/${w.name}`;
    const pods = (host.placement.byOwner.get(owner) ?? []).filter((i) =>
      running(host, host.placement.pods[i]!),
    );
    if (pods.length > 0) deps.set(owner, pods);
  }
  if (deps.size === 0) {
    none(t, 'no waypoint runs in this architecture');
    return;
  }
  t.rec.mechanism = `rolling restart of ${[...deps.values()].flat().length} waypoint pods; their callers' connections drain and reset`;
  rollDeployments(
    host,
    deps,
    rollout,
    t,
    { drain: () => host.lifecycle.sidecarDrain },
    () => t.rolledOut(),
    () => t.settled(),
  );
}
