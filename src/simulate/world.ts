// The static tables a run needs, built once from the scenario and a placement: pods, proxies, call
// edges and their connection slots. Typed arrays, so the hot path reads numbers, not objects.
import type { Distribution } from '../../sim/index.ts';
import type { Placement } from '../cluster/index.ts';
import {
  buildTemplates,
  EndpointKind,
  type ProtocolClass,
  type ProxyClass,
  protocolClass,
  proxyClasses,
  type RouteTemplate,
  templateIndex,
  WAYPOINT,
} from '../mesh/index.ts';
import type { ConnectionSpec, Scenario } from '../scenario/index.ts';
import { makeDistribution } from '../traffic/index.ts';

export const ConnType = { KeepAlive: 0, PerRequest: 1, LongLived: 2 } as const;

/** One directed call relation: an entry point's clients -> a service, or a service -> a callee. */
export interface Edge {
  id: number;
  name: string;
  /** Caller service index, or -1 for an entry point. */
  from: number;
  /** Entry point index, or -1. */
  entry: number;
  to: number;
  count: number;
  parallel: boolean;
  proto: ProtocolClass;
  requestBytes: number;
  responseBytes: number;
  kib: number;
  l7: boolean;
  timeout: number;
  retries: number;
  connType: number;
  poolSize: number;
  lifetime: Distribution | null;
  /** First connection slot of this edge; a caller pod's slots follow at ordinal x poolSize. */
  slotBase: number;
  /** Waypoint pods serving the callee under this architecture (empty: none). */
  waypointPods: Int32Array;
  waypointName: string | null;
  /** Owner key `ns/name` of that waypoint Deployment. */
  waypointOwner: string | null;
}

export interface ServiceRt {
  key: string;
  /** Pods that run (placed), by ordinal. */
  pods: Int32Array;
  serviceTime: Distribution;
  concurrency: number;
  /** Outgoing edge ids, in the order the scenario lists the calls. */
  edges: number[];
  /** The same edges as objects, for the hot path. */
  edgeList: Edge[];
}

export interface World {
  scenario: Scenario;
  placement: Placement;
  classes: ProxyClass[];
  templates: RouteTemplate[];
  nPods: number;
  podNode: Int32Array;
  /** Zone index of each node (zones sorted by name). */
  nodeZone: Int32Array;
  podKind: Uint8Array;
  podService: Int32Array;
  podOrdinal: Int32Array;
  /** The proxy inside each pod (a sidecar, or the waypoint a waypoint pod is), -1 if none. */
  podProxy: Int32Array;
  nProxies: number;
  proxyClass: Uint8Array;
  proxyPod: Int32Array;
  proxyNode: Int32Array;
  proxyName: string[];
  ztunnelOfNode: Int32Array;
  services: ServiceRt[];
  serviceIndex: Map<string, number>;
  edges: Edge[];
  /** Entry edges by entry point index, and their client pods. */
  entryEdges: number[];
  entryClients: Int32Array[];
  nSlots: number;
  /** One-way delays: [same node, same zone, cross zone]. */
  delay: Float64Array;
}

export function buildWorld(s: Scenario, placement: Placement): World {
  const classes = proxyClasses(s.mesh);
  const templates = buildTemplates(s.mesh.ztunnel.hbonePoolStreams);
  const pods = placement.pods;
  const nPods = pods.length;
  const zoneNames = [...new Set(placement.nodes.map((n) => n.zone))].sort();
  const nodeZone = Int32Array.from(placement.nodes, (n) => zoneNames.indexOf(n.zone));
  const podNode = new Int32Array(nPods);
  const podKind = new Uint8Array(nPods);
  const podService = new Int32Array(nPods).fill(-1);
  const podOrdinal = new Int32Array(nPods);
  const podProxy = new Int32Array(nPods).fill(-1);
  const serviceIndex = new Map(s.services.map((svc, i) => [svc.key, i]));

  const proxyClassA: number[] = [];
  const proxyPodA: number[] = [];
  const proxyNodeA: number[] = [];
  const proxyName: string[] = [];
  const addProxy = (cls: number, pod: number, node: number, name: string) => {
    proxyClassA.push(cls);
    proxyPodA.push(pod);
    proxyNodeA.push(node);
    proxyName.push(name);
    return proxyClassA.length - 1;
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
    if (p.node < 0) continue;
    if (p.hasSidecar) podProxy[p.index] = addProxy(0, p.index, p.node, `${p.name}/istio-proxy`);
    if (p.kind === 'waypoint') podProxy[p.index] = addProxy(WAYPOINT, p.index, p.node, p.name);
    if (p.kind === 'ztunnel') ztunnelOfNode[p.node] = addProxy(1, p.index, p.node, p.name);
  }

  const running = (owner: string) =>
    Int32Array.from((placement.byOwner.get(owner) ?? []).filter((i) => pods[i]!.node >= 0));

  const services: ServiceRt[] = s.services.map((svc) => ({
    key: svc.key,
    pods: running(svc.key),
    serviceTime: makeDistribution(svc.serviceTime),
    concurrency: svc.concurrency,
    edges: [],
    edgeList: [],
  }));

  const waypointFor = (
    serviceKey: string,
  ): { name: string | null; owner: string | null; pods: Int32Array } => {
    const svc = s.services[serviceIndex.get(serviceKey)!]!;
    const ns = s.namespaces.find((n) => n.name === svc.namespace);
    const name = svc.useWaypoint ?? ns?.useWaypoint;
    if (!name) return { name: null, owner: null, pods: new Int32Array(0) };
    const wp = s.waypoints.find(
      (w) => w.name === name && (w.namespace === svc.namespace || !svc.useWaypoint),
    );
    if (!wp || wp.for === 'workload') return { name: null, owner: null, pods: new Int32Array(0) };
    const owner = `${wp.namespace}/${wp.name}`;
    return { name: wp.name, owner, pods: running(owner) };
  };

  const edges: Edge[] = [];
  let nSlots = 0;
  const addEdge = (
    name: string,
    from: number,
    entry: number,
    toKey: string,
    callers: number,
    c: {
      count: number;
      parallel: boolean;
      protocol: 'http1' | 'http2' | 'grpc' | 'tcp';
      requestSize: number;
      responseSize: number;
      l7: boolean;
      timeout: number;
      retries: number;
      connection: ConnectionSpec;
    },
  ) => {
    const to = serviceIndex.get(toKey);
    if (to === undefined) throw new Error(`internal: unresolved call target ${toKey}`);
    const conn = c.connection;
    const connType =
      conn.type === 'keepalive'
        ? ConnType.KeepAlive
        : conn.type === 'per-request'
          ? ConnType.PerRequest
          : ConnType.LongLived;
    const poolSize = conn.type === 'per-request' ? 1 : Math.max(1, conn.poolSize);
    const wp = waypointFor(toKey);
    const e: Edge = {
      id: edges.length,
      name,
      from,
      entry,
      to,
      count: c.count,
      parallel: c.parallel,
      proto: protocolClass(c.protocol),
      requestBytes: c.requestSize,
      responseBytes: c.responseSize,
      kib: (c.requestSize + c.responseSize) / 1024,
      l7: c.l7,
      timeout: c.timeout,
      retries: c.retries,
      connType,
      poolSize,
      lifetime: conn.type === 'long-lived' && conn.lifetime ? makeDistribution(conn.lifetime) : null,
      slotBase: nSlots,
      waypointPods: wp.pods,
      waypointName: wp.pods.length > 0 ? wp.name : null,
      waypointOwner: wp.pods.length > 0 ? wp.owner : null,
    };
    nSlots += callers * poolSize;
    edges.push(e);
    return e.id;
  };

  s.services.forEach((svc, i) => {
    for (const call of svc.calls) {
      const id = addEdge(`${svc.key} -> ${call.to}`, i, -1, call.to, svc.replicas, {
        ...call,
        parallel: call.mode === 'parallel',
      });
      services[i]!.edges.push(id);
      services[i]!.edgeList.push(edges[id]!);
    }
  });
  const entryEdges: number[] = [];
  const entryClients: Int32Array[] = [];
  s.traffic.forEach((ep, i) => {
    entryClients.push(running(ep.name));
    entryEdges.push(
      addEdge(`${ep.name} -> ${ep.to}`, -1, i, ep.to, ep.clients, { ...ep, count: 1, parallel: false }),
    );
  });

  const net = s.cluster.network;
  return {
    scenario: s,
    placement,
    classes,
    templates,
    nPods,
    podNode,
    nodeZone,
    podKind,
    podService,
    podOrdinal,
    podProxy,
    nProxies: proxyClassA.length,
    proxyClass: Uint8Array.from(proxyClassA),
    proxyPod: Int32Array.from(proxyPodA),
    proxyNode: Int32Array.from(proxyNodeA),
    proxyName,
    ztunnelOfNode,
    services,
    serviceIndex,
    edges,
    entryEdges,
    entryClients,
    nSlots,
    delay: Float64Array.of(net.sameNode, net.sameZone, net.crossZone),
  };
}

/** The template a call over `edge` follows between endpoints of these kinds. */
export function templateFor(edge: Edge, srcKind: number, dstKind: number): number {
  return templateIndex(
    srcKind as EndpointKind,
    dstKind as EndpointKind,
    edge.waypointPods.length > 0,
    edge.proto,
  );
}

/** Whether the caller side picks the endpoint per request (an L7 proxy before the callee). */
export function lbPerRequest(w: World, edge: Edge, srcKind: number): boolean {
  const wp = edge.waypointPods.length > 0;
  const dstKind = wp ? EndpointKind.Captured : EndpointKind.Plain;
  return w.templates[templateIndex(srcKind as EndpointKind, dstKind, wp, edge.proto)]!.lbPerRequest;
}
