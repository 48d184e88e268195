// The services and call edges of a world: every `calls:` entry of a service and every entry point becomes
// an edge with its connection policy, waypoint and a block of connection slots (one per caller pod and
// pool connection).
import { gatewayOwner, type Placement, startsLater } from '../../cluster/index.ts';
import {
  defaultRetryOn,
  ProtocolClass,
  protocolClass,
  retryBits,
  serviceIngressWaypoint,
} from '../../mesh/index.ts';
import {
  boundWaypoint,
  type ConnectionSpec,
  clientNamespace,
  destinationPolicy,
  type EntryPoint,
  type MtlsMode,
  mtlsMode,
  Passthrough,
  passthroughOf,
  type RetryOn,
  type Scenario,
  subsetPolicies,
  type TrafficPolicy,
} from '../../scenario/index.ts';
import { makeDistribution } from '../../traffic/index.ts';
import { mixTables } from './mixes.ts';
import {
  ConnType,
  type Edge,
  type EdgeTables,
  ENVOY_MTLS,
  ENVOY_MTLS_REFUSED,
  ENVOY_PLAIN,
  type MixTables,
  type ServiceRt,
} from './types.ts';

interface CallSpec {
  count: number;
  parallel: boolean;
  protocol: 'http1' | 'http2' | 'grpc' | 'tcp';
  requestSize: number;
  responseSize: number;
  l7: boolean;
  timeout: number;
  perTryTimeout: number;
  retries: number;
  retryBackoff: number;
  retryOn: RetryOn[] | null;
  connection: ConnectionSpec;
}

interface Waypoint {
  name: string | null;
  owner: string | null;
  pods: Int32Array;
}

export function edgeTables(
  s: Scenario,
  placement: Placement,
  serviceIndex: Map<string, number>,
): EdgeTables & MixTables {
  const pods = placement.pods;
  // Pods that may start later (standby, or Pending at the start) count as running here: their ReplicaSet
  // may start them, and their connection slots, balancing counters and queues must exist by then (they
  // take no traffic until ready).
  const running = (owner: string) =>
    Int32Array.from(
      (placement.byOwner.get(owner) ?? []).filter((i) => pods[i]!.node >= 0 || startsLater(pods[i]!)),
    );

  const services: ServiceRt[] = s.services.map((svc) => ({
    key: svc.key,
    pods: running(svc.key),
    serviceTime: makeDistribution(svc.serviceTime),
    cpuFraction: svc.cpuFraction,
    concurrency: svc.concurrency,
    trafficPolicy: destinationPolicy(s, svc),
    subsetPolicies: subsetPolicies(s, svc),
    mtls: mtlsMode(s, svc),
    edges: [],
    edgeList: [],
  }));

  const noWaypoint: Waypoint = { name: null, owner: null, pods: new Int32Array(0) };
  const waypointFor = (serviceKey: string, ingress: boolean): Waypoint => {
    const svc = s.services[serviceIndex.get(serviceKey)!]!;
    // A gateway goes through the service's waypoint only where the service (or its namespace) opts in.
    if (ingress && !serviceIngressWaypoint(s, svc)) return noWaypoint;
    // A headless Service's callers address its pods: ztunnel sends to a waypoint only for a service
    // address, or for a pod bound to a waypoint `for` workload or all (istio/ztunnel 1.28.0
    // src/proxy/outbound.rs build_request: fetch_service_waypoint for Address::Service, else
    // fetch_workload_waypoint). ASSUMPTION: the Service's istio.io/use-waypoint label is its pods' too.
    const wp = boundWaypoint(s, svc, svc.headless === true && !ingress ? 'workload' : 'service');
    if (!wp) return noWaypoint;
    const owner = `${wp.namespace}/${wp.name}`;
    return { name: wp.name, owner, pods: running(owner) };
  };

  const gateway = gatewayOwner(s);
  const gatewayPods = running(gateway);
  const edges: Edge[] = [];
  let nSlots = 0;
  const addEdge = (
    name: string,
    from: number,
    entry: number,
    toKey: string,
    callers: number,
    c: CallSpec,
    ingress = false,
  ) => {
    const to = serviceIndex.get(toKey);
    if (to === undefined) throw new Error(`internal: unresolved call target ${toKey}`);
    // What a sidecar of the caller does with it when it is not given the callee (passthrough.ts).
    const callee = s.services[to]!;
    const caller = from >= 0 ? s.services[from]! : null;
    const passthrough = ingress
      ? Passthrough.None
      : caller
        ? passthroughOf(s, caller.namespace, caller.sidecarScope, caller.outboundTrafficPolicy, callee)
        : passthroughOf(s, clientNamespace(s.traffic[entry]!), s.mesh.sidecar.scope, undefined, callee);
    const conn = c.connection;
    const connType =
      conn.type === 'keepalive'
        ? ConnType.KeepAlive
        : conn.type === 'per-request'
          ? ConnType.PerRequest
          : ConnType.LongLived;
    const poolSize = conn.type === 'per-request' ? 1 : Math.max(1, conn.poolSize);
    const wp = waypointFor(toKey, ingress);
    const headless = callee.headless === true && !ingress;
    const e: Edge = {
      id: edges.length,
      name,
      from,
      entry,
      to,
      count: c.count,
      parallel: c.parallel,
      proto: protocolClass(c.protocol),
      poolProto: poolProtocol(c.protocol, services[to]!.trafficPolicy, s.mesh.h2UpgradePolicy),
      requestBytes: c.requestSize,
      responseBytes: c.responseSize,
      kib: (c.requestSize + c.responseSize) / 1024,
      l7: c.l7,
      timeout: c.timeout,
      perTryTimeout: c.perTryTimeout,
      retryBackoff: c.retryBackoff,
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
      waypointSkipped:
        wp.name === null &&
        (ingress
          ? waypointFor(toKey, false).name !== null
          : headless && boundWaypoint(s, callee, 'service') !== undefined),
      headless,
      clientTls: ingress && entry >= 0 && s.traffic[entry]!.tls === true,
      gatewayPods: ingress ? gatewayPods : new Int32Array(0),
      gatewayOwner: ingress ? gateway : null,
      passthrough,
      envoyTls: headless
        ? headlessTls(services[to]!, pods)
        : envoyTls(services[to]!.trafficPolicy?.tls, services[to]!.mtls),
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
      addEdge(
        `${ep.name} -> ${ep.to}`,
        -1,
        i,
        ep.to,
        ep.clients,
        { ...ep, connection: closedLoopConnection(ep), count: 1, parallel: false },
        ep.via === 'ingress',
      ),
    );
  });
  // Calls of versions and routes come after every other edge, so a scenario without them keeps its edge
  // ids (and the call keys drawn from them).
  const mixes = mixTables(
    s,
    placement,
    services,
    (name, from, call) =>
      edges[
        addEdge(name, from, -1, call.to, s.services[from]!.replicas, {
          ...call,
          parallel: call.mode === 'parallel',
        })
      ]!,
  );
  return { services, serviceIndex, edges, entryEdges, entryClients, nSlots, ...mixes };
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

/**
 * The protocol Envoy's upstream pools speak for a call over `protocol`: HTTP/1.1 is sent upstream as
 * HTTP/2 where the service's DestinationRule says UPGRADE, or says nothing and meshConfig's
 * h2UpgradePolicy is UPGRADE; useClientProtocol forbids it (istio/istio 1.28.0
 * pilot/pkg/networking/core/cluster_traffic_policy.go shouldH2Upgrade, applied to every outbound cluster
 * of a sidecar or gateway, and to a waypoint's, cluster_waypoint.go). Only Envoy's upstream changes: the
 * application still speaks HTTP/1.1 to its proxies.
 */
function poolProtocol(
  protocol: CallSpec['protocol'],
  policy: TrafficPolicy | null,
  mesh: 'UPGRADE' | undefined,
): ProtocolClass {
  const proto = protocolClass(protocol);
  if (proto !== ProtocolClass.Http1 || policy?.useClientProtocol) return proto;
  const upgrade = policy?.h2UpgradePolicy ? policy.h2UpgradePolicy === 'UPGRADE' : mesh === 'UPGRADE';
  return upgrade ? ProtocolClass.Multiplexed : proto;
}

/**
 * What a sidecar sends a headless Service's sidecar pods: without a DestinationRule tls of its own,
 * istiod infers the Service's mode from its pods, plain text when any has no sidecar (istio/istio 1.28.0
 * pilot/pkg/model/push_context.go BestEffortInferServiceMTLSMode: "If ALL instances have a sidecar, we
 * enable TLS, otherwise we disable"), and the ORIGINAL_DST cluster then sends what it inferred to every
 * pod (cluster_tls.go: auto mTLS excludes these clusters). Pods are judged as placed at the start.
 */
function headlessTls(svc: ServiceRt, pods: Placement['pods']): number {
  const rule = svc.trafficPolicy?.tls;
  if (rule) return envoyTls(rule, svc.mtls);
  for (const i of svc.pods) if (pods[i]!.mode !== 'sidecar') return ENVOY_PLAIN;
  return envoyTls(undefined, svc.mtls);
}

/**
 * What an Envoy (a sidecar, the gateway) sends a callee's sidecar (world Edge.envoyTls): mTLS unless its
 * DestinationRule says DISABLE or, with no tls of its own, the callee's PeerAuthentication is DISABLE (auto
 * mTLS follows it); mTLS that a DISABLE callee refuses where the rule insists on ISTIO_MUTUAL.
 */
function envoyTls(rule: 'DISABLE' | 'ISTIO_MUTUAL' | undefined, mode: MtlsMode): number {
  if (rule === 'DISABLE') return ENVOY_PLAIN;
  if (mode !== 'DISABLE') return ENVOY_MTLS;
  return rule === 'ISTIO_MUTUAL' ? ENVOY_MTLS_REFUSED : ENVOY_PLAIN;
}
