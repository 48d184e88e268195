// Cordon and drain, node by node, before each node's ztunnel restarts.
import { NODE_CORDONED } from '../cluster/index.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { rollingRestart } from './rollout.ts';
import { drainOf, running } from './workloads.ts';

/**
 * The alternative users take to avoid resets: drain each node before its ztunnel restarts, so nothing is
 * left for the old ztunnel to reset. Evictions honour a PodDisruptionBudget of one pod at a time (the next
 * waits until the previous replacement is ready), replacements go to an upgraded node when they fit, and
 * the ztunnel restarts once the evicted pods are gone. It costs a restart of every pod (some twice, when
 * a replacement had to land on a node drained later).
 */
export function cordonDrain(
  host: DisruptionHost,
  nodes: number[],
  t: Tracker,
  rolledOut: () => void,
  settled: () => void,
): void {
  const queue = [...nodes];
  let previous = -1;
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
    const evict = (i: number) => {
      if (i >= pods.length) return;
      rollingRestart(
        host,
        {
          pods: [pods[i]!],
          surge: 0,
          unavailable: 1,
          drain: drainOf(host),
          grace: host.lifecycle.terminationGrace,
          exclude: node,
          prefer: previous,
        },
        t,
        () => evict(i + 1),
        () => {
          if (++gone === pods.length) restartZtunnel();
        },
      );
    };
    if (pods.length === 0) restartZtunnel();
    else evict(0);
  };
  next();
}
