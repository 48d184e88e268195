// The services and call edges of a world: every `calls:` entry of a service and every entry point becomes
// an edge with its connection policy, waypoint and a block of connection slots (one per caller pod and
// pool connection).
import type { Placement } from '../../cluster/index.ts';
import { defaultRetryOn, protocolClass, retryBits } from '../../mesh/index.ts';
import type { ConnectionSpec, EntryPoint, RetryOn, Scenario } from '../../scenario/index.ts';
import { makeDistribution } from '../../traffic/index.ts';
import { ConnType, type Edge, type EdgeTables, type ServiceRt } from './types.ts';

interface CallSpec {
  count: number;
  parallel: boolean;
  protocol: 'http1' | 'http2' | 'grpc' | 'tcp';
  requestSize: number;
  responseSize: number;
  l7: boolean;
  timeout: number;
  retries: number;
  retryOn: RetryOn[] | null;
  connection: ConnectionSpec;
}

interface Waypoint {
  name: string | null;
  owner: string | null;
  pods: Int32Array;
}

export function edgeTables(s: Scenario, placement: Placement, serviceIndex: Map<string, number>): EdgeTables {
  const pods = placement.pods;
  // Standby pods count as running here: an autoscaler may start them, and their connection slots,
  // balancing counters and queues must exist by then (they take no traffic until ready).
  const running = (owner: string) =>
    Int32Array.from(
      (placement.byOwner.get(owner) ?? []).filter((i) => pods[i]!.node >= 0 || pods[i]!.standby),
    );

  const services: ServiceRt[] = s.services.map((svc) => ({
    key: svc.key,
    pods: running(svc.key),
    serviceTime: makeDistribution(svc.serviceTime),
    concurrency: svc.concurrency,
    edges: [],
    edgeList: [],
  }));

  const waypointFor = (serviceKey: string): Waypoint => {
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
    c: CallSpec,
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
      retryOn: retryBits(c.retryOn ?? defaultRetryOn(s.mesh.version)),
      grpc: c.protocol === 'grpc',
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
      const callers = Math.max(svc.replicas, services[i]!.pods.length);
      const id = addEdge(`${svc.key} -> ${call.to}`, i, -1, call.to, callers, {
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
      addEdge(`${ep.name} -> ${ep.to}`, -1, i, ep.to, ep.clients, {
        ...ep,
        connection: closedLoopConnection(ep),
        count: 1,
        parallel: false,
      }),
    );
  });
  return { services, serviceIndex, edges, entryEdges, entryClients, nSlots };
}

/**
 * A closed loop's connections are its client's sockets: a keep-alive or long-lived pool holds at least
 * one per loop connection on each generator pod (fortio -c opens c connections and keeps them).
 */
function closedLoopConnection(ep: EntryPoint): ConnectionSpec {
  const c = ep.connection;
  if (!ep.closedLoop || c.type === 'per-request') return c;
  const perPod = Math.ceil(ep.closedLoop.connections / Math.max(1, ep.clients));
  return { ...c, poolSize: Math.max(c.poolSize, perPod) };
}
