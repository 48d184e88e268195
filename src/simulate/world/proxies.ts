// The pod and proxy tables of a world: each placed pod's node, endpoint kind, service and ordinal, and
// the proxies the architecture runs (a sidecar per injected pod, a ztunnel per node, waypoint and
// ingress gateway pods).
import { type Placement, startsLater } from '../../cluster/index.ts';
import { EndpointKind, GATEWAY, SIDECAR, WAYPOINT, ZTUNNEL } from '../../mesh/index.ts';
import type { PodTables } from './types.ts';

export function podTables(placement: Placement, serviceIndex: Map<string, number>): PodTables {
  const pods = placement.pods;
  const nPods = pods.length;
  const podNode = new Int32Array(nPods);
  const podKind = new Uint8Array(nPods);
  const podService = new Int32Array(nPods).fill(-1);
  const podOrdinal = new Int32Array(nPods);
  const podProxy = new Int32Array(nPods).fill(-1);

  const proxyClass: number[] = [];
  const proxyPod: number[] = [];
  const proxyNode: number[] = [];
  const proxyName: string[] = [];
  const addProxy = (cls: number, pod: number, node: number, name: string) => {
    proxyClass.push(cls);
    proxyPod.push(pod);
    proxyNode.push(node);
    proxyName.push(name);
    return proxyClass.length - 1;
  };

  const ztunnelOfNode = new Int32Array(placement.nodes.length).fill(-1);
  for (const p of pods) {
    podNode[p.index] = p.node;
    podOrdinal[p.index] = p.ordinal;
    podKind[p.index] = p.hasSidecar
      ? EndpointKind.Sidecar
      : p.captured
        ? EndpointKind.Captured
        : EndpointKind.Plain;
    if (p.kind === 'app') podService[p.index] = serviceIndex.get(p.owner) ?? -1;
    // The proxy of a pod that starts later exists from the start; it runs once its ReplicaSet places it.
    if (p.node < 0 && !startsLater(p)) continue;
    if (p.hasSidecar) podProxy[p.index] = addProxy(SIDECAR, p.index, p.node, `${p.name}/istio-proxy`);
    if (p.kind === 'waypoint') podProxy[p.index] = addProxy(WAYPOINT, p.index, p.node, p.name);
    if (p.kind === 'gateway') podProxy[p.index] = addProxy(GATEWAY, p.index, p.node, p.name);
    if (p.kind === 'ztunnel') ztunnelOfNode[p.node] = addProxy(ZTUNNEL, p.index, p.node, p.name);
  }
  return {
    nPods,
    podNode,
    podKind,
    podService,
    podOrdinal,
    podProxy,
    nProxies: proxyClass.length,
    proxyClass: Uint8Array.from(proxyClass),
    proxyPod: Int32Array.from(proxyPod),
    proxyNode: Int32Array.from(proxyNode),
    proxyName,
    ztunnelOfNode,
  };
}
