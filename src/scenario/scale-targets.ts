// Which Deployment each `scale` event sets spec.replicas of, and to what: the pods a Deployment may need
// over the run (deploy.ts keeps a standby pod for each one past its starting count) and the ReplicaSets
// the run follows (events/autoscale.ts).
import type { Scenario } from './types.ts';

/** A `scale` event's Deployment: a waypoint by its name (`ns/name`), else the service key it normalised to. */
export function scaleOwner(s: Scenario, target: string): string {
  const wp = s.waypoints.find((w) => w.name === target);
  return wp ? `${wp.namespace}/${wp.name}` : target;
}

/** Each scaled Deployment's spec.replicas, in the order of its `scale` events. */
export function scaledReplicas(s: Scenario): Map<string, number[]> {
  const out = new Map<string, number[]>();
  // The loader keeps events in time order.
  for (const e of s.events) {
    if (e.kind !== 'scale') continue;
    const owner = scaleOwner(s, e.target);
    const list = out.get(owner) ?? [];
    list.push(e.replicas);
    out.set(owner, list);
  }
  return out;
}

/**
 * Pod slots a Deployment without an HPA needs for its `scale` events: the most replicas it asks for, plus
 * one per pod deleted on the way, since a deleted pod keeps its slot while it terminates and the
 * ReplicaSet does not wait for it to create the next one.
 */
export function scaleSlots(start: number, counts: readonly number[]): number {
  let top = start;
  let deleted = 0;
  let prev = start;
  for (const n of counts) {
    top = Math.max(top, n);
    deleted += Math.max(0, prev - n);
    prev = n;
  }
  return top + deleted;
}
