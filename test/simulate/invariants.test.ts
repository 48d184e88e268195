// Properties every run must have, whatever the numbers: requests conserved, busy time = CPU, no node
// overcommitted, determinism, common random numbers, and what each architecture deploys and pays for.
import { describe, expect, it } from 'vitest';
import { resultsJson } from '../../src/report/index.ts';
import { type Architecture, parseScenario, type Scenario } from '../../src/scenario/index.ts';
import { type Results, runReplication, simulate, simulateArchitecture } from '../../src/simulate/index.ts';
import { BUNDLED, loadBundled } from '../helpers/bundled.ts';
import { drained } from '../helpers/drained.ts';

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
