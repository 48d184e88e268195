// Node CPU as the physics of a hop (issue 10, DESIGN.md section 3): every proxy and application thread
// runs on its node's cores, shared by CFS weights under CFS quotas. Idle node: a hop costs its on-path
// CPU plus its non-CPU part, as calibrated. Hot node: a sidecar with a small CPU request is starved by a
// busy neighbour, a Guaranteed one is not. CPU-bound node: a client that opens a connection per request
// gets less done, its connection CPU taking cores from the application.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIDECAR_COST } from '../../src/scenario/defaults.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { type ArchResult, type EntryResult, simulateArchitecture } from '../../src/simulate/index.ts';

interface Setup {
  /** Sidecar resources (YAML), and the api container's. */
  sidecar?: string;
  api?: string;
  /** Requests per second of the CPU hog sharing the node (0: none). */
  hog?: number;
  /** Extra YAML under mesh.sidecar.cost. */
  cost?: string;
  /** The entry point through the sidecars. */
  rate?: string;
  connection?: string;
  protocol?: string;
  apiServiceTime?: string;
  apiCpuFraction?: number;
  apiConcurrency?: number;
  vcpu?: number;
  duration?: string;
}

/** Load generators that spend no CPU (client-cpu.ts): these tests weigh the sidecars and the hogs. */
const WEIGHTLESS = '{ cpuPerRequest: 0s, cpuPerConnection: 0s }';

/** One node: web (sidecar) -> api (sidecar); optionally `hog`, outside the mesh, loading the same node. */
function scenario(o: Setup) {
  const hog = o.hog ?? 0;
  return parseScenario(
    `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: node-cpu }
cluster:
  nodePools:
    - { name: pool, instanceType: custom, vcpu: ${o.vcpu ?? 8}, memory: 64Gi, pricePerHour: 1, count: 1, zones: [a], systemReserved: { cpu: 0, memory: 0 } }
namespaces:
  - { name: app, labels: { istio-injection: enabled } }
  - { name: batch }
services:
  - name: api
    namespace: app
    resources: ${o.api ?? '{ requests: { cpu: 100m, memory: 128Mi } }'}
    concurrency: ${o.apiConcurrency ?? 64}
    serviceTime: ${o.apiServiceTime ?? '20us'}
    cpuFraction: ${o.apiCpuFraction ?? 0}
  - name: hog
    namespace: batch
    replicas: 8
    resources: { requests: { cpu: 1, memory: 128Mi } }
    concurrency: 256
    serviceTime: 10ms
traffic:
  - name: web
    to: api.app
    rate: ${o.rate ?? '50/s'}
    arrival: poisson
    clientMode: sidecar
    protocol: ${o.protocol ?? 'http1'}
    requestSize: 1KiB
    responseSize: 1KiB
    connection: ${o.connection ?? '{ type: keepalive, poolSize: 4 }'}
    clientPod: ${WEIGHTLESS}
${hog > 0 ? `  - { name: load, to: hog.batch, rate: ${hog}/s, arrival: poisson, clientMode: none, clientPod: ${WEIGHTLESS} }\n` : ''}mesh:
  sidecar:
    workers: 2
    resources: ${o.sidecar ?? '{ requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 2, memory: 1Gi } }'}
${o.cost ? `    cost: ${o.cost}\n` : ''}compare: [sidecar]
simulation: { duration: ${o.duration ?? '12s'}, warmup: 2s, replications: 1, seed: 3 }
`,
    'node-cpu.yaml',
  );
}

const run = (o: Setup) => simulateArchitecture(scenario(o), 'sidecar');
const web = (o: Setup) => run(o).entryPoints[0]!;

describe('an idle node: a hop costs what calibration says', () => {
  it('on-path CPU at full speed: 2 hops x cpuOnPath x (cpuPerRequest + cpuPerKiB x KiB), exactly', () => {
    // The same random draws with and without on-path CPU: the latency differs by the CPU alone.
    const withCpu = web({});
    const without = web({ cost: '{ cpuOnPath: 0 }' });
    const c = DEFAULT_SIDECAR_COST;
    const kib = 2; // 1 KiB each way
    const onPath = c.cpuOnPath * (c.cpuPerRequest + c.cpuPerKiB * kib);
    expect(withCpu.completed.mean).toBe(without.completed.mean);
    expect(withCpu.latency.mean.mean - without.latency.mean.mean).toBeCloseTo(2 * onPath, 9);
  });

  it('the non-CPU part has the calibrated lognormal mean (exp(mu + sigma^2 / 2) per hop)', () => {
    const none = web({ cost: '{ cpuOnPath: 0, cpuPerConnection: 0s, cpuPerHandshake: 0s }' });
    const zero = web({ cost: '{ cpuOnPath: 0, criticalPath: { constant: 0s } }' });
    const cp = DEFAULT_SIDECAR_COST.criticalPath;
    if (cp.kind !== 'lognormal') throw new Error('the sidecar non-CPU part is lognormal');
    const mean = Math.exp(cp.mu + (cp.sigma * cp.sigma) / 2);
    // About 500 requests, CV of a hop about 0.66: the mean of two hops within 10 %.
    const added = none.latency.mean.mean - zero.latency.mean.mean;
    expect(added / (2 * mean)).toBeGreaterThan(0.9);
    expect(added / (2 * mean)).toBeLessThan(1.1);
  });
});

describe('a node at 95 % CPU: contention stretches a hop by its CFS weight', () => {
  // 12 cores; 8 hog pods of 1 CPU request each; 1140 hog requests/s x 10 ms = 11.4 cores, 95 %.
  const lowRequest = '{ requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 2, memory: 1Gi } }';
  const guaranteed = '{ requests: { cpu: 1, memory: 256Mi }, limits: { cpu: 1, memory: 256Mi } }';
  const guaranteedApi = '{ requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 100m, memory: 128Mi } }';
  const stretch = (sidecar: string, api?: string) => {
    const base = { sidecar, ...(api && { api }) };
    const idle = web({ ...base, vcpu: 12 });
    const hot = run({ ...base, hog: 1140, vcpu: 12 });
    return { idle, hot, added: hot.entryPoints[0]!.latency.mean.mean - idle.latency.mean.mean };
  };

  it('a 100m sidecar is starved far more than a Guaranteed one', () => {
    const low = stretch(lowRequest);
    const high = stretch(guaranteed, guaranteedApi);
    // The node is hot: most of the time every core is busy.
    const node = low.hot.placement.perNode[0]!;
    expect(node.cpuUtilisation!).toBeGreaterThan(0.9);
    expect(node.saturatedSeconds!).toBeGreaterThan(5);
    // At 102 shares against the hogs' 8 x 1024 a sidecar gets about 12 x 102 / 8294 = 0.15 core when
    // they are all busy; at 1024 shares, 12 x 1024 / 9216 > 1 core: it runs at full speed.
    expect(low.added).toBeGreaterThan(50e-6);
    expect(low.added).toBeGreaterThan(3 * Math.max(high.added, 1e-6));
    const sidecarShare = low.hot.components.find((c) => c.component === 'sidecar')!.cpuShare!;
    expect(sidecarShare.starved).toBeGreaterThan(0);
    expect(sidecarShare.throttled).toBe(0);
  });
});

describe('a CPU-bound node: connection CPU competes with the application', () => {
  // 2 cores; api is CPU-bound (1 ms of CPU per request). 1200/s offered: with keep-alive a request costs
  // 1 ms + 2 x 0.2 ms (sidecars) of CPU, 1.7 of the 2 cores; a new connection per request adds an mTLS
  // handshake (0.5 ms) on both sidecars and accepts, 2.4 ms of CPU per request: more than the node has.
  const base: Setup = {
    vcpu: 2,
    rate: '1200/s',
    apiServiceTime: '1ms',
    apiCpuFraction: 1,
    apiConcurrency: 8,
    duration: '6s',
    protocol: 'tcp',
  };

  it('a client opening a connection per request completes fewer requests than a keep-alive one', () => {
    const keepAlive = run({ ...base, connection: '{ type: keepalive, poolSize: 8 }' });
    const perRequest = run({ ...base, connection: 'per-request' });
    const [ka, pr] = [keepAlive, perRequest].map((r) => r.entryPoints[0]!) as [EntryResult, EntryResult];
    // Keep-alive keeps up with what is offered.
    expect(ka.throughput.mean).toBeGreaterThan(0.95 * 1200);
    // Per request, the sidecars' connection CPU takes cores the application needed.
    expect(pr.throughput.mean).toBeLessThan(0.7 * ka.throughput.mean);
    const app = (r: ArchResult) => r.components.find((c) => c.component === 'application')!.cpuShare!;
    expect(app(perRequest).got).toBeLessThan(app(keepAlive).got);
    expect(app(perRequest).starved).toBeGreaterThan(app(keepAlive).starved);
  });
});
