// Faults: a proxy or a node dies and comes back after `recovery`. The blast radius falls out of what
// depends on it in each architecture: a sidecar takes down its own pod, a ztunnel every captured pod of
// its node (kubelet probes bypass ztunnel, so those pods stay in load balancing and callers hit a dead
// proxy), a waypoint replica every caller it serves, a node everything on it.
import { NODE_UNREACHABLE } from '../cluster/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { rollingRestart } from './rollout.ts';

export function proxyFault(
  host: DisruptionHost,
  proxy: number,
  pod: number,
  recovery: number,
  t: Tracker,
): void {
  const container = host.proxyContainer(proxy);
  host.setProxyUp(proxy, false);
  // A pod whose proxy is down fails its readiness probe (the sidecar, or the waypoint itself).
  if (pod >= 0) host.setReady(pod, false);
  host.after(recovery, () => {
    // It runs again unless something else holds it down too (an OOM kill's back-off): its pod's
    // readiness then waits for that (the host keeps a pod whose proxy is down out of load balancing).
    // A container replaced meanwhile (its pod by a rollout, a ztunnel by its DaemonSet) no longer had it.
    host.setProxyUp(proxy, true, container);
    host.proxyConnected?.(proxy);
    if (pod >= 0) host.setReady(pod, true);
    t.settled();
  });
}

/**
 * A node dies without a word: its kubelet stops reporting, and nothing on it answers or refuses, so
 * requests and connections to it hang until their timeouts (not resets). Kubernetes only reacts once the
 * node controller marks it NotReady after node-monitor-grace-period (`notReadyAfter`): its pods are then
 * marked not ready and leave every endpoint list. They are evicted `evictAfter` later (tolerationSeconds)
 * and their Deployments start replacements elsewhere. If the node returns first, its pods restart in place
 * and what hung on it is reset.
 */
export function nodeFault(
  host: DisruptionHost,
  node: number,
  ev: { recovery: number; notReadyAfter: number; evictAfter: number },
  t: Tracker,
): number[] {
  const pods = host.placement.pods.filter((p) => host.podNode[p.index] === node && host.podUp[p.index] === 1);
  const proxies = new Set<number>();
  for (const p of pods) {
    const px = host.proxyOfPod(p.index);
    if (px >= 0) proxies.add(px);
  }
  const z = host.ztunnelOfNode[node]!;
  if (z >= 0) proxies.add(z);
  host.blackHoleNode(node, true);
  let back = false;
  let evicted: number[] = [];
  host.after(ev.notReadyAfter, () => {
    if (back) return;
    for (const p of pods) host.setReady(p.index, false);
    // The node lifecycle controller taints it unreachable (NoSchedule): kube-scheduler places nothing
    // new there until it reports again.
    host.room.close(node, NODE_UNREACHABLE);
  });
  host.after(ev.notReadyAfter + ev.evictAfter, () => {
    if (back) return;
    // The ReplicaSets replace the evicted pods (DaemonSet pods tolerate the taint): on other nodes while
    // this one is tainted unreachable (closed above), on any node once it is back; a replacement still
    // Pending then may go back to it.
    // A pod another controller has already taken down (its ReplicaSet deleting it, a rollout replacing
    // it) is left to that controller: evicting it too would place its index twice.
    evicted = pods
      .filter((p) => p.kind === 'app' || p.kind === 'waypoint' || p.kind === 'gateway')
      .filter((p) => host.podUp[p.index] === 1)
      .map((p) => p.index);
    rollingRestart(
      host,
      {
        pods: evicted,
        surge: 0,
        unavailable: evicted.length,
        drain: () => 0,
        grace: 0,
      },
      t,
      () => {},
      () => {},
    );
  });
  host.after(ev.recovery, () => {
    back = true;
    host.blackHoleNode(node, false);
    if (host.room.closed(node) === NODE_UNREACHABLE) host.room.close(node, null);
    // The rebooted node's proxies know nothing of the connections that crossed them, and its kubelet
    // nothing of their crash back-offs.
    for (const px of proxies) {
      host.setProxyUp(px, false);
      host.proxyReplaced(px);
      host.proxyConnected?.(px);
    }
    for (const p of pods) {
      // Evicted, moved by a rollout meanwhile, or deleted by its ReplicaSet (taken down then): nothing of
      // it is left on the node to restart.
      if (
        evicted.includes(p.index) ||
        host.podNode[p.index] !== node ||
        host.podUp[p.index] !== 1 ||
        !host.podPresent(p.index)
      )
        continue;
      // The node is back and its pods restart in place: a new generation of each.
      host.resetConnectionsTo(p.index, host.podGen[p.index]!);
      host.setUp(p.index, false);
      host.retire(p.index, 0, 0);
      host.after(host.startupTime(p.index), () => {
        host.setUp(p.index, true);
        host.setReady(p.index, true);
        if (p.kind === 'app' || p.kind === 'waypoint' || p.kind === 'gateway') t.restarted();
      });
    }
    t.settled();
  });
  return pods.map((p) => p.index);
}
