// Faults: a proxy or a node dies and comes back after `recovery`. The blast radius falls out of what
// depends on it in each architecture: a sidecar takes down its own pod, a ztunnel every captured pod of
// its node (kubelet probes bypass ztunnel, so those pods stay in load balancing and callers hit a dead
// proxy), a waypoint replica every caller it serves, a node everything on it.
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';

export function proxyFault(
  host: DisruptionHost,
  proxy: number,
  pod: number,
  recovery: number,
  t: Tracker,
): void {
  host.setProxyUp(proxy, false);
  // A pod whose proxy is down fails its readiness probe (the sidecar, or the waypoint itself).
  if (pod >= 0) host.setReady(pod, false);
  host.after(recovery, () => {
    host.setProxyUp(proxy, true);
    if (pod >= 0) host.setReady(pod, true);
    t.settled();
  });
}

export function nodeFault(host: DisruptionHost, node: number, recovery: number, t: Tracker): number[] {
  const pods = host.placement.pods.filter((p) => host.podNode[p.index] === node && host.podUp[p.index] === 1);
  const proxies = new Set<number>();
  for (const p of pods) {
    host.setReady(p.index, false);
    host.setUp(p.index, false);
    host.kill(p.index, host.podGen[p.index]!);
    const px = host.proxyOfPod(p.index);
    if (px >= 0) proxies.add(px);
  }
  const z = host.ztunnelOfNode[node]!;
  if (z >= 0) proxies.add(z);
  for (const px of proxies) host.setProxyUp(px, false);
  host.after(recovery, () => {
    for (const px of proxies) host.setProxyUp(px, true);
    for (const p of pods) {
      // The node is back and its pods restart in place: a new generation of each.
      host.retire(p.index, 0, 0);
      host.setUp(p.index, true);
      host.setReady(p.index, true);
      if (p.kind === 'app' || p.kind === 'waypoint') t.restarted();
    }
    t.settled();
  });
  return pods.map((p) => p.index);
}
