// A rollout's pods between the states the pod table shows (one index per pod, one node per index): the
// new pod of an index bound to its node while it starts (kube-scheduler counts a pod from its binding),
// and the old one still terminating once the index has moved on, or before it does when the old pod
// leaves first (no surge). What kube-scheduler's topology rules count of an owner's pods (room.ts,
// replica-pods.ts) adds these: a starting pod counts as running, a terminating one only for the
// required anti-affinity.
import type { DisruptionHost } from './host.ts';

/**
 * A rollout's pod between what the pod table shows: the new pod of an index bound to `node` and still
 * starting (`starting`), or the old one terminating there (`shadowsIndex` while the index still is that
 * old pod: the new one has not taken over).
 */
interface Transit {
  owner: string;
  pod: number;
  node: number;
  starting: boolean;
  shadowsIndex: boolean;
}

const transits = new WeakMap<DisruptionHost, Transit[]>();

function addTransit(host: DisruptionHost, t: Transit): () => void {
  let list = transits.get(host);
  if (!list) transits.set(host, (list = []));
  list.push(t);
  return () => {
    const i = list.indexOf(t);
    if (i >= 0) list.splice(i, 1);
  };
}

/**
 * A rollout bound the new pod of index `pod` to `node`: it counts there from now. Call the result when
 * the pod takes over its index (the index then is the new pod, and its old one no longer shadows it).
 */
export function boundReplacement(host: DisruptionHost, pod: number, node: number): () => void {
  const owner = host.placement.pods[pod]!.owner;
  const drop = addTransit(host, { owner, pod, node, starting: true, shadowsIndex: false });
  return () => {
    drop();
    for (const t of transits.get(host) ?? []) if (t.pod === pod && !t.starting) t.shadowsIndex = false;
  };
}

/**
 * The old pod of index `pod` terminates on `node` (`shadowsIndex`: its index still is that old pod); call
 * the result when it is gone.
 */
export function terminatingOld(
  host: DisruptionHost,
  pod: number,
  node: number,
  shadowsIndex: boolean,
): () => void {
  const owner = host.placement.pods[pod]!.owner;
  return addTransit(host, { owner, pod, node, starting: false, shadowsIndex });
}

/** The nodes of the owner's rollout pods in transit: all of them, and those not terminating. */
export function transitNodes(host: DisruptionHost, owner: string): { all: number[]; live: number[] } {
  const all: number[] = [];
  const live: number[] = [];
  for (const t of transits.get(host) ?? []) {
    if (t.owner !== owner) continue;
    all.push(t.node);
    if (t.starting) live.push(t.node);
  }
  return { all, live };
}

/** Whether index `pod` still is an old pod a rollout is terminating (transitNodes counts it). */
export function shadowed(host: DisruptionHost, pod: number): boolean {
  return transits.get(host)?.some((t) => t.pod === pod && t.shadowsIndex) ?? false;
}
