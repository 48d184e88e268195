// `upgrade: dataplane` with sidecars also restarts the platform DaemonSets' injected pods: a new sidecar
// needs a new pod, and a DaemonSet replaces its pods as its updateStrategy says, node by node. With
// RollingUpdate (default maxUnavailable 1, maxSurge 0: kubernetes/kubernetes v1.34
// pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet) maxUnavailable nodes' pods at a time: the old pod
// terminates (its sidecar drains, lifecycle.sidecarDrain) before the new one starts and becomes ready
// (percentages of its pods rounded up, apps/v1 RollingUpdateDaemonSet);
// with maxSurge the new pod starts first and the old one goes once it is ready (ASSUMPTION: the node has
// room for both). OnDelete replaces nothing: its pods keep the old sidecar until someone deletes them.
// DaemonSets roll side by side. Their pods serve no traffic meshsim simulates: what shows is the restarts
// and how long the rollout takes.
// A `migrate` of their namespace replaces them the same way, each new pod without a sidecar: captured by
// ztunnel once its node's istio-cni agent runs (as a migrated Deployment's pods, rollout.ts).
import { EndpointKind } from '../mesh/index.ts';
import type { DaemonSet } from '../scenario/index.ts';
import type { DisruptionHost } from './host.ts';
import { whenCniReady } from './istio-cni.ts';
import { resolveIntOrPercent, type Tracker } from './record.ts';
import { running } from './workloads.ts';

/** The platform DaemonSets whose running pods carry a sidecar now, with those pods. */
export function injectedDaemonSets(
  host: DisruptionHost,
  daemonSets: readonly DaemonSet[],
): Array<{ ds: DaemonSet; pods: number[] }> {
  const out: Array<{ ds: DaemonSet; pods: number[] }> = [];
  for (const ds of daemonSets) {
    const pods = (host.placement.byOwner.get(ds.key) ?? []).filter((i) => {
      const p = host.placement.pods[i]!;
      return p.kind === 'daemon' && host.podKind[i] === EndpointKind.Sidecar && running(host, p);
    });
    if (pods.length > 0) out.push({ ds, pods });
  }
  return out;
}

/**
 * Replaces each DaemonSet's `pods` as its strategy says; `done` once every DaemonSet has rolled. With
 * `toAmbient` (a migration) each new pod has no sidecar and starts once its node's istio-cni agent runs.
 */
export function restartDaemonSets(
  host: DisruptionHost,
  sets: Array<{ ds: DaemonSet; pods: number[] }>,
  t: Tracker,
  done: () => void,
  toAmbient = false,
): void {
  const rolling = sets.filter((x) => x.ds.updateStrategy.type === 'RollingUpdate');
  for (const x of sets)
    if (x.ds.updateStrategy.type === 'OnDelete')
      t.rec.notes.push(
        `DaemonSet ${x.ds.key} (OnDelete): ${x.pods.length} pods keep their old sidecar until deleted`,
      );
  let left = rolling.length;
  if (left === 0) {
    done();
    return;
  }
  for (const { ds, pods } of rolling) {
    const u = ds.updateStrategy;
    const surge = resolveIntOrPercent(u.maxSurge, pods.length, true);
    const parallel = Math.max(
      1,
      surge > 0 ? surge : resolveIntOrPercent(u.maxUnavailable, pods.length, true),
    );
    // With a surge the old pod goes once the new one is ready; else it is gone (drained) before that starts.
    const stop = surge > 0 ? 0 : host.lifecycle.sidecarDrain;
    const queue = [...pods];
    let busy = 0;
    const pump = () => {
      while (queue.length > 0 && busy < parallel) {
        const pod = queue.shift()!;
        busy++;
        t.restarted();
        const replaced = () => {
          busy--;
          pump();
        };
        if (!toAmbient) host.after(stop + host.startupTime(pod), replaced);
        else
          host.after(stop, () =>
            whenCniReady(host, host.podNode[pod]!, () =>
              host.after(host.startupTime(pod, EndpointKind.Captured), () => {
                host.setKind(pod, EndpointKind.Captured);
                replaced();
              }),
            ),
          );
      }
      if (queue.length === 0 && busy === 0 && --left === 0) done();
    };
    pump();
  }
}
