// Cordon and drain, node by node, before each node's ztunnel restarts.
import { NODE_CORDONED } from '../cluster/index.ts';
import { desiredHealthy } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { rollingRestart } from './rollout.ts';
import { drainOf, running, type WorkloadSettings } from './workloads.ts';

/**
 * kubectl drain retries an eviction a PodDisruptionBudget refuses (HTTP 429) after EvictErrorRetryDelay,
 * 5 s (kubernetes/kubectl pkg/cmd/drain/drain.go; pkg/drain/drain.go evictPods), with no flag to change it.
 */
const EVICT_RETRY = 5;

/**
 * The alternative users take to avoid resets: drain each node before its ztunnel restarts, so nothing is
 * left for the old ztunnel to reset. As kubectl drain does, every pod on the node is evicted at once, each
 * eviction refused while its owner's PodDisruptionBudget allows no disruption and retried 5 s later (the
 * eviction API's check, pkg/registry/core/pod/storage/eviction.go: disruptionsAllowed = healthy - desired).
 * ASSUMPTION: an owner's healthy pods are those running when the upgrade began less those this drain
 * evicted whose replacement is not ready yet. Replacements go to an upgraded node when they fit, and the
 * ztunnel restarts once the evicted pods are gone. It costs a restart of every pod (some twice, when a
 * replacement had to land on a node drained later).
 */
export function cordonDrain(
  host: DisruptionHost,
  nodes: number[],
  t: Tracker,
  rolledOut: () => void,
  settled: () => void,
  budgets: WorkloadSettings['budgets'] = new Map(),
): void {
  const queue = [...nodes];
  let previous = -1;
  // Per owner: its pods running when the drain began, and those evicted not yet replaced by a ready pod.
  const expected = new Map<string, number>();
  // Budgets are a service's: a waypoint or gateway named like one is not under it.
  const budgetOf = (pod: number) => {
    const p = host.placement.pods[pod]!;
    return p.kind === 'app' ? budgets.get(p.owner) : undefined;
  };
  for (const p of host.placement.pods)
    if (budgetOf(p.index) && running(host, p)) expected.set(p.owner, (expected.get(p.owner) ?? 0) + 1);
  const out = new Map<string, number>();
  const allowed = (pod: number) => {
    const b = budgetOf(pod);
    if (!b) return true;
    const owner = host.placement.pods[pod]!.owner;
    const n = expected.get(owner) ?? 0;
    return n - (out.get(owner) ?? 0) - desiredHealthy(b, n) > 0;
  };
  const next = () => {
    const node = queue.shift();
    if (node === undefined) {
      rolledOut();
      settled();
      return;
    }
    const pods = host.placement.pods
      .filter(
        (p) =>
          (p.kind === 'app' || p.kind === 'waypoint' || p.kind === 'gateway') &&
          running(host, p) &&
          host.podNode[p.index] === node,
      )
      .map((p) => p.index);
    for (const p of pods) {
      const owner = host.placement.pods[p]!.owner;
      t.watch(owner, host.placement.byOwner.get(owner)!.length);
    }
    // kubectl cordon: nothing new lands on it (an autoscaler's or another rollout's pod) until it is
    // uncordoned once its ztunnel runs again.
    host.room.close(node, NODE_CORDONED);
    let gone = 0;
    const restartZtunnel = () =>
      host.after(host.startupTime(), () => {
        host.ztunnelSwitch(node, host.lifecycle.ztunnelDrain);
        if (host.room.closed(node) === NODE_CORDONED) host.room.close(node, null);
        host.proxyConnected?.(host.ztunnelOfNode[node]!);
        t.rec.daemonSetPodsReplaced++;
        previous = node;
        next();
      });
    const evict = (pod: number) => {
      const owner = host.placement.pods[pod]!.owner;
      if (!allowed(pod)) {
        host.after(EVICT_RETRY, () => evict(pod));
        return;
      }
      const budgeted = budgetOf(pod) !== undefined;
      if (budgeted) out.set(owner, (out.get(owner) ?? 0) + 1);
      rollingRestart(
        host,
        {
          pods: [pod],
          surge: 0,
          unavailable: 1,
          drain: drainOf(host),
          grace: host.lifecycle.terminationGrace,
          exclude: node,
          prefer: previous,
        },
        t,
        () => {
          if (budgeted) out.set(owner, out.get(owner)! - 1);
        },
        () => {
          if (++gone === pods.length) restartZtunnel();
        },
      );
    };
    if (pods.length === 0) restartZtunnel();
    else for (const p of pods) evict(p);
  };
  next();
}
