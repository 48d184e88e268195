// How much configuration each proxy holds (DESIGN.md section 3): an unscoped sidecar sees every service
// exported to its namespace (scenario/visibility.ts) and its endpoints; a scoped one its callees, or what
// its Sidecar resource's egress hosts import; ztunnel every workload and service of the cluster; a
// waypoint the services bound to it. Endpoints are the running (placed) pods; of a
// node-local service, those on the proxy's node.
import type { Placement } from '../cluster/index.ts';
import {
  allCalls,
  clientNamespace,
  egressImports,
  entryRouteCalls,
  LOADGEN_NAMESPACE,
  type Scenario,
  visibleTo,
} from '../scenario/index.ts';
import type { ProxyClass } from './classes.ts';
import type { ProxyConfigSize } from './memory.ts';

const cache = new WeakMap<Placement, Map<string, OwnerConfig>>();
// Asked once per proxy: a scan of the services each time is 150,000 x 5,000 steps on scenarios/huge.yaml.
const servicesByKey = new WeakMap<Scenario, Map<string, Scenario['services'][number]>>();

/** The scenario's services by key (the first of a key, as find() gave), built once per scenario. */
function servicesOf(s: Scenario): Map<string, Scenario['services'][number]> {
  let byKey = servicesByKey.get(s);
  if (!byKey) {
    byKey = new Map();
    for (const x of s.services) if (!byKey.has(x.key)) byKey.set(x.key, x);
    servicesByKey.set(s, byKey);
  }
  return byKey;
}

function serviceOf(s: Scenario, key: string): Scenario['services'][number] | undefined {
  return servicesOf(s).get(key);
}

/** What proxies of one owner share: their size with every endpoint, and their node-local services' keys. */
interface OwnerConfig {
  size: ProxyConfigSize;
  /** Held services with internalTrafficPolicy: Local, whose endpoints each proxy holds only on its node. */
  nodeLocal: string[];
  /** Held headless services with a listener per pod (their pods' own proxies have none for themselves). */
  listened: ReadonlySet<string>;
}

/**
 * The configuration held by a proxy of class `cls` in a pod of `owner` (a service, entry point or
 * waypoint) on node `node` (-1: where unknown, every endpoint). An Envoy gets a node-local service's
 * endpoints on its own node only (istio/istio 1.28.0 pilot/pkg/xds/endpoints/endpoint_builder.go
 * filterIstioEndpoint: "for ServiceInternalTrafficPolicy", NodeLocal and ep.NodeName).
 */
export function configSize(
  s: Scenario,
  placement: Placement,
  cls: ProxyClass['name'],
  owner: string,
  node = -1,
): ProxyConfigSize {
  let byKey = cache.get(placement);
  if (!byKey) {
    byKey = new Map();
    cache.set(placement, byKey);
  }
  // Proxies of one owner hold the same configuration: compute it once per owner (unscoped sidecars once
  // per namespace, what is exported there).
  const svc = serviceOf(s, owner);
  const scope = svc?.sidecarScope ?? s.mesh.sidecar.scope;
  const key =
    cls === 'ztunnel'
      ? 'ztunnel'
      : cls === 'sidecar' && scope === 'mesh'
        ? `sidecar:mesh:${ownerNamespace(s, owner)}`
        : `${cls}:${owner}`;
  let config = byKey.get(key);
  if (!config) {
    config = compute(s, placement, cls, owner);
    byKey.set(key, config);
  }
  // No listener for the pod's own address ("Skip build outbound listener to the node itself").
  const size =
    svc && config.listened.has(svc.key)
      ? { ...config.size, listeners: config.size.listeners - 1 }
      : config.size;
  if (node < 0 || config.nodeLocal.length === 0) return size;
  let local = 0;
  for (const k of config.nodeLocal)
    local += endpointsSeen(s, placement, k, node) - serviceEndpoints(s, placement, k);
  return { ...size, endpoints: size.endpoints + local };
}

function compute(s: Scenario, placement: Placement, cls: ProxyClass['name'], owner: string): OwnerConfig {
  const none = { clusters: 0, endpoints: 0, workloads: 0, services: 0, listeners: 0 };
  if (cls === 'ztunnel') {
    const workloads = placement.pods.filter((p) => p.node >= 0).length;
    return {
      size: { ...none, workloads, services: s.services.length },
      nodeLocal: [],
      listened: new Set(),
    };
  }
  const held = heldServices(s, cls, owner) ?? s.services.map((x) => x.key);
  let clusters = 0;
  let endpoints = 0;
  let listeners = 0;
  const nodeLocal: string[] = [];
  const listened = new Set<string>();
  for (const key of held) {
    clusters++;
    const svc = serviceOf(s, key);
    if (svc?.internalTrafficPolicy === 'Local') nodeLocal.push(key);
    const n = serviceEndpoints(s, placement, key);
    // A sidecar's cluster for a headless Service is ORIGINAL_DST, sent no endpoints; a TCP port of it
    // gets a listener per pod, but its own (istio/istio 1.28.0 pilot/pkg/networking/core/cluster.go
    // convertResolution, listener.go buildSidecarOutboundListeners; configSize leaves out the pod's own).
    // A gateway's is EDS as any other ("Gateways cannot use passthrough clusters"), and a waypoint's too
    // (ASSUMPTION).
    if (cls === 'sidecar' && svc?.headless) {
      if (tcpCallees(s).has(key) && n > 0) {
        listeners += n;
        listened.add(key);
      }
    } else endpoints += n;
  }
  return { size: { ...none, clusters, endpoints, listeners }, nodeLocal, listened };
}

const tcpCache = new WeakMap<Scenario, ReadonlySet<string>>();

/**
 * The services some call reaches over TCP: their port is a TCP one, as meshsim has no ports (a call's
 * protocol stands for its port's, the `tcp-` name or appProtocol Istio reads).
 */
export function tcpCallees(s: Scenario): ReadonlySet<string> {
  let out = tcpCache.get(s);
  if (!out) {
    const keys = new Set<string>();
    for (const svc of s.services) for (const c of allCalls(svc)) if (c.protocol === 'tcp') keys.add(c.to);
    for (const e of s.traffic) {
      if (e.protocol === 'tcp') keys.add(e.to);
      for (const r of entryRouteCalls(e)) if (r.call.protocol === 'tcp') keys.add(r.call.to);
    }
    out = keys;
    tcpCache.set(s, out);
  }
  return out;
}

const onNodeCache = new WeakMap<Placement, Map<string, Map<number, number>>>();

/**
 * The endpoints of service `key` an Envoy on node `node` holds (-1: where unknown): all of them, or of a
 * node-local service those on its node (see configSize).
 */
export function endpointsSeen(s: Scenario, placement: Placement, key: string, node: number): number {
  if (node < 0 || serviceOf(s, key)?.internalTrafficPolicy !== 'Local')
    return serviceEndpoints(s, placement, key);
  let byKey = onNodeCache.get(placement);
  if (!byKey) {
    byKey = new Map();
    onNodeCache.set(placement, byKey);
  }
  let perNode = byKey.get(key);
  if (!perNode) {
    perNode = new Map();
    for (const pod of placement.byOwner.get(key) ?? []) {
      const n = placement.pods[pod]!.node;
      if (n >= 0) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    }
    byKey.set(key, perNode);
  }
  return perNode.get(node) ?? 0;
}

/**
 * The services whose clusters an Envoy of class `cls` in a pod of `owner` holds: null for every service
 * of the mesh (a gateway, an unscoped sidecar), else its set (a waypoint's bound services, a scoped
 * sidecar's view). ztunnel holds every service too (null).
 */
export function heldServices(
  s: Scenario,
  cls: ProxyClass['name'],
  owner: string,
): ReadonlySet<string> | null {
  if (cls === 'ztunnel') return null;
  if (cls === 'waypoint') {
    const [ns, name] = owner.split('/');
    return new Set(
      s.services
        .filter((x) => x.namespace === ns && (x.useWaypoint ?? nsWaypoint(s, x.namespace)) === name)
        .map((x) => x.key),
    );
  }
  // A gateway gets a cluster for every service exported to its namespace (visibility.ts), not only those
  // its routes reference, unless PILOT_FILTER_GATEWAY_CLUSTER_CONFIG is on (default false: istio/istio
  // 1.28.0 pilot/pkg/features/experimental.go).
  if (cls === 'gateway') return visibleTo(s, owner.split('/')[0]!);
  return sidecarView(s, owner);
}

/** Endpoints of a service: its pods placed at the start (none for a key that names no service). */
export function serviceEndpoints(s: Scenario, placement: Placement, key: string): number {
  if (!servicesOf(s).has(key)) return 0;
  let n = 0;
  for (const pod of placement.byOwner.get(key) ?? []) if (placement.pods[pod]!.node >= 0) n++;
  return n;
}

/**
 * The services a sidecar in a pod of `owner` (a service or an entry point's load generator) sees, of those
 * exported to its namespace (scenario/visibility.ts): unscoped, all of them (null when that is the whole
 * mesh); scoped to its callees, its own service and every service its pods may call (its calls, its
 * versions' and its routes', and those of the entry routes it serves), as a Sidecar resource listing them
 * would; scoped by egress hosts, those the hosts import (its own only if they do, as in Istio's
 * SidecarScope).
 */
export function sidecarView(s: Scenario, owner: string): ReadonlySet<string> | null {
  const svc = serviceOf(s, owner);
  const scope = svc?.sidecarScope ?? s.mesh.sidecar.scope;
  const ns = ownerNamespace(s, owner);
  if (scope === 'mesh') return visibleTo(s, ns);
  if (scope !== 'callees') return egressImports(s, ns, scope);
  const own = svc ? [svc.key] : [];
  const entry = s.traffic.find((e) => e.name === owner);
  const calls = svc
    ? [
        ...allCalls(svc),
        ...s.traffic.filter((e) => e.to === svc.key).flatMap((e) => entryRouteCalls(e).map((x) => x.call)),
      ].map((c) => c.to)
    : entry
      ? [entry.to]
      : [];
  const visible = visibleTo(s, ns);
  return new Set<string>([...own, ...(visible ? calls.filter((k) => visible.has(k)) : calls)]);
}

/**
 * The namespace of `owner`'s pods: a service's, an entry point's load generators' (clientPod), or a
 * platform DaemonSet's.
 */
export function ownerNamespace(s: Scenario, owner: string): string {
  const svc = serviceOf(s, owner);
  if (svc) return svc.namespace;
  const entry = s.traffic.find((e) => e.name === owner);
  if (entry) return clientNamespace(entry);
  return s.cluster.daemonSets?.find((d) => d.key === owner)?.namespace ?? LOADGEN_NAMESPACE;
}

function nsWaypoint(s: Scenario, ns: string): string | undefined {
  return s.namespaces.find((n) => n.name === ns)?.useWaypoint;
}
