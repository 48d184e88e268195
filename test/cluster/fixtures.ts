// Scenarios built by hand for the cluster tests, so they do not depend on the loader.
import { DEFAULT_MESH, DEFAULT_NETWORK } from '../../src/scenario/defaults.ts';
import type {
  DataplaneMode,
  EntryPoint,
  MeshSettings,
  Namespace,
  NodePool,
  Scenario,
  Service,
  Waypoint,
} from '../../src/scenario/types.ts';

export const Mi = 1024 * 1024;
export const Gi = 1024 * Mi;

export function pool(over: Partial<NodePool> = {}): NodePool {
  return {
    name: 'pool',
    instanceType: 'custom',
    vcpu: 4,
    memory: 16 * Gi,
    pricePerHour: 0.192,
    count: 2,
    zones: ['a'],
    maxPods: 110,
    systemReserved: { cpu: 0, memory: 0 },
    spot: false,
    ...over,
  };
}

export function ns(name: string, mode: DataplaneMode): Namespace {
  const labels: Record<string, string> =
    mode === 'sidecar'
      ? { 'istio-injection': 'enabled' }
      : mode === 'ambient'
        ? { 'istio.io/dataplane-mode': 'ambient' }
        : {};
  return { name, labels, mode };
}

export function service(key: string, over: Partial<Service> = {}): Service {
  const [namespace = '', name = ''] = key.split('/');
  return {
    key,
    name,
    namespace,
    replicas: 1,
    cpuFraction: 1,
    resources: { requests: { cpu: 1, memory: 1 * Gi } },
    concurrency: 10,
    serviceTime: { kind: 'constant', value: 0.001 },
    calls: [],
    sidecarPods: 0,
    inject: true,
    sidecarScope: 'mesh',
    ...over,
  };
}

export function waypoint(namespace: string, name: string, over: Partial<Waypoint> = {}): Waypoint {
  return { name, namespace, for: 'service', ...DEFAULT_MESH.waypoint.defaults, ...over };
}

export function entry(name: string, to: string, over: Partial<EntryPoint> = {}): EntryPoint {
  return {
    name,
    to,
    rate: 100,
    arrival: { kind: 'poisson' },
    protocol: 'http1',
    requestSize: 1024,
    responseSize: 1024,
    l7: false,
    connection: { type: 'keepalive', poolSize: 4 },
    via: 'direct',
    clients: 1,
    clientMode: 'none',
    clientCpu: { perRequest: 50e-6, perConnection: 20e-6, threads: 2 },
    timeout: Number.POSITIVE_INFINITY,
    perTryTimeout: Number.POSITIVE_INFINITY,
    retryBackoff: 0.025,
    retries: 2,
    retryOn: null,
    ...over,
  };
}

export interface ScenarioParts {
  pools?: NodePool[];
  namespaces?: Namespace[];
  services?: Service[];
  waypoints?: Waypoint[];
  traffic?: EntryPoint[];
  mesh?: Partial<MeshSettings>;
}

export function scenario(parts: ScenarioParts = {}): Scenario {
  return {
    apiVersion: 'meshsim/v1alpha1',
    kind: 'Scenario',
    metadata: { name: 'test', description: '' },
    cluster: { nodePools: parts.pools ?? [pool()], network: DEFAULT_NETWORK, kubernetesVersion: '1.33' },
    namespaces: parts.namespaces ?? [],
    waypoints: parts.waypoints ?? [],
    services: parts.services ?? [],
    traffic: parts.traffic ?? [],
    mesh: { ...DEFAULT_MESH, ...parts.mesh },
    compare: ['none', 'sidecar', 'ambient'],
    simulation: { duration: 60, warmup: 10, seed: 1, replications: 1, timeStep: 1 },
    lifecycle: {
      podStartup: { kind: 'constant', value: 5 },
      terminationGrace: 30,
      sidecarDrain: 5,
      ztunnelDrain: 25,
      reconnectBackoff: { kind: 'constant', value: 0.1 },
      preStop: 0,
      endpointPropagation: { kubeProxy: 1, envoy: 0.35, ztunnel: 0.35 },
    },
    events: [],
    cost: { crossZonePerGiB: 0.01, perProxyFeePerHour: 0, discount: 0 },
  };
}

/** Mesh settings with istiod removed, so hand counts only involve the pods under test. */
export function noIstiod(): Partial<MeshSettings> {
  return { istiod: { ...DEFAULT_MESH.istiod, replicas: 0 } };
}

/** A deep-frozen copy, so a test fails if the code under test mutates its input. */
export function frozen<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
