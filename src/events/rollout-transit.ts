// A rollout's pods between the states the pod table shows (one index per pod, one node per index): the
// new pod of an index bound to its node while it starts (kube-scheduler counts a pod from its binding),
// the old one still terminating once the index has moved on, and an index whose old pod leaves first (no
// surge), which is no pod at all until the new one takes over. What kube-scheduler's topology rules count
// of an owner's pods (room.ts, replica-pods.ts) adds these: a starting pod counts as running, a
// terminating one only for the required anti-affinity.
import type { DisruptionHost } from './host.ts';

/**
 * A rollout's pod between what the pod table shows: the new pod of an index bound to `node` and still
 * starting (STARTING), the old one terminating there (TERMINATING), or an index whose old pod left before
 * its new one took over (VACANT: the index is no pod on its node, the old pod counts as TERMINATING while
 * it lasts and the new one as STARTING once bound).
 */
const STARTING = 0;
const TERMINATING = 1;
const VACANT = 2;

interface Transit {
  owner: string;
  pod: number;
  node: number;
  state: number;
}

const transits = new WeakMap<DisruptionHost, Transit[]>();

function addTransit(host: DisruptionHost, pod: number, node: number, state: number): () => void {
  let list = transits.get(host);
  if (!list) transits.set(host, (list = []));
  const t: Transit = { owner: host.placement.pods[pod]!.owner, pod, node, state };
  list.push(t);
  return () => {
    const i = list.indexOf(t);
    if (i >= 0) list.splice(i, 1);
  };
}

/**
 * A rollout bound the new pod of index `pod` to `node`: it counts there from now. Call the result when
 * the pod takes over its index (the index then is the new pod, on its node).
 */
export function boundReplacement(host: DisruptionHost, pod: number, node: number): () => void {
  const drop = addTransit(host, pod, node, STARTING);
  return () => {
    drop();
    const list = transits.get(host)!;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]!.pod === pod && list[i]!.state === VACANT) list.splice(i, 1);
    }
  };
}

/**
 * The old pod of index `pod` terminates on `node`; call the result when it is gone. `vacates`: it leaves
 * before its replacement takes over (no surge), so the index is no pod until then.
 */
export function terminatingOld(
  host: DisruptionHost,
  pod: number,
  node: number,
  vacates: boolean,
): () => void {
  if (vacates) addTransit(host, pod, -1, VACANT);
  return addTransit(host, pod, node, TERMINATING);
}

/** The nodes of the owner's rollout pods in transit: all of them, and those not terminating. */
export function transitNodes(host: DisruptionHost, owner: string): { all: number[]; live: number[] } {
  const all: number[] = [];
  const live: number[] = [];
  for (const t of transits.get(host) ?? []) {
    if (t.owner !== owner || t.state === VACANT) continue;
    all.push(t.node);
    if (t.state === STARTING) live.push(t.node);
  }
  return { all, live };
}

/** The node the new pod of index `pod` is bound to while it starts, -1 when it is not starting. */
export function startingNode(host: DisruptionHost, pod: number): number {
  for (const t of transits.get(host) ?? []) if (t.pod === pod && t.state === STARTING) return t.node;
  return -1;
}

/** Whether index `pod` is vacant: its old pod left (or is leaving) before its new one took over. */
export function vacant(host: DisruptionHost, pod: number): boolean {
  return transits.get(host)?.some((t) => t.pod === pod && t.state === VACANT) ?? false;
}
