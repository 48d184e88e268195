// `scale`: a Deployment (a service's, a waypoint's or the ingress gateway's) scaled to a number of replicas. Its ReplicaSet (replica-set.ts)
// does what kube-controller-manager's does with a new spec.replicas: it creates the missing pods, which
// kube-scheduler places as it would then (replica-placement.ts) and which wait Pending while no node has
// room, or deletes the surplus in its ranking order (replica-ranks.ts; kubernetes v1.31
// pkg/controller/replicaset/replica_set.go getPodsToDelete), each leaving as any deleted pod does
// (endpoints, drain, grace period). With an HPA, the count goes through the same ReplicaSet and the HPA
// moves on from it at its next sync.
import { type Scenario, type ScenarioEvent, scaleOwner } from '../scenario/index.ts';
import type { Autoscalers } from './autoscale.ts';
import type { Tracker } from './record.ts';
import { none } from './workloads.ts';

export function scale(
  s: Scenario,
  ev: Extract<ScenarioEvent, { kind: 'scale' }>,
  t: Tracker,
  autoscalers: Autoscalers,
): void {
  const owner = scaleOwner(s, ev.target);
  const rs = autoscalers.of(owner);
  if (!rs) {
    none(t, `${owner} does not run in this architecture`);
    return;
  }
  if (rs.rec.kind !== 'manual') {
    // Its ReplicaSet is the autoscaler's: the manual count goes through it, and the HPA moves on from it.
    t.watch(owner, ev.replicas);
    t.rec.mechanism = `${owner} is autoscaled: spec.replicas is set to ${ev.replicas}, and its HPA takes it from there at its next sync`;
    rs.scaleTo(ev.replicas);
    t.rolledOut();
    t.settled();
    return;
  }
  const before = rs.rec.desired.at(-1)!.replicas;
  t.watch(owner, ev.replicas);
  rs.scaleTo(ev.replicas);
  const after = rs.rec.desired.at(-1)!.replicas;
  const pods = (n: number) => `${n} pod${n === 1 ? '' : 's'}`;
  t.rec.mechanism =
    after >= before
      ? `${owner}: ${pods(after - before)} created (scheduled, started, ready after the startup time)`
      : `${owner}: ${pods(before - after)} deleted in the ReplicaSet's order (their connections drain and reset)`;
  if (after !== ev.replicas)
    t.rec.notes.push(
      `${owner}: only ${after} of ${ev.replicas} replicas: the slots of pods still leaving were not free yet`,
    );
  // Rolled out when no created pod is still pending or starting; settled when no deleted one is leaving.
  const follow = () => {
    if (t.rec.completed) return;
    const { arriving, leaving } = rs.inTransit();
    if (t.rec.rolloutDuration === null && arriving === 0) t.rolledOut();
    if (arriving === 0 && leaving === 0) t.settled();
  };
  rs.onChange(follow);
  follow();
}
