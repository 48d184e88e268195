// The ingress gateway on the request path: its hop adds exactly its critical path and the extra link
// (hand-computed at low load with constant costs, and within sampling error of the calibrated Envoy hop),
// its CPU is a component of its own that grows with the rate, and a rolling restart drains it.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import type { Architecture } from '../../src/scenario/index.ts';
import { DEFAULT_MESH, parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';
import { lbPerRequest, templateFor } from '../../src/simulate/world/index.ts';
import { constantCost, handScenario, runEngine } from '../helpers/scenario-text.ts';

const S = 1e-3;
const D = 10e-6; // same-node one-way delay of the hand scenarios (one node)
const GATEWAY_MESH = [
  '  ingressGateway:',
  '    cost:',
  '      cpuPerRequest: 80us',
  '      cpuOnPath: 0',
  '      cpuPerKiB: 0s',
  '      cpuPerHandshake: 300us',
  '      cpuPerConnection: 20us',
  '      cpuPerOpenConnection: 0',
  '      criticalPath: { constant: 150us }',
  '      criticalPathPerKiB: 0s',
  '      handshakeLatency: 400us',
  constantCost('sidecar', { criticalPath: '100us', handshakeLatency: '400us' }),
  constantCost('ztunnel', { criticalPath: '70us', handshakeLatency: '250us' }),
].join('\n');

/** Steady latency (every request but the first, which opens connections) at 1 request/s. */
function steady(arch: 'none' | 'sidecar' | 'ambient', via: 'direct' | 'ingress'): number {
  const s = handScenario({
    compare: [arch],
    label: arch,
    mesh: GATEWAY_MESH,
    via,
    warmup: '500ms',
    duration: '10s',
    connection: '{ type: keepalive, poolSize: 1 }',
  });
  const { engine } = runEngine(s, arch);
  const h = engine.recorder.entryHist[0]!;
  expect(h.count).toBe(9);
  return h.min;
}

describe('low load, one node: the gateway adds its hop and one link each way', () => {
  it.each([
    ['none', 0],
    ['sidecar', 100e-6],
    ['ambient', 70e-6],
  ] as const)('%s: client -> gateway (150 us) -> destination', (arch, destinationHop) => {
    // Direct: the client reaches the pod over one link (its own proxy hop if any is on the far side).
    const direct = steady(arch, 'direct');
    expect(Math.abs(direct - (S + 2 * D + destinationHop))).toBeLessThan(1e-9);
    // Through the gateway: client -> gateway link, the gateway hop, gateway -> pod link.
    const entering = steady(arch, 'ingress');
    expect(Math.abs(entering - (S + 4 * D + 150e-6 + destinationHop))).toBeLessThan(1e-9);
  });
});

describe('calibrated gateway hop on an idle cluster', () => {
  it('adds the calibrated Envoy hop latency (plus its one extra link), within sampling error', () => {
    const cost = DEFAULT_MESH.ingressGateway.cost;
    // The gateway is costed as the calibrated Envoy hop (a waypoint's, itself a sidecar's).
    expect(cost.criticalPath).toEqual(DEFAULT_MESH.sidecar.cost.criticalPath);
    const spec = cost.criticalPath;
    if (spec.kind !== 'lognormal') throw new Error('expected the calibrated lognormal hop');
    const mean = Math.exp(spec.mu + spec.sigma ** 2 / 2);
    const sd = mean * Math.sqrt(Math.exp(spec.sigma ** 2) - 1);
    const run = (via: 'direct' | 'ingress') => {
      // 50 requests/s at constant spacing: nothing ever queues, only the hop's own time varies.
      const s = handScenario({ compare: ['none'], via, rate: '50/s', duration: '60s', warmup: '1s' });
      const h = runEngine(s, 'none').engine.recorder.entryHist[0]!;
      return { mean: h.mean, n: h.count };
    };
    const direct = run('direct');
    const entering = run('ingress');
    const kib = 2;
    // Node CPU: the hop is its on-path CPU (an idle node runs it unstretched) plus its non-CPU part.
    const onPath = cost.cpuOnPath * (cost.cpuPerRequest + cost.cpuPerKiB * kib);
    const added = entering.mean - direct.mean - 2 * D - cost.criticalPathPerKiB * kib - onPath;
    // Four standard errors, plus the first request's connection set-ups spread over the run.
    const tolerance = (4 * sd) / Math.sqrt(entering.n) + (8 * D) / entering.n;
    expect(Math.abs(added - mean)).toBeLessThan(tolerance);
  });
});

function shop(rate: string, extra = ''): string {
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: gateway }
cluster: { nodePools: [{ name: p, instanceType: m5.xlarge, count: 3, zones: [a, b, c] }] }
namespaces: [{ name: shop, labels: { istio-injection: enabled } }]
mesh: { ingressGateway: { replicas: 2 } }
services:
  - { name: front, namespace: shop, replicas: 3, serviceTime: 1ms, concurrency: 64 }
traffic: [{ name: web, to: front.shop, rate: ${rate}, via: ingress, clients: 2 }]
compare: [none, sidecar, ambient]
simulation: { duration: 30s, warmup: 2s, replications: 1 }
${extra}`;
}

describe('gateway resources', () => {
  it('its CPU is a component of its own, per request as costed, and scales with the rate', () => {
    const cost = DEFAULT_MESH.ingressGateway.cost;
    const perRequest = cost.cpuPerRequest + cost.cpuPerKiB * 2;
    const usage = (rate: number, arch: Architecture) => {
      const r = simulateArchitecture(parseScenario(shop(`${rate}/s`), 'g.yaml'), arch);
      const gw = r.components.find((c) => c.component === 'gateway');
      expect(gw?.instances).toBe(2);
      expect(gw!.memory.used.mean).toBeGreaterThan(0);
      return gw!.cpu.used.mean;
    };
    for (const arch of ['none', 'sidecar'] as const) {
      const low = usage(100, arch);
      const high = usage(400, arch);
      // Its idle CPU (mesh/idle.ts) comes on top of the requests' work; each extra request per second
      // adds its per-request CPU (Poisson arrivals: within a few percent).
      expect(low).toBeGreaterThan(100 * perRequest * 0.9);
      const slope = (high - low) / 300;
      expect(slope / perRequest).toBeGreaterThan(0.9);
      expect(slope / perRequest).toBeLessThan(1.15);
    }
  });

  it('does not run when no entry point comes through it', () => {
    const text = shop('100/s').replace('via: ingress', 'via: direct');
    const r = simulateArchitecture(parseScenario(text, 'g.yaml'), 'sidecar');
    expect(r.components.find((c) => c.component === 'gateway')).toBeUndefined();
  });
});

describe('upgrade: gateway', () => {
  it('rolls the gateway pods; they drain like other Envoys and nothing fails', () => {
    // Two replicas roll one at a time (25 % surge): about 35 s to roll out, 5 s more to drain.
    const text = shop('200/s', 'events: [{ at: 10s, upgrade: gateway }]\n').replace(
      'duration: 30s',
      'duration: 60s',
    );
    for (const arch of ['none', 'sidecar', 'ambient'] as const) {
      const r = simulateArchitecture(parseScenario(text, 'g.yaml'), arch);
      const ev = r.disruption.events[0]!;
      expect(ev.kind).toBe('upgrade');
      expect(ev.completed).toBe(true);
      expect(ev.podsRestarted).toBe(2);
      expect(ev.connectionsDrained).toBeGreaterThan(0);
      expect(ev.connectionsReset).toBe(0);
      expect(ev.requestsFailed).toBe(0);
    }
  });
});

describe('the gateway is the Envoy that retries and balances', () => {
  it('retries an entry call the direct path (no mesh) cannot, and balances it per request', () => {
    for (const via of ['direct', 'ingress'] as const) {
      const s = handScenario({ compare: ['none'], via, replicas: 2, duration: '3s', warmup: '1s' });
      const { engine, world } = runEngine(s, 'none');
      const edge = world.edges[world.entryEdges[0]!]!;
      const client = world.entryClients[0]![0]!;
      const server = world.services[0]!.pods[0]!;
      const tpl = templateFor(edge, world.podKind[client]!, world.podKind[server]!);
      expect(engine.retries.retrier[tpl]).toBe(via === 'ingress' ? 0 : -1);
      expect(lbPerRequest(world, edge, world.podKind[client]!)).toBe(via === 'ingress');
    }
  });
});

describe('gateway placement', () => {
  it('goes where its nodeSelector and tolerations send it (a dedicated, tainted gateway pool)', () => {
    const s = parseScenario(
      `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: pools }
cluster:
  nodePools:
    - { name: apps, instanceType: m5.xlarge, count: 2 }
    - name: edge
      instanceType: m5.large
      count: 2
      labels: { role: edge }
      taints: [{ key: dedicated, value: gateway, effect: NoSchedule }]
mesh:
  ingressGateway:
    replicas: 3
    nodeSelector: { role: edge }
    tolerations: [{ key: dedicated, value: gateway, effect: NoSchedule }]
services: [{ name: front, replicas: 4 }]
traffic: [{ name: web, to: front, rate: 10/s, via: ingress }]
compare: [sidecar]
`,
      'pools.yaml',
    );
    const p = place(s, 'sidecar');
    const poolOf = (i: number) => p.nodes[p.pods[i]!.node]!.pool;
    const gateways = p.pods.filter((x) => x.kind === 'gateway');
    expect(gateways).toHaveLength(3);
    for (const g of gateways) expect(poolOf(g.index)).toBe('edge');
    // Nothing else tolerates the taint.
    for (const x of p.pods.filter((y) => y.kind === 'app')) expect(poolOf(x.index)).toBe('apps');
  });
});
