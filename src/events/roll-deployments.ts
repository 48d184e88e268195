// Several Deployments rolled by one event (a data-plane upgrade, a migration, waypoints), a given number
// at a time, each by its own RollingUpdate strategy.
import type { RolloutSettings } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import { resolveIntOrPercent, type Tracker } from './record.ts';
import { rollingRestart } from './rollout.ts';
import { drainOf } from './workloads.ts';

/**
 * Rolls the given Deployments, `parallel` at a time; each with its own maxSurge / maxUnavailable.
 * Calls `rolledOut` and `settled` once for the whole set.
 */
export function rollDeployments(
  host: DisruptionHost,
  deps: Map<string, number[]>,
  rollout: RolloutSettings,
  t: Tracker,
  extra: { newKind?: number; freeRoom?: boolean; drain?: (pod: number) => number; grace?: number },
  rolledOut: () => void,
  settled: () => void,
): void {
  const queue = [...deps.entries()];
  let active = 0;
  let unsettled = queue.length;
  if (queue.length === 0) {
    rolledOut();
    settled();
    return;
  }
  const next = () => {
    const parallel =
      rollout.parallelDeployments === 'all' ? queue.length + active : rollout.parallelDeployments;
    while (active < Math.max(1, parallel) && queue.length > 0) {
      const [owner, pods] = queue.shift()!;
      active++;
      t.watch(owner, pods.length);
      rollingRestart(
        host,
        {
          pods,
          surge: resolveIntOrPercent(rollout.maxSurge, pods.length, true),
          unavailable: resolveIntOrPercent(rollout.maxUnavailable, pods.length, false),
          drain: extra.drain ?? drainOf(host),
          grace: extra.grace ?? host.lifecycle.terminationGrace,
          newKind: extra.newKind,
          freeRoom: extra.freeRoom,
          newRevision: true,
        },
        t,
        () => {
          active--;
          if (queue.length === 0 && active === 0) rolledOut();
          next();
        },
        () => {
          if (--unsettled === 0) settled();
        },
      );
    }
  };
  next();
}
