// What the mechanisms look up in the running simulation: which pods run, which Deployments to roll,
// how long a pod's proxy drains, and how an event that means nothing in this architecture ends.
import type { PlacedPod } from '../cluster/index.ts';
import { EndpointKind } from '../mesh/index.ts';
import type { DaemonSet, DisruptionBudget, Scenario } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';

/** Where it runs now: an autoscaler may have placed a standby pod, or deleted a placed one. */
export const running = (host: DisruptionHost, p: PlacedPod) =>
  host.podNode[p.index]! >= 0 && host.podUp[p.index] === 1;

/** Deployments (owner -> pods) of application pods matching `pick`, in scenario order. */
export function deployments(host: DisruptionHost, pick: (p: PlacedPod) => boolean): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const p of host.placement.pods) {
    if (p.kind !== 'app' || !running(host, p) || !pick(p)) continue;
    const list = out.get(p.owner) ?? [];
    list.push(p.index);
    out.set(p.owner, list);
  }
  return out;
}

export function drainOf(host: DisruptionHost) {
  return (pod: number) => (host.podKind[pod] === EndpointKind.Sidecar ? host.lifecycle.sidecarDrain : 0);
}

/** The event does nothing in this architecture: say why, and close it at once. */
export function none(t: Tracker, why: string): void {
  t.rec.mechanism = why;
  t.rolledOut();
  t.settled();
}

/** What the scenario says of its workloads that the mechanisms need beyond the placement. */
export interface WorkloadSettings {
  daemonSets: readonly DaemonSet[];
  /** PodDisruptionBudgets by owner (service key). */
  budgets: ReadonlyMap<string, DisruptionBudget>;
}

export function workloadsOf(s: Scenario): WorkloadSettings {
  const budgets = new Map<string, DisruptionBudget>();
  for (const svc of s.services) if (svc.disruptionBudget) budgets.set(svc.key, svc.disruptionBudget);
  return { daemonSets: s.cluster.daemonSets ?? [], budgets };
}
