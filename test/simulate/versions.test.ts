// Several versions behind one Service (replication/mixes.ts): an Envoy on the path (the caller's sidecar,
// or the callee's waypoint) honours the VirtualService weights; kube-proxy and ztunnel pick an endpoint
// of the Service, so traffic splits by replicas and the split is reported unhonoured.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { resultsJson } from '../../src/report/index.ts';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { replicationPool, simulate, simulateArchitecture, simulateWith } from '../../src/simulate/index.ts';
import { loadBundled } from '../helpers/bundled.ts';

type Arch = 'none' | 'sidecar' | 'ambient';
const LABELS = {
  none: '{}',
  sidecar: '{ istio-injection: enabled }',
  ambient: '{ istio.io/dataplane-mode: ambient }',
};

/** web -> front -> reviews (v1 x1 weight 90, v2 x3 weight 10; v2 has its own service time and calls). */
function text(arch: Arch, o: { waypoint?: boolean; weights?: boolean } = {}): string {
  const w = o.weights ?? true;
  return `apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: versions }
cluster:
  nodePools:
    - { name: pool, instanceType: custom, vcpu: 16, memory: 64Gi, count: 2, zones: [zone-a], systemReserved: { cpu: 0, memory: 0 } }
namespaces:
  - { name: app, labels: ${LABELS[arch]} }
${o.waypoint ? 'waypoints: [{ name: wp, namespace: app }]\n' : ''}services:
  - name: front
    namespace: app
    serviceTime: { constant: 1ms }
    calls: [{ to: reviews, connection: per-request }]
  - name: reviews
    namespace: app
${o.waypoint ? '    labels: { istio.io/use-waypoint: wp }\n' : ''}    serviceTime: { constant: 2ms }
    versions:
      - { name: v1, replicas: 1${w ? ', weight: 90' : ''} }
      - name: v2
        replicas: 3
${w ? '        weight: 10\n' : ''}        resources: { requests: { cpu: 300m } }
        serviceTime: { constant: 5ms }
        calls: [{ to: ratings }]
  - { name: ratings, namespace: app, serviceTime: { constant: 1ms } }
traffic:
  - { name: web, to: front.app, rate: 400/s, arrival: poisson, clientMode: none }
compare: [${arch}]
simulation: { duration: 6s, warmup: 1s, seed: 3, replications: 1 }
`;
}

const load = (t: string) => parseScenario(t, 'versions.yaml');

/** |share - p| within 4 binomial standard deviations of n draws. */
function expectShare(got: number, n: number, p: number): void {
  expect(n).toBeGreaterThan(1000);
  expect(Math.abs(got / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
}

function served(arch: Arch, o: { waypoint?: boolean; weights?: boolean } = {}) {
  const r = simulateArchitecture(load(text(arch, o)), arch);
  const m = r.mixes!;
  const by = (v: string) => m.versions.find((x) => x.version === v)!.served.mean;
  const unhonoured = m.splitUnhonoured.find((x) => x.service === 'app/reviews')?.calls.mean ?? 0;
  return { r, v1: by('v1'), v2: by('v2'), unhonoured };
}

describe('versions behind one Service', () => {
  it('are real pods: placed with their own resources, numbered across versions', () => {
    const s = load(text('none'));
    expect(s.services[1]!.replicas).toBe(4);
    const pods = place(s, 'none').pods.filter((p) => p.owner === 'app/reviews');
    expect(pods.map((p) => p.name)).toEqual([
      'app/reviews-v1-0',
      'app/reviews-v2-1',
      'app/reviews-v2-2',
      'app/reviews-v2-3',
    ]);
    // v2 overrides the CPU request and keeps the service's memory; v1 keeps both.
    const cpu = pods.map((p) => p.requests.application!.cpu);
    expect(cpu.slice(1)).toEqual([0.3, 0.3, 0.3]);
    expect(cpu[0]).toBe(s.services[1]!.resources.requests.cpu);
    expect(pods[1]!.requests.application!.memory).toBe(s.services[1]!.resources.requests.memory);
    expect(pods.every((p) => p.node >= 0)).toBe(true);
  });

  for (const [arch, waypoint] of [
    ['sidecar', false],
    ['ambient', true],
  ] as const) {
    it(`${arch}${waypoint ? ' with a waypoint' : ''}: an Envoy routes, so 90/10 by weight`, () => {
      const { r, v1, v2, unhonoured } = served(arch, { waypoint });
      expectShare(v1, v1 + v2, 0.9);
      expect(unhonoured).toBe(0);
      expect(r.warnings.some((x) => x.includes('weighted split'))).toBe(false);
      // Only v2 calls ratings: its rate is v2's share of the calls.
      const ratings = r.edges.find((e) => e.name === 'app/reviews (v2) -> app/ratings')!;
      expect(ratings.rate.mean * 5).toBeCloseTo(v2, -1);
    });
  }

  for (const arch of ['none', 'ambient'] as const) {
    it(`${arch} without an L7 proxy: split by replicas (1:3), reported unhonoured`, () => {
      const { r, v1, v2, unhonoured } = served(arch);
      expectShare(v1, v1 + v2, 0.25);
      // Every call to reviews was one the weights should have routed (counted when its attempt starts,
      // served when it reaches a pod: the few still on the way at the end are the difference).
      expect(unhonoured).toBeGreaterThanOrEqual(v1 + v2);
      expect(unhonoured).toBeLessThan(v1 + v2 + 10);
      expect(r.warnings.some((x) => x.startsWith('app/reviews: weighted split'))).toBe(true);
    });
  }

  it('without weights nothing is unhonoured: the Service splits by endpoints', () => {
    const plain = served('none', { weights: false });
    expectShare(plain.v1, plain.v1 + plain.v2, 0.25);
    expect(plain.r.mixes!.splitUnhonoured).toEqual([]);
    // A sidecar balances over all four endpoints by least request: the faster v1 pod gets more than a
    // quarter, and there is no split to honour.
    const sidecar = served('sidecar', { weights: false });
    expect(sidecar.r.mixes!.splitUnhonoured).toEqual([]);
    expect(sidecar.v1 / (sidecar.v1 + sidecar.v2)).toBeGreaterThan(0.25);
  });

  it('v2 serves with its own service time (5 ms), v1 with the service default (2 ms)', () => {
    const { r } = served('none');
    const reviews = r.edges.find((e) => e.name === 'app/front -> app/reviews')!;
    // 1:3 by replicas: mean on-CPU 0.25 x 2 ms + 0.75 x (5 ms + a 1 ms ratings call), plus network.
    expect(reviews.latency.mean.mean).toBeGreaterThan(0.25 * 0.002 + 0.75 * 0.006);
    expect(reviews.latency.mean.mean).toBeLessThan(0.25 * 0.002 + 0.75 * 0.006 + 0.002);
  });

  it('rejects weights on some versions only, and replicas beside versions, with positions', () => {
    const some = text('none').replace(', weight: 90', '');
    expect(() => load(some)).toThrow(ScenarioError);
    try {
      load(some);
    } catch (e) {
      const msg = String((e as Error).message);
      expect(msg).toMatch(/versions\.0\.weight|versions\[0\]\.weight/);
      expect(msg).toMatch(/a weight on every version, or on none/);
    }
    const both = text('none').replace(
      '    serviceTime: { constant: 2ms }\n',
      '    replicas: 2\n    serviceTime: { constant: 2ms }\n',
    );
    expect(() => load(both)).toThrow(/no replicas with versions/);
  });
});

describe('bundled bookinfo', () => {
  const s = loadBundled('bookinfo', { duration: 11, warmup: 1, replications: 1 });
  for (const arch of ['sidecar', 'ambient'] as const) {
    it(`${arch}: reviews split 50/30/20 (productpage's sidecar, or the reviews waypoint)`, () => {
      const m = simulateArchitecture(s, arch).mixes!;
      const n = m.versions.map((v) => v.served.mean);
      const total = n.reduce((a, x) => a + x, 0);
      expectShare(n[0]!, total, 0.5);
      expectShare(n[1]!, total, 0.3);
      expectShare(n[2]!, total, 0.2);
      expect(m.splitUnhonoured[0]!.calls.mean).toBe(0);
    });
  }
  it('none: the split is not honoured, and the results say so', () => {
    const r = simulateArchitecture(s, 'none');
    expect(r.mixes!.splitUnhonoured[0]!.calls.mean).toBeGreaterThan(0);
    expect(r.warnings.some((x) => x.startsWith('bookinfo/reviews: weighted split'))).toBe(true);
  });
});

describe('versions in disruptions', () => {
  it("a sidecar data-plane upgrade restarts every version's pods with the service's", () => {
    const t = text('sidecar')
      .replace('compare: [sidecar]', 'events: [{ at: 2s, upgrade: dataplane }]\ncompare: [sidecar]')
      .replace('duration: 6s', 'duration: 60s');
    const r = simulateArchitecture(load(t), 'sidecar');
    const ev = r.disruption.events[0]!;
    expect(ev.completed).toBe(true);
    // front 1 + reviews 4 (v1 x1, v2 x3) + ratings 1 injected pods.
    expect(ev.podsRestarted).toBe(6);
    expect(Object.keys(ev.lowestReadyCapacity)).toContain('app/reviews');
  });
});

describe('determinism with versions and routes', () => {
  it('bookinfo gives the same bytes with 1 and 2 workers', async () => {
    const s = loadBundled('bookinfo', { duration: 3, warmup: 1, replications: 3 });
    const inline = resultsJson(simulate(s));
    const pool = replicationPool(2);
    try {
      expect(resultsJson(await simulateWith(s, pool))).toBe(inline);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
