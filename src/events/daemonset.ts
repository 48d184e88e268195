// The ztunnel DaemonSet's rolling update, node by node (chart default maxSurge 1, maxUnavailable 0): the
// new ztunnel starts beside the old one and takes the node's new connections when ready; the old one
// drains (ztunnel's drain: grace - 5 s = 25 s) and then resets every connection still open through it.
// With maxSurge 0 the old one stops first: the node's captured pods have no ztunnel until the new one is up.
import type { DisruptionHost } from './host.ts';
import { preemptFor } from './preempt.ts';
import type { Tracker } from './record.ts';
import { freeRoom, placePod } from './room.ts';

export interface DaemonSetPlan {
  nodes: number[];
  surge: number;
  unavailable: number;
}

export function ztunnelRollout(
  host: DisruptionHost,
  plan: DaemonSetPlan,
  t: Tracker,
  rolledOut: () => void,
  settled: () => void,
): void {
  const queue = [...plan.nodes];
  const parallel = Math.max(1, plan.surge > 0 ? plan.surge : plan.unavailable);
  const drain = host.lifecycle.ztunnelDrain;
  let running = 0;
  let draining = 0;
  let rolled = false;
  const check = () => {
    if (!rolled && queue.length === 0 && running === 0) {
      rolled = true;
      rolledOut();
    }
    if (rolled && draining === 0) settled();
  };
  const pump = () => {
    while (queue.length > 0 && running < parallel) {
      running++;
      one(queue.shift()!);
    }
    check();
  };
  const one = (node: number) => {
    const z = host.ztunnelOfNode[node]!;
    const pod = host.placement.ztunnelOfNode[node]!;
    if (plan.surge > 0) {
      preemptFor(host, pod, node, t);
      placePod(host, pod, t, { node }, (room) => {
        host.after(host.startupTime(), () => {
          host.ztunnelSwitch(node, drain);
          host.proxyReplaced(z);
          host.proxyConnected?.(z);
          t.rec.daemonSetPodsReplaced++;
          draining++;
          host.after(drain, () => {
            freeRoom(host, t, room);
            draining--;
            check();
          });
          running--;
          pump();
        });
      });
      return;
    }
    host.setProxyUp(z, false);
    host.after(host.startupTime(), () => {
      host.ztunnelSwitch(node, 0);
      host.proxyReplaced(z);
      host.proxyConnected?.(z);
      t.rec.daemonSetPodsReplaced++;
      running--;
      pump();
    });
  };
  pump();
}
