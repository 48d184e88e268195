// Small scenario texts for the simulation tests, built as YAML so they go through the real loader
// (units, defaults, references) exactly as a user's file does.
import { place } from '../../src/cluster/index.ts';
import { type Architecture, parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication, type World } from '../../src/simulate/index.ts';

export interface HandOptions {
  /** Architectures to compare. */
  compare?: Architecture[];
  /** Nodes of the only pool and the zones they are spread over (round robin). */
  nodes?: number;
  zones?: string[];
  /** One-way delays. */
  network?: { sameNode: string; sameZone: string; crossZone: string };
  /** Namespace label set: 'none' (no labels), 'sidecar' or 'ambient'. */
  label?: 'none' | 'sidecar' | 'ambient';
  /** Entry point fields. */
  rate?: string;
  arrival?: 'constant' | 'poisson';
  clientMode?: 'none' | 'sidecar' | 'ambient' | 'same-as-target';
  /**
   * The load generator's CPU per request and per connection: none unless a test says, so that the hand
   * sums are of the mesh's hops alone (replication/client-cpu.ts adds the client's own).
   */
  clientCpu?: { perRequest: string; perConnection: string };
  /** The load generator's container resources (YAML), none by default. */
  clientResources?: string;
  /** How requests enter: straight to `api` or through the ingress gateway. */
  via?: 'direct' | 'ingress';
  protocol?: 'http1' | 'http2' | 'grpc' | 'tcp';
  connection?: string;
  requestSize?: string;
  responseSize?: string;
  /** The server. */
  serviceTime?: string;
  concurrency?: number;
  replicas?: number;
  serverCpu?: string;
  /** Bind `api` to a waypoint `wp` in its namespace (ambient only). */
  waypoint?: boolean;
  /** Extra YAML under `mesh:` (indented by the caller at 2 spaces). */
  mesh?: string;
  duration?: string;
  warmup?: string;
  seed?: number;
  replications?: number;
}

const LABELS = {
  none: '{}',
  sidecar: '{ istio-injection: enabled }',
  ambient: '{ istio.io/dataplane-mode: ambient }',
} as const;

/** One entry point `web` -> one service `api` in namespace `app`. */
export function handScenarioText(o: HandOptions = {}): string {
  const net = o.network ?? { sameNode: '10us', sameZone: '100us', crossZone: '1ms' };
  const zones = o.zones ?? ['zone-a'];
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: hand }
cluster:
  nodePools:
    - name: pool
      instanceType: custom
      vcpu: 8
      memory: 32Gi
      count: ${o.nodes ?? 1}
      zones: [${zones.join(', ')}]
      systemReserved: { cpu: 0, memory: 0 }
  network: { sameNode: ${net.sameNode}, sameZone: ${net.sameZone}, crossZone: ${net.crossZone} }
namespaces:
  - name: app
    labels: ${LABELS[o.label ?? 'none']}
${o.waypoint ? 'waypoints: [{ name: wp, namespace: app }]\n' : ''}services:
  - name: api
    namespace: app
${o.waypoint ? '    labels: { istio.io/use-waypoint: wp }\n' : ''}    replicas: ${o.replicas ?? 1}
    resources: { requests: { cpu: ${o.serverCpu ?? '1'}, memory: 1Gi } }
    concurrency: ${o.concurrency ?? 64}
    serviceTime: ${o.serviceTime ?? '{ constant: 1ms }'}
traffic:
  - name: web
    to: api.app
    rate: ${o.rate ?? '1/s'}
    arrival: ${o.arrival ?? 'constant'}
    clientMode: ${o.clientMode ?? 'none'}
    clientPod: { cpuPerRequest: ${o.clientCpu?.perRequest ?? '0s'}, cpuPerConnection: ${o.clientCpu?.perConnection ?? '0s'}${o.clientResources ? `, resources: ${o.clientResources}` : ''} }
    via: ${o.via ?? 'direct'}
    protocol: ${o.protocol ?? 'http1'}
    connection: ${o.connection ?? 'keepalive'}
    requestSize: ${o.requestSize ?? '1KiB'}
    responseSize: ${o.responseSize ?? '1KiB'}
${o.mesh ? `mesh:\n${o.mesh}\n` : ''}compare: [${(o.compare ?? ['none']).join(', ')}]
simulation:
  duration: ${o.duration ?? '10s'}
  warmup: ${o.warmup ?? '1500ms'}
  seed: ${o.seed ?? 1}
  replications: ${o.replications ?? 1}
`;
}

export function handScenario(o: HandOptions = {}): Scenario {
  return parseScenario(handScenarioText(o), 'test.yaml');
}

/**
 * Mesh cost override with constant, easily added numbers: every CPU and latency figure of `cls` is set,
 * so nothing calibrated leaks into a hand calculation.
 */
export function constantCost(
  cls: 'sidecar' | 'ztunnel' | 'waypoint',
  c: {
    cpuPerRequest?: string;
    cpuPerKiB?: string;
    cpuPerHandshake?: string;
    cpuPerConnection?: string;
    criticalPath?: string;
    criticalPathPerKiB?: string;
    handshakeLatency?: string;
    /** Fraction of per-request CPU on the request's path; 0 unless a test says (hop = criticalPath). */
    cpuOnPath?: number;
    workers?: number;
  } = {},
): string {
  const workers = c.workers === undefined ? '' : cls === 'waypoint' ? '' : `\n    workers: ${c.workers}`;
  return `  ${cls}:${workers}
    cost:
      cpuPerRequest: ${c.cpuPerRequest ?? '50us'}
      cpuPerKiB: ${c.cpuPerKiB ?? '0s'}
      cpuPerHandshake: ${c.cpuPerHandshake ?? '300us'}
      cpuPerConnection: ${c.cpuPerConnection ?? '20us'}
      cpuPerOpenConnection: 0
      cpuOnPath: ${c.cpuOnPath ?? 0}
      criticalPath: { constant: ${c.criticalPath ?? '100us'} }
      criticalPathPerKiB: ${c.criticalPathPerKiB ?? '0s'}
      handshakeLatency: ${c.handshakeLatency ?? '400us'}`;
}

/** Mesh text switching off the data plane's idle CPU, for hand calculations of per-request CPU. */
export const NO_IDLE_CPU = `  idle:
    envoyBaseCpu: 0
    envoyCpuPerCluster: 0
    envoyPushCpu: 0s
    envoyPushCpuPerCluster: 0s
    envoyPushCpuPerEndpoint: 0s
    ztunnelBaseCpu: 0
    ztunnelCpuPerUpdate: 0s`;

export interface RunOutcome {
  engine: Replication;
  world: World;
}

/** Builds and runs one replication of `arch` as a Replication, so tests can read its raw counters. */
export function runEngine(s: Scenario, arch: Architecture, seed = 'test'): RunOutcome {
  const world = buildWorld(s, place(s, arch));
  const engine = new Replication(world, seed);
  engine.run();
  return { engine, world };
}

/** One-way delay between two nodes of a world, as the engine computes it. */
export function delayBetween(w: World, a: number, b: number): number {
  if (a === b) return w.delay[0]!;
  return w.nodeZone[a] === w.nodeZone[b] ? w.delay[1]! : w.delay[2]!;
}
