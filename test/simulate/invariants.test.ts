// Properties every run must have, whatever the numbers: requests conserved, busy time = CPU, no node
// overcommitted, determinism, common random numbers, and what each architecture deploys and pays for.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { resultsJson } from '../../src/report/index.ts';
import { type Architecture, parseScenario, type Scenario } from '../../src/scenario/index.ts';
import {
  buildWorld,
  measure,
  Replication,
  type Results,
  runReplication,
  simulate,
  simulateArchitecture,
  type World,
} from '../../src/simulate/index.ts';
import { BUNDLED, loadBundled } from '../helpers/bundled.ts';
import { handScenario } from '../helpers/scenario-text.ts';

const SHORT = { duration: 3, warmup: 1, replications: 2 } as const;

/**
 * A workload that fails in every way the engine knows: timeouts, no endpoints, retries, ejections,
 * circuit breakers (requests refused, pending ones that time out, retries stopped), per-try timeouts
 * (retried or not), a ztunnel down.
 */
const STRESS = `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: stress }
cluster:
  nodePools: [{ name: p, instanceType: m5.xlarge, count: 3, zones: [a, b] }]
namespaces:
  - { name: shop, labels: { istio.io/dataplane-mode: ambient } }
waypoints: [{ name: wp, namespace: shop }]
services:
  - name: front
    namespace: shop
    replicas: 2
    serviceTime: { exponential: { mean: 1ms } }
    calls:
      - { to: slow, timeout: 10ms, perTryTimeout: 3ms, retries: 2, l7: true }
      - { to: gone, probability: 0.2, retries: 1 }
      - { to: tcp, protocol: tcp, connection: per-request, mode: parallel }
      - { to: grpc, protocol: grpc, connection: { type: long-lived, poolSize: 2, lifetime: 300ms }, mode: parallel }
  - name: slow
    namespace: shop
    labels: { istio.io/use-waypoint: wp, istio.io/ingress-use-waypoint: "true" }
    replicas: 2
    concurrency: 4
    serviceTime: { exponential: { mean: 4ms } }
    trafficPolicy:
      outlierDetection: { consecutive5xxErrors: 2, maxEjectionPercent: 50, interval: 500ms, baseEjectionTime: 1s }
      connectionPool:
        tcp: { maxConnections: 1 }
        http: { http1MaxPendingRequests: 1, http2MaxRequests: 2, maxRetries: 1, maxRequestsPerConnection: 2 }
  - { name: gone, namespace: shop, replicas: 0 }
  - { name: tcp, namespace: shop, serviceTime: 500us }
  - name: grpc
    namespace: shop
    replicas: 2
    serviceTime: 300us
    trafficPolicy: { connectionPool: { http: { maxRequestsPerConnection: 3 } }, retryBudget: {} }
traffic:
  - { name: web, to: front.shop, rate: 150/s, timeout: 12ms }
  - { name: direct, to: tcp.shop, rate: 50/s, protocol: tcp, connection: per-request, clientMode: same-as-target }
  - { name: edge, to: slow.shop, rate: 80/s, via: ingress, timeout: 15ms, perTryTimeout: 5ms, retries: 2, retryOn: [5xx, connect-failure] }
  - { name: edge-tcp, to: tcp.shop, rate: 30/s, via: ingress, protocol: tcp, connection: per-request }
events: [{ at: 1500ms, fault: ztunnel, selector: 1, recovery: 1s }]
compare: [none, sidecar, ambient, as-labelled]
simulation: { duration: 3s, warmup: 1s, replications: 2 }
`;

function stress(): Scenario {
  return parseScenario(STRESS, 'stress.yaml');
}

/** Every (name, scenario) the invariants run over. */
function scenarios(): Array<[string, Scenario]> {
  return [...BUNDLED.map((n) => [n, loadBundled(n, SHORT)] as [string, Scenario]), ['stress', stress()]];
}

describe('requests are conserved: offered = completed + failed + in flight, exactly', () => {
  for (const [name, s] of scenarios()) {
    it(name, () => {
      for (const arch of s.compare)
        for (let r = 0; r < s.simulation.replications; r++) {
          const m = runReplication(s, arch, r);
          m.entries.forEach((e, i) => {
            const where = `${name} ${arch} rep ${r} entry ${i}`;
            expect(e.offered, where).toBeGreaterThan(0);
            expect(e.completed + e.failed + e.inFlight, where).toBe(e.offered);
            expect(e.timedOut, where).toBeLessThanOrEqual(e.failed);
          });
        }
    });
  }

  it('the stress scenario really fails requests (timeouts, missing endpoints); nobody retries a missing endpoint', () => {
    const s = stress();
    const r = simulateArchitecture(s, 'sidecar');
    const web = r.entryPoints[0]!;
    expect(web.failed.mean).toBeGreaterThan(0);
    expect(web.timedOut.mean).toBeGreaterThan(0);
    expect(
      r.edges.find((e) => e.name === 'shop/front -> shop/slow')!.circuitBreakerOverflows!.mean,
    ).toBeGreaterThan(0);
    const gone = r.edges.find((e) => e.name === 'shop/front -> shop/gone')!;
    expect(gone.failed.mean).toBeGreaterThan(0);
    // The caller's sidecar answers 503 itself (no healthy upstream): a local reply, which Envoy's router
    // never retries (router.cc sendNoHealthyUpstreamResponse), whatever the policy.
    expect(gone.retries.mean).toBe(0);
    const amb = simulateArchitecture(s, 'ambient');
    // ztunnel does not retry.
    expect(amb.edges.find((e) => e.name === 'shop/front -> shop/gone')!.retries.mean).toBe(0);
    // While a ztunnel is down, the waypoint retries what it refused, as far as maxRetries lets it.
    const slow = amb.edges.find((e) => e.name === 'shop/front -> shop/slow')!;
    expect(slow.retries.mean).toBeGreaterThan(0);
    expect(slow.retryOverflows!.mean).toBeGreaterThan(0);
  });
});

/** Runs a replication to the end and then drains every call still in flight (arrivals stop at duration). */
function drained(s: Scenario, arch: Architecture, seed = 'drain'): Replication {
  const w = buildWorld(s, place(s, arch));
  const e = new Replication(w, seed);
  e.run();
  e.cal.run();
  expect(e.calls.live).toBe(0);
  return e;
}

function withoutWarmup(s: Scenario): Scenario {
  const out = structuredClone(s);
  out.simulation.warmup = 0;
  out.simulation.duration = 2;
  return out;
}

describe('busy time equals CPU (warm-up 0, drained)', () => {
  // Proxies are FIFO multi-server queues run by the workload-vector recursion (replication/proxies.ts take()): each
  // request takes the worker free soonest for its CPU time, so a worker's busy time is the CPU it was
  // given. Checked here: every CPU second is counted once, in the per-proxy counters and in the time
  // series, and no worker can finish its work sooner than the CPU it was given. Applications are
  // ServerQueues: a leaf service's busy time is exactly its CPU; a caller's is more (it holds its worker
  // while its calls are out).
  for (const [name, base] of scenarios()) {
    if (name === 'three-tier') continue; // same code paths as quickstart, 4x the size
    it(name, () => {
      const s = withoutWarmup(base);
      for (const arch of s.compare) {
        const e = drained(s, arch);
        const now = e.cal.now;
        const w = e.w;
        // Per class: the counters and the time series hold the same CPU.
        w.classes.forEach((_, cls) => {
          let counted = 0;
          for (let p = 0; p < w.nProxies; p++) if (w.proxyClass[p] === cls) counted += e.proxies.cpuOf(p);
          const series = e.recorder.cpuBins[1 + cls]!.reduce((x, v) => x + v, 0);
          expect(Math.abs(series - counted), `${name} ${arch} class ${cls}`).toBeLessThanOrEqual(
            1e-9 * Math.max(counted, 1e-12),
          );
        });
        // Node processors: once drained, every proxy's workers are free and its container was served at
        // least the CPU its measured requests demanded (all of it, plus what came after the window).
        const usage = e.cpu.usageByContainer(now);
        for (let p = 0; p < w.nProxies; p++) {
          expect(e.proxies.queues.busy(p), `${name} ${arch} ${w.proxyName[p]}`).toBe(0);
          expect(usage.served[p]!).toBeGreaterThanOrEqual(e.proxies.cpuOf(p) * (1 - 1e-9));
          expect(usage.served[p]!).toBeLessThanOrEqual(usage.wanted[p]! * (1 + 1e-9));
        }
        const appSeries = e.recorder.cpuBins[0]!.reduce((x, v) => x + v, 0);
        const appCounted = e.apps.cpu.reduce((x, v) => x + v, 0);
        expect(Math.abs(appSeries - appCounted)).toBeLessThanOrEqual(1e-9 * appCounted);
        for (const svc of w.services)
          for (const pod of svc.pods) {
            const cpu = e.apps.cpu[pod]!;
            expect(e.apps.queues.busy(pod)).toBe(0);
            expect(e.apps.queues.waiting(pod)).toBe(0);
            expect(usage.served[w.nProxies + pod]!, `${name} ${arch} ${svc.key}`).toBeCloseTo(cpu, 9);
          }
      }
    });
  }
});

describe('results of the bundled scenarios', () => {
  const cache = new Map<string, Results>();
  const results = (name: string): Results => {
    let r = cache.get(name);
    if (!r) {
      r = simulate(loadBundled(name, SHORT));
      cache.set(name, r);
    }
    return r;
  };

  for (const name of BUNDLED) {
    it(`${name}: the scheduler never overcommits a node`, () => {
      for (const a of results(name).architectures) {
        for (const n of a.placement.perNode) {
          expect(n.requested.cpu, `${a.architecture} ${n.name}`).toBeLessThanOrEqual(
            n.allocatable.cpu + 1e-9,
          );
          expect(n.requested.memory, `${a.architecture} ${n.name}`).toBeLessThanOrEqual(n.allocatable.memory);
        }
        // and the per-component breakdown adds up to the node total
        for (const n of a.placement.perNode) {
          const parts = Object.values(n.requestedBy);
          expect(parts.reduce((x, c) => x + c.cpu, 0)).toBeCloseTo(n.requested.cpu, 9);
          expect(parts.reduce((x, c) => x + c.memory, 0)).toBeCloseTo(n.requested.memory, 0);
        }
      }
    });

    it(`${name}: ambient runs no sidecars, sidecar no ztunnels, none no mesh at all`, () => {
      for (const a of results(name).architectures) {
        const comps = new Set(a.components.map((c) => c.component));
        const proxies = new Set(a.busiestProxies.map((p) => p.component));
        if (a.architecture === 'none') {
          // An ingress gateway is an Envoy of its own, there with or without a mesh (bookinfo enters by it).
          expect([...comps].filter((c) => c !== 'gateway')).toEqual(['application']);
          expect(Object.keys(a.connections).filter((c) => c !== 'gateway')).toEqual([]);
          expect(a.controlPlane.proxies).toBe(0);
        }
        if (a.architecture === 'sidecar') {
          expect(comps.has('sidecar')).toBe(true);
          expect(comps.has('ztunnel')).toBe(false);
          expect(comps.has('waypoint')).toBe(false);
          expect(proxies.has('ztunnel')).toBe(false);
          expect(Object.keys(a.connections).filter((c) => c !== 'gateway')).toEqual(['sidecar']);
        }
        if (a.architecture === 'ambient') {
          expect(comps.has('sidecar')).toBe(false);
          expect(comps.has('ztunnel')).toBe(true);
          expect(proxies.has('sidecar')).toBe(false);
          expect(a.connections.sidecar).toBeUndefined();
          // One ztunnel per node.
          expect(a.components.find((c) => c.component === 'ztunnel')!.instances).toBe(a.placement.nodes);
        }
      }
    });

    it(`${name}: CPU used adds up, and entry points offered the same requests under every architecture`, () => {
      const archs = results(name).architectures;
      for (const a of archs) {
        const sum = a.components.reduce((x, c) => x + c.cpu.used.mean, 0);
        expect(a.totals.cpuUsed.mean).toBeCloseTo(sum, 9);
        for (const c of a.components) expect(c.cpu.used.mean).toBeGreaterThanOrEqual(0);
        // At these loads no proxy is saturated.
        for (const p of a.busiestProxies) {
          expect(p.utilisation, `${a.architecture} ${p.name}`).toBeGreaterThanOrEqual(0);
          expect(p.utilisation, `${a.architecture} ${p.name}`).toBeLessThan(1);
        }
      }
      // Arrivals come from one stream per entry point: identical in every architecture.
      for (const a of archs)
        a.entryPoints.forEach((e, i) => {
          expect(e.offered.mean).toBe(archs[0]!.entryPoints[i]!.offered.mean);
        });
    });
  }
});

describe('determinism', () => {
  const s = loadBundled('quickstart', { duration: 2, warmup: 0.5, replications: 2 });

  it('the same scenario and seed give byte-identical results', () => {
    const a = resultsJson(simulate(s));
    const b = resultsJson(simulate(structuredClone(s)));
    expect(a).toBe(b);
  });

  it('another seed gives other results (same shape)', () => {
    const a = simulate(s);
    const other = structuredClone(s);
    other.simulation.seed = 2;
    const b = simulate(other);
    expect(resultsJson(a)).not.toBe(resultsJson(b));
    expect(b.scenario.seed).toBe(2);
    expect(b.architectures.map((x) => x.architecture)).toEqual(a.architectures.map((x) => x.architecture));
    expect(a.architectures[0]!.entryPoints[0]!.offered.mean).not.toBe(
      b.architectures[0]!.entryPoints[0]!.offered.mean,
    );
  });

  it('an architecture simulated alone gives the same numbers as within a comparison', () => {
    const all = simulate(s);
    const alone = simulateArchitecture(s, 'ambient');
    expect(resultsJson(alone)).toBe(resultsJson(all.architectures.find((a) => a.architecture === 'ambient')));
  });
});

describe('common random numbers across architectures', () => {
  // What holds exactly: the service-time stream is per service, arrivals per entry point and call counts
  // per edge, so every service draws the same service times, in the same order, under every
  // architecture. Once every call has finished (drained), each service's total application CPU is the
  // same. Within the measured window it differs only by the requests crossing the window's edges
  // (a mesh makes requests start a little later), so the window's application CPU is close, not equal.
  for (const name of ['quickstart', 'three-tier', 'billing']) {
    it(`${name}: per-service application CPU identical once drained; close within the window`, () => {
      const s = withoutWarmup(loadBundled(name));
      const perService = (arch: Architecture) => {
        const e = drained(s, arch, 'crn');
        return e.w.services.map((svc) => Array.from(svc.pods).reduce((x, p) => x + e.apps.cpu[p]!, 0));
      };
      const base = perService('none');
      expect(base.every((c) => c > 0)).toBe(true);
      for (const arch of s.compare) {
        const got = perService(arch);
        got.forEach((c, i) => {
          expect(Math.abs(c - base[i]!), `${arch} service ${i}`).toBeLessThanOrEqual(1e-9 * base[i]!);
        });
      }
      const windowed = simulate(loadBundled(name, { duration: 3, warmup: 1, replications: 1 }));
      const app = (a: (typeof windowed.architectures)[number]) =>
        a.components.find((c) => c.component === 'application')!.cpu.used.mean;
      const none = app(windowed.architectures[0]!);
      for (const a of windowed.architectures) expect(Math.abs(app(a) - none) / none).toBeLessThan(0.02);
    });
  }
});

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
