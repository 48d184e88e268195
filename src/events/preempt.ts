// A DaemonSet pod that finds no room on its node preempts lower-priority pods there, as kube-scheduler
// does for system-node-critical pods (ztunnel, istio-cni): the victims terminate gracefully and their
// Deployments replace them on other nodes. Without this a ztunnel update on a full node waits forever.
import { isDaemonSet, podRequests, priorityOf, selectVictims } from '../cluster/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { rollingRestart } from './rollout.ts';
import { drainOf } from './workloads.ts';

/** Evicts what `pod` needs evicted on `node` (nothing if it fits); returns the victims. */
export function preemptFor(host: DisruptionHost, pod: number, node: number, t: Tracker): number[] {
  const spec = host.placement.pods[pod]!;
  const need = { ...podRequests(spec), pods: 1 };
  const candidates = host.placement.pods
    .filter(
      (p) =>
        // Load generators stand outside the cluster being modelled: never victims.
        p.kind !== 'client' && !isDaemonSet(p) && host.podNode[p.index] === node && host.podUp[p.index] === 1,
    )
    .map((p) => ({ pod: p.index, priority: priorityOf(p), ...podRequests(p) }));
  const victims = selectVictims(candidates, priorityOf(spec), need, host.room.of(node));
  if (victims === null) {
    t.rec.notes.push(`${spec.name} cannot fit on its node even by preempting every lower-priority pod`);
    return [];
  }
  if (victims.length === 0) return [];
  t.rec.podsPreempted += victims.length;
  for (const v of victims) {
    const owner = host.placement.pods[v]!.owner;
    t.watch(owner, host.placement.byOwner.get(owner)!.length);
  }
  rollingRestart(
    host,
    {
      pods: victims,
      surge: 0,
      unavailable: victims.length,
      drain: drainOf(host),
      grace: host.lifecycle.terminationGrace,
      exclude: node,
    },
    t,
    () => {},
    () => {},
  );
  return victims;
}
