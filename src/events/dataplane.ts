// `upgrade: dataplane`: a rolling restart of every injected Deployment with sidecars, a ztunnel DaemonSet
// update (or a cordon-and-drain of each node) in ambient mode, a second node pool with blue/green.
import { EndpointKind } from '../mesh/index.ts';
import type { ScenarioEvent } from '../scenario/index.ts';
import { cordonDrain } from './cordon-drain.ts';
import { injectedDaemonSets, restartDaemonSets } from './daemon-set-restart.ts';
import { ztunnelRollout } from './daemonset.ts';
import type { DisruptionHost } from './host.ts';
import { istioCniRollout } from './istio-cni.ts';
import { resolveIntOrPercent, type Tracker } from './record.ts';
import { rollDeployments } from './roll-deployments.ts';
import type { Versions } from './versions.ts';
import { deployments, none, running, type WorkloadSettings } from './workloads.ts';

export function dataplane(
  host: DisruptionHost,
  ev: Extract<ScenarioEvent, { target: 'dataplane' }>,
  versions: Versions,
  t: Tracker,
  workloads: WorkloadSettings,
): void {
  const injected = deployments(host, (p) => host.podKind[p.index] === EndpointKind.Sidecar);
  const daemons = injectedDaemonSets(host, workloads.daemonSets);
  const ztNodes = [...host.ztunnelOfNode.keys()].filter((n) => host.ztunnelOfNode[n]! >= 0);
  const captured = host.placement.pods.some(
    (p) => running(host, p) && host.podKind[p.index] === EndpointKind.Captured,
  );
  const parts: string[] = [];
  let pendingRolls = 0;
  let pendingSettles = 0;
  const rolled = () => {
    if (--pendingRolls === 0) t.rolledOut();
  };
  const settle = () => {
    if (--pendingSettles === 0) t.settled();
  };
  const nodeCount = host.placement.nodes.length;
  const cniNodes = host.placement.pods
    .filter((p) => p.kind === 'istio-cni' && p.node >= 0)
    .map((p) => p.node);

  if (ev.strategy === 'blue-green') {
    // A new node pool with the new version everywhere; every pod moves over once; both pools run meanwhile.
    const all = deployments(host, () => true);
    parts.push(
      `blue/green: ${[...all.values()].flat().length} pods move to a new pool of ${nodeCount} nodes`,
    );
    pendingRolls = pendingSettles = 1;
    const t0 = host.now;
    rollDeployments(host, all, ev.rollout, t, { freeRoom: true }, rolled, () => {
      t.rec.extraNodeHours = (nodeCount * (host.now - t0)) / 3600;
      settle();
    });
    t.rec.mechanism = parts.join('; ');
    return;
  }
  if (injected.size > 0) {
    parts.push(
      `rolling restart of ${[...injected.values()].flat().length} injected pods in ${injected.size} Deployments`,
    );
    pendingRolls++;
    pendingSettles++;
  }
  if (daemons.length > 0) {
    parts.push(
      `DaemonSet update of ${daemons.reduce((n, x) => n + x.pods.length, 0)} injected pods in ${daemons.length} DaemonSets`,
    );
    pendingRolls++;
    pendingSettles++;
  }
  const ztunnelToo = captured || (ztNodes.length > 0 && injected.size === 0 && daemons.length === 0);
  if (ztunnelToo && ztNodes.length > 0) {
    pendingRolls++;
    pendingSettles++;
    if (ev.strategy === 'cordon-drain') {
      parts.push(`cordon and drain each of ${ztNodes.length} nodes, then restart its ztunnel`);
    } else {
      parts.push(`ztunnel DaemonSet rolling update over ${ztNodes.length} nodes`);
      if (cniNodes.length > 0) {
        pendingRolls++;
        pendingSettles++;
        parts.push(
          `istio-cni agents restart one node at a time: new ambient pods on a node wait for its agent`,
        );
      }
    }
  }
  if (pendingRolls === 0) {
    none(t, 'no data plane to upgrade');
    return;
  }
  if (ztunnelToo && ztNodes.length > 0) {
    const skew = versions.upgradeZtunnel(ev.to);
    if (skew) {
      t.rec.notes.push(skew);
      parts.push(`VIOLATION: ${skew}`);
    }
  }
  t.rec.mechanism = parts.join('; ');
  if (injected.size > 0) rollDeployments(host, injected, ev.rollout, t, {}, rolled, settle);
  if (daemons.length > 0)
    restartDaemonSets(host, daemons, t, () => {
      rolled();
      settle();
    });
  if (!(ztunnelToo && ztNodes.length > 0)) return;
  if (ev.strategy === 'cordon-drain') {
    cordonDrain(host, ztNodes, t, rolled, settle, workloads.budgets);
    return;
  }
  if (cniNodes.length > 0)
    istioCniRollout(host, cniNodes, () => {
      rolled();
      settle();
    });
  ztunnelRollout(
    host,
    {
      nodes: ztNodes,
      surge: resolveIntOrPercent(ev.daemonSet.maxSurge, ztNodes.length, true),
      unavailable: resolveIntOrPercent(ev.daemonSet.maxUnavailable, ztNodes.length, false),
    },
    t,
    rolled,
    settle,
  );
}
