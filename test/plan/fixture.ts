// Tiny scenarios for the cost and plan tests, written as YAML so they go through the real loader. One
// service `app/api` behind entry point `web`, on custom nodes with nothing reserved, istiod requesting
// nothing (so only sidecars and DaemonSets change what a mesh reserves), short cheap simulations.
import { parseScenario, type Scenario } from '../../src/scenario/index.ts';

export interface Tiny {
  nodes?: number;
  vcpu?: string;
  memory?: string;
  price?: number;
  zones?: string[];
  replicas?: number;
  cpu?: string;
  mem?: string;
  serviceTime?: string;
  rate?: string;
  slo?: string;
  /** Extra YAML under `mesh:` (two-space indent). */
  mesh?: string;
  cost?: string;
  compare?: string;
  label?: 'sidecar' | 'ambient';
  /** Per-request connections spread requests evenly over the pods; keepalive pins them. */
  connection?: string;
  /** The load generator's clientPod (YAML flow map); weightless by default. */
  client?: string;
}

export function tinyText(o: Tiny = {}): string {
  const label =
    o.label === 'ambient' ? '{ istio.io/dataplane-mode: ambient }' : '{ istio-injection: enabled }';
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: tiny }
cluster:
  nodePools:
    - name: pool
      instanceType: custom
      vcpu: ${o.vcpu ?? '2'}
      memory: ${o.memory ?? '8G'}
      pricePerHour: ${o.price ?? 0.1}
      count: ${o.nodes ?? 1}
      zones: [${(o.zones ?? ['zone-a']).join(', ')}]
      systemReserved: { cpu: 0, memory: 0 }
namespaces:
  - name: app
    labels: ${label}
services:
  - name: api
    namespace: app
    replicas: ${o.replicas ?? 4}
    resources: { requests: { cpu: ${o.cpu ?? '450m'}, memory: ${o.mem ?? '512M'} } }
    concurrency: 64
    serviceTime: { constant: ${o.serviceTime ?? '1ms'} }
traffic:
  - name: web
    to: api.app
    rate: ${o.rate ?? '20/s'}
    arrival: constant
    connection: ${o.connection ?? 'per-request'}
    # A weightless load generator: these tests size the application and the mesh. A real one that its
    # node starves sends less than planned (the results warn), which would make fewer nodes look enough.
    clientPod: ${o.client ?? '{ cpuPerRequest: 0s, cpuPerConnection: 0s }'}
${o.slo ? `    slo: ${o.slo}\n` : ''}mesh:
  istiod: { resources: { requests: { cpu: 0, memory: 0 } } }
${o.mesh ?? ''}
${o.cost ? `cost: ${o.cost}\n` : ''}compare: ${o.compare ?? '[none, sidecar, ambient]'}
simulation: { duration: 3s, warmup: 1s, seed: 7, replications: 1 }
`;
}

export function tiny(o: Tiny = {}): Scenario {
  return parseScenario(tinyText(o), 'test.yaml');
}
