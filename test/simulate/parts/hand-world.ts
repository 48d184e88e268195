// A small world written out by hand (no scenario text, no placement run), for unit tests of the parts of
// a replication. Three nodes: n0 and n1 in zone a, n2 in zone b. Pods:
//   0 web-0  (load generator of entry point 0, node 0, sidecar proxy 0)
//   1 api-0  (service 0 `shop/api`, node 1, sidecar proxy 1)
//   2 api-1  (service 0, node 2, sidecar proxy 2)
//   3 ztunnel on node 0 (proxy 3), 4 waypoint `shop/wp` on node 1 (proxy 4)
// One edge: web -> shop/api, keep-alive HTTP/1.1, poolSize 2, through the waypoint.

import { constant } from '../../../sim/index.ts';
import type { Placement } from '../../../src/cluster/index.ts';
import {
  buildTemplates,
  defaultRetryOn,
  EndpointKind,
  ProtocolClass,
  type ProxyClass,
  retryBits,
} from '../../../src/mesh/index.ts';
import { DEFAULT_MESH } from '../../../src/scenario/defaults.ts';
import type { ProxyCost, Scenario } from '../../../src/scenario/index.ts';
import { ConnType, type Edge, type World } from '../../../src/simulate/world/index.ts';

const cost = (over: Partial<ProxyCost> = {}): ProxyCost =>
  ({
    cpuPerRequest: 0.001,
    cpuPerKiB: 0,
    cpuPerHandshake: 0.0005,
    cpuPerConnection: 0,
    cpuPerOpenConnection: 0,
    cpuOnPath: 1,
    criticalPath: { kind: 'constant', value: 0.0001 },
    criticalPathPerKiB: 0,
    handshakeLatency: 0.0004,
    memoryBase: 0,
    memoryPerCluster: 0,
    memoryPerEndpoint: 0,
    memoryPerWorkload: 0,
    memoryPerService: 0,
    memoryPerConnection: 0,
    ...over,
  }) as ProxyCost;

export interface HandWorldOptions {
  workers?: number;
  duration?: number;
  warmup?: number;
  timeStep?: number;
  poolSize?: number;
  connType?: number;
  proto?: number;
  retries?: number;
  count?: number;
  /** Free room of every node: cpu cores, memory bytes, pods. */
  room?: { cpu: number; memory: number; pods: number };
}

export function handWorld(o: HandWorldOptions = {}): World {
  const workers = o.workers ?? 2;
  const classes: ProxyClass[] = [
    { name: 'sidecar', component: 'sidecar', cost: cost(), l7: true },
    { name: 'ztunnel', component: 'ztunnel', cost: cost(), l7: false },
    { name: 'waypoint', component: 'waypoint', cost: cost(), l7: true },
  ];
  const room = o.room ?? { cpu: 2, memory: 4e9, pods: 10 };
  const nodes = ['n0', 'n1', 'n2'].map((name, i) => ({
    name,
    index: i,
    zone: i < 2 ? 'a' : 'b',
    allocatable: { cpu: room.cpu + 1, memory: room.memory + 1e9 },
    maxPods: room.pods + 1,
  }));
  const pod = (index: number, name: string, owner: string, kind: string, node: number, ordinal: number) => ({
    index,
    name,
    owner,
    kind,
    node,
    ordinal,
    namespace: owner.split('/')[0],
    hasSidecar: index < 3,
    captured: false,
    requests: {},
  });
  const pods = [
    pod(0, 'web-0', 'web', 'client', 0, 0),
    pod(1, 'api-0', 'shop/api', 'app', 1, 0),
    pod(2, 'api-1', 'shop/api', 'app', 2, 1),
    pod(3, 'ztunnel-n0', 'istio-system/ztunnel', 'ztunnel', 0, 0),
    pod(4, 'wp-0', 'shop/wp', 'waypoint', 1, 0),
  ];
  const placement = {
    arch: 'sidecar',
    nodes,
    pods,
    unschedulable: [],
    byOwner: new Map([
      ['web', [0]],
      ['shop/api', [1, 2]],
      ['istio-system/ztunnel', [3]],
      ['shop/wp', [4]],
    ]),
    requested: nodes.map((_, i) => ({ node: i, total: { cpu: 1, memory: 1e9 }, byComponent: {}, pods: 1 })),
  } as unknown as Placement;
  const scenario = {
    simulation: { duration: o.duration ?? 10, warmup: o.warmup ?? 1, timeStep: o.timeStep ?? 1, seed: 1 },
    // A weightless load generator: the hand sums are of the mesh's hops.
    traffic: [
      {
        name: 'web',
        to: 'shop/api',
        rate: 10,
        arrival: { kind: 'constant' },
        clientCpu: { perRequest: 0, perConnection: 0, threads: 2 },
      },
    ],
    events: [],
    // No autoscaled workload: its services are the world's own tables below.
    services: [],
    waypoints: [],
    lifecycle: {},
    mesh: DEFAULT_MESH,
    cluster: { kubernetesVersion: '1.33' },
  } as unknown as Scenario;
  const poolSize = o.poolSize ?? 2;
  const edge: Edge = {
    id: 0,
    name: 'web -> shop/api',
    from: -1,
    entry: 0,
    to: 0,
    count: o.count ?? 1,
    parallel: false,
    proto: (o.proto ?? ProtocolClass.Http1) as Edge['proto'],
    poolProto: (o.proto ?? ProtocolClass.Http1) as Edge['proto'],
    requestBytes: 1024,
    responseBytes: 1024,
    kib: 2,
    l7: false,
    timeout: Number.POSITIVE_INFINITY,
    perTryTimeout: Number.POSITIVE_INFINITY,
    retryBackoff: 0.025,
    retries: o.retries ?? 2,
    retryOn: retryBits(defaultRetryOn('1.28')),
    grpc: false,
    connType: o.connType ?? ConnType.KeepAlive,
    poolSize,
    lifetime: null,
    slotBase: 0,
    waypointPods: Int32Array.of(4),
    waypointName: 'wp',
    waypointOwner: 'shop/wp',
    waypointSkipped: false,
    headless: false,
    clientTls: false,
    gatewayPods: new Int32Array(0),
    gatewayOwner: null,
    passthrough: 0,
    envoyTls: 0,
  };
  return {
    scenario,
    placement,
    classes,
    templates: buildTemplates(100),
    nodeZone: Int32Array.of(0, 0, 1),
    nodeRegion: Int32Array.of(0, 0, 0),
    nPods: 5,
    podNode: Int32Array.of(0, 1, 2, 0, 1),
    podKind: Uint8Array.of(EndpointKind.Sidecar, EndpointKind.Sidecar, EndpointKind.Sidecar, 0, 0),
    podService: Int32Array.of(-1, 0, 0, -1, -1),
    podOrdinal: Int32Array.of(0, 0, 1, 0, 0),
    podProxy: Int32Array.of(0, 1, 2, -1, 4),
    nProxies: 5,
    proxyClass: Uint8Array.of(0, 0, 0, 1, 2),
    proxyPod: Int32Array.of(0, 1, 2, 3, 4),
    proxyNode: Int32Array.of(0, 1, 2, 0, 1),
    proxyName: ['web-0/istio-proxy', 'api-0/istio-proxy', 'api-1/istio-proxy', 'ztunnel-n0', 'wp-0'],
    ztunnelOfNode: Int32Array.of(3, -1, -1),
    // Every container weighs 1024 with no quota; nodes have their allocatable cores, nothing in the background.
    containerWeight: new Float64Array(10).fill(1024),
    containerLimit: new Float64Array(10).fill(Number.POSITIVE_INFINITY),
    quotaPeriod: 0.1,
    proxyConfigMemory: new Float64Array(5),
    proxyStartMemory: new Float64Array(5),
    proxyMemoryLimit: new Float64Array(5).fill(Number.POSITIVE_INFINITY),
    proxyCrashLoop: new Uint8Array(5),
    proxyOpenLimit: new Float64Array(5).fill(Number.POSITIVE_INFINITY),
    ztunnelMemoryPerLocal: 0,
    nodeQuotaOrigin: new Float64Array(nodes.length),
    proxyWorkers: new Int32Array(5).fill(workers),
    proxyIdleCpu: new Float64Array(5),
    nodeBackground: new Float64Array(3),
    nodeCores: Float64Array.from(nodes, (n) => n.allocatable.cpu),
    // Hand worlds share the cores as a fluid: their checks are against processor-sharing arithmetic.
    nodeSlice: new Float64Array(nodes.length),
    services: [
      {
        key: 'shop/api',
        pods: Int32Array.of(1, 2),
        serviceTime: constant(0.002),
        cpuFraction: 1,
        concurrency: 1,
        trafficPolicy: null,
        subsetPolicies: null,
        mtls: 'PERMISSIVE',
        edges: [],
        edgeList: [],
      },
    ],
    serviceIndex: new Map([['shop/api', 0]]),
    behaviours: [{ name: 'shop/api', service: 0, serviceTime: constant(0.002), edgeList: [] }],
    versions: [],
    podVersion: new Int32Array(5).fill(-1),
    versionSplit: [null],
    serviceRoutes: [null],
    entryRoutes: [null],
    edges: [edge],
    entryEdges: [0],
    entryClients: [Int32Array.of(0)],
    nSlots: poolSize,
    delay: Float64Array.of(0.00002, 0.0001, 0.0005),
    criticalPath: classes.map(() => constant(0.0001)),
    interarrival: [(t: number) => (Math.floor(t * 10 + 1e-9) + 1) / 10 - t],
    thinkTime: [],
    reconnectBackoff: constant(0.05),
    podStartup: constant(2),
  };
}
