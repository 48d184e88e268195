// `fault`: which proxy or node dies in this architecture, and its blast radius.
import { EndpointKind } from '../mesh/index.ts';
import type { ScenarioEvent } from '../scenario/index.ts';
import { nodeFault, proxyFault } from './faults.ts';
import type { DisruptionHost } from './host.ts';
import type { Tracker } from './record.ts';
import { none, running } from './workloads.ts';

export function fault(host: DisruptionHost, ev: Extract<ScenarioEvent, { kind: 'fault' }>, t: Tracker): void {
  const pods = host.placement.pods;
  const radius = (affected: number[]) => {
    const services = [
      ...new Set(
        affected
          .map((i) => pods[i]!)
          .filter((p) => p.kind === 'app')
          .map((p) => p.owner),
      ),
    ].sort();
    t.rec.blastRadius = {
      pods: affected.length,
      services,
      nodes: new Set(affected.map((i) => host.podNode[i]!)).size,
    };
  };
  if (ev.target === 'node') {
    const node = Number(ev.selector);
    t.rec.mechanism = `node ${host.placement.nodes[node]?.name ?? node} fails: every pod, sidecar and ztunnel on it; what is sent there is black-holed until the node controller marks it NotReady after ${ev.notReadyAfter} s (its pods are evicted ${ev.evictAfter} s later)`;
    radius(
      nodeFault(host, node, ev, t).filter(
        (i) => pods[i]!.kind === 'app' || pods[i]!.kind === 'waypoint' || pods[i]!.kind === 'gateway',
      ),
    );
    return;
  }
  if (ev.target === 'ztunnel') {
    const node = Number(ev.selector);
    const z = host.ztunnelOfNode[node] ?? -1;
    if (z < 0) {
      none(t, 'no ztunnel runs in this architecture');
      return;
    }
    const captured = pods.filter(
      (p) =>
        running(host, p) && host.podNode[p.index] === node && host.podKind[p.index] === EndpointKind.Captured,
    );
    t.rec.mechanism = `ztunnel on ${host.placement.nodes[node]!.name} fails: ${captured.length} captured pods lose their data plane`;
    radius(captured.map((p) => p.index));
    proxyFault(host, z, -1, ev.recovery, t);
    return;
  }
  // A sidecar's and the gateway's selector is their owner already; a waypoint's is its name.
  const owner =
    ev.target === 'sidecar' || ev.target === 'gateway'
      ? ev.selector
      : (() => {
          const names = [...host.placement.byOwner.keys()].filter((o) => o.endsWith(`/${ev.selector}`));
          return names[0] ?? ev.selector;
        })();
  const pod = (host.placement.byOwner.get(owner) ?? []).find(
    (i) => running(host, pods[i]!) && host.podReady[i] === 1,
  );
  const proxy = pod === undefined ? -1 : host.proxyOfPod(pod);
  if (
    pod === undefined ||
    proxy < 0 ||
    (ev.target === 'sidecar' && host.podKind[pod] !== EndpointKind.Sidecar)
  ) {
    none(
      t,
      ev.target === 'sidecar'
        ? `${owner} has no sidecar in this architecture`
        : `no ${ev.target} ${ev.selector} runs in this architecture`,
    );
    return;
  }
  t.rec.mechanism = `${ev.target} of ${pods[pod]!.name} fails for ${ev.recovery} s`;
  t.watch(owner, (host.placement.byOwner.get(owner) ?? []).length);
  radius([pod]);
  proxyFault(host, proxy, pod, ev.recovery, t);
}
