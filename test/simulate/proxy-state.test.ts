// What each proxy holds and opens: its memory follows what it must know (services, endpoints, local
// pods), and HBONE pooling falls out of the connection model rather than being assumed.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { type Architecture, parseScenario } from '../../src/scenario/index.ts';
import {
  buildWorld,
  measure,
  Replication,
  simulateArchitecture,
  type World,
} from '../../src/simulate/index.ts';
import { drained } from '../helpers/drained.ts';
import { handScenario } from '../helpers/scenario-text.ts';

describe('proxy memory follows what each proxy must know', () => {
  const Mi = 1024 * 1024;
  /** n services in one namespace, each with `replicas` pods; s0 calls s1; connection memory off. */
  const text = (mode: 'sidecar' | 'ambient', n: number, replicas: number, scope: 'mesh' | 'callees') => {
    const svcs = Array.from(
      { length: n },
      (_, i) =>
        `  - { name: s${i}, namespace: m, replicas: ${replicas}, resources: { requests: { cpu: 10m, memory: 16Mi } }${
          i === 0 ? `, sidecarScope: ${scope}, calls: [{ to: s1 }]` : ''
        } }`,
    ).join('\n');
    return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: mem }
cluster: { nodePools: [{ name: p, instanceType: m5.xlarge, count: 2 }] }
namespaces: [{ name: m, labels: ${mode === 'sidecar' ? '{ istio-injection: enabled }' : '{ istio.io/dataplane-mode: ambient }'} }]
services:
${svcs}
traffic: [{ name: web, to: s0.m, rate: 20/s }]
mesh:
  sidecar: { cost: { memoryBase: 10Mi, memoryPerCluster: 1Mi, memoryPerEndpoint: 100Ki, memoryPerConnection: 0 } }
  ztunnel: { cost: { memoryBase: 8Mi, memoryPerWorkload: 10Ki, memoryPerService: 4Ki, memoryPerConnection: 0 } }
  idle: { ztunnelMemoryPerLocalWorkload: 64Ki }
compare: [${mode}]
simulation: { duration: 1500ms, warmup: 1s, replications: 1 }
`;
  };
  const memoryOf = (src: string, arch: Architecture, proxy: (name: string) => boolean) => {
    const s = parseScenario(src, 'mem.yaml');
    const w = buildWorld(s, place(s, arch));
    const e = new Replication(w, 'mem');
    e.run();
    const m = measure(e);
    const found = w.proxyName.map((n, i) => [n, m.proxies[i]!.memory, i] as const).filter(([n]) => proxy(n));
    expect(found.length).toBeGreaterThan(0);
    return { memory: found[0]![1], world: w, all: found };
  };
  const s0Sidecar = (n: string) => n.startsWith('m/s0-0/');

  it('an unscoped sidecar holds every service of the mesh and its endpoints', () => {
    for (const n of [3, 6]) {
      const { memory } = memoryOf(text('sidecar', n, 2, 'mesh'), 'sidecar', s0Sidecar);
      expect(memory).toBeCloseTo(10 * Mi + n * 1 * Mi + n * 2 * 100 * 1024, 3);
    }
    const small = memoryOf(text('sidecar', 3, 2, 'mesh'), 'sidecar', s0Sidecar).memory;
    const big = memoryOf(text('sidecar', 6, 2, 'mesh'), 'sidecar', s0Sidecar).memory;
    expect(big).toBeGreaterThan(small);
  });

  it('sidecarScope: callees shrinks it to itself and its callees, whatever the mesh size', () => {
    for (const n of [3, 6]) {
      const { memory } = memoryOf(text('sidecar', n, 2, 'callees'), 'sidecar', s0Sidecar);
      expect(memory).toBeCloseTo(10 * Mi + 2 * 1 * Mi + 2 * 2 * 100 * 1024, 3);
    }
  });

  const zt = (n: string) => n.startsWith('ztunnel-');
  /** Captured pods on the node of ztunnel proxy `p`. */
  const local = (w: World, p: number) =>
    w.placement.pods.filter((x) => x.captured && x.node === w.proxyNode[p]).length;

  it('ztunnel holds every pod of the cluster and every service, plus what each local pod needs', () => {
    const a = memoryOf(text('ambient', 3, 2, 'mesh'), 'ambient', zt);
    const b = memoryOf(text('ambient', 3, 5, 'mesh'), 'ambient', zt);
    const placed = (w: typeof a.world) => w.placement.pods.filter((p) => p.node >= 0).length;
    const [, memA, pA] = a.all[0]!;
    const [, memB, pB] = b.all[0]!;
    expect(memA).toBeCloseTo(
      8 * Mi + placed(a.world) * 10 * 1024 + 3 * 4 * 1024 + local(a.world, pA) * 64 * 1024,
      3,
    );
    // 3 services x 3 more replicas = 9 more pods.
    expect(placed(b.world) - placed(a.world)).toBe(9);
    const localMore = local(b.world, pB) - local(a.world, pA);
    expect(memB - memA).toBeCloseTo(9 * 10 * 1024 + localMore * 64 * 1024, 3);
  });

  it('ztunnel memory rises with the pods scheduled on its own node', () => {
    const { world, all } = memoryOf(text('ambient', 4, 3, 'mesh'), 'ambient', zt);
    expect(all.length).toBe(2);
    const [[, m0, p0], [, m1, p1]] = all as [(typeof all)[0], (typeof all)[0]];
    const [l0, l1] = [local(world, p0), local(world, p1)];
    expect(l0).not.toBe(l1);
    // Same cluster, so the same cluster-wide records: the difference is the local pods alone.
    expect(m0 - m1).toBeCloseTo((l0 - l1) * 64 * 1024, 3);
    expect(Math.sign(m0 - m1)).toBe(Math.sign(l0 - l1));
  });
});

describe('HBONE pooling falls out of the model (DESIGN.md section 3)', () => {
  // One client pod and one server pod in different zones; the client opens a new TCP connection for
  // every request, one request at a time (constant arrivals 10 ms apart, each request takes about 5 ms).
  // Counted over the whole run (drained), every request is accounted for.
  const run = (arch: 'sidecar' | 'ambient', protocol: 'tcp' | 'http1') => {
    const s = handScenario({
      compare: [arch],
      label: arch,
      clientMode: arch,
      protocol,
      connection: 'per-request',
      rate: '100/s',
      arrival: 'constant',
      nodes: 2,
      zones: ['a', 'b'],
      duration: '3s',
      warmup: '0s', // counted over the whole run: connection set-up happens at the start
    });
    const e = drained(s, arch);
    const requests = e.recorder.arrivalBins.reduce((x, v) => x + v, 0);
    const handshakes = Array.from(e.w.proxyName, (_, p) => e.proxies.handshakesOf(p));
    return { requests, handshakes, total: handshakes.reduce((x, v) => x + v, 0), e, s };
  };

  it('sidecars handshake once per request on each side for tcp (Envoy proxies raw TCP one to one)', () => {
    const r = run('sidecar', 'tcp');
    expect(r.requests).toBeGreaterThanOrEqual(299); // 300 with float accumulation of the 10 ms gaps
    expect(r.requests).toBeLessThanOrEqual(300);
    expect(r.handshakes).toEqual([r.requests, r.requests]);
    // Every connection was closed with its request.
    expect(Array.from(r.e.proxies.open)).toEqual([0, 0]);
  });

  it('sidecars pool HTTP upstream connections: one handshake per side even with per-request clients', () => {
    const r = run('sidecar', 'http1');
    // Concurrency on the pair stays low at this load: a handful of pooled connections at most.
    for (const h of r.handshakes) {
      expect(h).toBeGreaterThanOrEqual(1);
      expect(h).toBeLessThanOrEqual(5);
    }
  });

  it('ztunnels open one HBONE connection and carry every new TCP connection as a stream', () => {
    for (const protocol of ['tcp', 'http1'] as const) {
      const r = run('ambient', protocol);
      expect(r.handshakes.filter((h) => h > 0)).toEqual([1, 1]);
      // Every request still pays a new captured connection at both ztunnels ...
      expect(Array.from(r.e.w.proxyName, (_, p) => r.e.proxies.newConnectionsOf(p))).toEqual([
        r.requests,
        r.requests,
      ]);
      // ... and its stream is closed with it; the pooled HBONE connection stays.
      expect(Array.from(r.e.proxies.open)).toEqual([0, 0]);
      expect(Array.from({ length: r.e.pools.size }, (_, i) => r.e.pools.openOf(i))).toEqual([1]);
      expect(Array.from({ length: r.e.pools.size }, (_, i) => r.e.pools.activeOf(i))).toEqual([0]);
    }
  });

  it('overlapping per-request connections of one client pod are each closed with their request', () => {
    // Poisson arrivals at 200/s: requests of the one client pod overlap, each on its own connection.
    for (const arch of ['ambient', 'sidecar'] as const) {
      const s = handScenario({
        compare: [arch],
        label: arch,
        clientMode: arch,
        protocol: 'tcp',
        connection: 'per-request',
        rate: '200/s',
        arrival: 'poisson',
        nodes: 2,
        zones: ['a', 'b'],
        duration: '3s',
        warmup: '0s', // handshakes are counted after the warm-up: none here, so all are seen
      });
      const e = drained(s, arch);
      expect(Array.from(e.proxies.open), arch).toEqual([0, 0]);
      expect(Array.from({ length: e.pools.size }, (_, i) => e.pools.activeOf(i)).every((a) => a === 0)).toBe(
        true,
      );
      // Far below 100 concurrent streams: one pooled HBONE connection, one handshake per end.
      if (arch === 'ambient')
        expect(Array.from(e.w.proxyName, (_, p) => e.proxies.handshakesOf(p))).toEqual([1, 1]);
    }
  });

  it('in the results: ztunnel handshakes/s stay near 0 while sidecar handshakes/s track the request rate', () => {
    const sc = run('sidecar', 'tcp');
    const amb = run('ambient', 'tcp');
    const scRes = simulateArchitecture(sc.s, 'sidecar');
    const ambRes = simulateArchitecture(amb.s, 'ambient');
    const window = sc.s.simulation.duration - sc.s.simulation.warmup;
    const rate = scRes.entryPoints[0]!.offered.mean / window;
    // At least one handshake per request on each side (see the report about warm-up counting).
    expect(scRes.connections.sidecar!.handshakesPerSecond).toBeGreaterThanOrEqual(2 * rate * 0.95);
    // At most the one pooled connection per side over the whole run.
    expect(ambRes.connections.ztunnel!.handshakesPerSecond * window).toBeLessThanOrEqual(2);
  });
});
