// Pod priority and the victims kube-scheduler preempts to make room for a more important pod.

import type { PodSpec } from './pod.ts';

/**
 * The built-in system-node-critical PriorityClass (kubernetes/kubernetes pkg/apis/scheduling/types.go,
 * SystemCriticalPriority + 1000). Istio's ztunnel and istio-cni DaemonSets run with it (istio/istio
 * manifests/charts/ztunnel/templates/daemonset.yaml and manifests/charts/istio-cni/templates/daemonset.yaml,
 * `priorityClassName: system-node-critical`, 1.22 to 1.28).
 */
export const SYSTEM_NODE_CRITICAL = 2_000_001_000;

/** Pods without a priorityClassName get 0 (no global default PriorityClass is assumed). */
export function priorityOf(pod: Pick<PodSpec, 'kind'>): number {
  return pod.kind === 'ztunnel' || pod.kind === 'istio-cni' ? SYSTEM_NODE_CRITICAL : 0;
}

export interface Candidate {
  pod: number;
  priority: number;
  cpu: number;
  memory: number;
}

export interface Room {
  cpu: number;
  memory: number;
  pods: number;
}

/**
 * The pods to evict on one node so that a pod of `priority` needing `need` fits, or null if evicting every
 * lower-priority pod is not enough. As kube-scheduler's default preemption selects victims on a node
 * (kubernetes/kubernetes pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go,
 * SelectVictimsOnNode, v1.33): remove every lower-priority pod, then reprieve them, most important first
 * (higher priority, then the order given, standing for start time), while the preemptor still fits.
 */
export function selectVictims(
  candidates: Candidate[],
  priority: number,
  need: Room,
  free: Room,
): number[] | null {
  const fits = (r: Room) => r.cpu >= need.cpu - 1e-9 && r.memory >= need.memory - 1e-6 && r.pods >= need.pods;
  const lower = candidates.filter((c) => c.priority < priority);
  const room: Room = { ...free };
  for (const c of lower) {
    room.cpu += c.cpu;
    room.memory += c.memory;
    room.pods += 1;
  }
  if (!fits(room)) return null;
  const ordered = lower
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.priority - a.c.priority || a.i - b.i)
    .map((x) => x.c);
  const victims: number[] = [];
  for (const c of ordered) {
    const kept: Room = { cpu: room.cpu - c.cpu, memory: room.memory - c.memory, pods: room.pods - 1 };
    if (fits(kept)) {
      room.cpu = kept.cpu;
      room.memory = kept.memory;
      room.pods = kept.pods;
    } else victims.push(c.pod);
  }
  return victims;
}
