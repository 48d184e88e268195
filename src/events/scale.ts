// `scale`: a Deployment (or a waypoint) scaled to a number of replicas.
import type { Scenario, ScenarioEvent } from '../scenario/index.ts';
import type { Autoscalers } from './autoscale.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { graceOf, leaveEndpoints, terminate } from './terminate.ts';
import type { Versions } from './versions.ts';
import { none } from './workloads.ts';

export function scale(
  host: DisruptionHost,
  s: Scenario,
  ev: Extract<ScenarioEvent, { kind: 'scale' }>,
  versions: Versions,
  t: Tracker,
  autoscalers: Autoscalers,
): void {
  const wp = s.waypoints.find((w) => w.name === ev.target);
  const owner = wp ? `${wp.namespace}/${wp.name}` : ev.target;
  const hpa = autoscalers.of(owner);
  if (hpa) {
    // Its ReplicaSet is the autoscaler's: the manual count goes through it, and the HPA moves on from it.
    t.watch(owner, ev.replicas);
    t.rec.mechanism = `${owner} is autoscaled: spec.replicas is set to ${ev.replicas}, and its HPA takes it from there at its next sync`;
    hpa.scaleTo(ev.replicas);
    t.rolledOut();
    t.settled();
    return;
  }
  const pods = (host.placement.byOwner.get(owner) ?? []).filter((i) => host.podNode[i]! >= 0);
  if (pods.length === 0) {
    none(t, `${owner} does not run in this architecture`);
    return;
  }
  const want = Math.min(ev.replicas, pods.length);
  if (ev.replicas > pods.length)
    t.rec.notes.push(`scale-up is limited to the ${pods.length} placed pods of ${owner}`);
  const up = pods.filter((i) => host.podUp[i] === 1);
  t.watch(owner, up.length);
  let pending = 0;
  const done = () => {
    if (--pending <= 0) t.settled();
  };
  const down = up.slice(want);
  const start = pods.slice(0, want).filter((i) => host.podUp[i] === 0);
  t.rec.mechanism = `${owner}: ${down.length} pods scale down (their connections drain and reset), ${start.length} start`;
  pending = down.length + start.length;
  for (const pod of down) {
    leaveEndpoints(host, pod);
    terminate(host, pod, host.lifecycle.sidecarDrain, graceOf(host, pod, versions.waypoint), done);
    host.setUp(pod, false);
  }
  for (const pod of start) {
    host.after(host.startupTime(), () => {
      host.setUp(pod, true);
      host.setReady(pod, true);
      done();
    });
  }
  t.rolledOut();
  if (pending === 0) t.settled();
}
