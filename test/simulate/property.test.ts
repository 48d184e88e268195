// Random small but valid scenarios: simulate never throws, and requests are conserved in every
// architecture. The scenarios are written as JSON text (a YAML subset) and go through the real loader.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { runReplication, simulate } from '../../src/simulate/index.ts';

const PROTOCOLS = ['http1', 'http2', 'grpc', 'tcp'] as const;
const CONNECTIONS = [
  'keepalive',
  'per-request',
  'long-lived',
  { type: 'keepalive', poolSize: 2 },
  { type: 'long-lived', poolSize: 1, lifetime: '200ms' },
] as const;
const LABELS = [{}, { 'istio-injection': 'enabled' }, { 'istio.io/dataplane-mode': 'ambient' }] as const;

const call = (to: string) =>
  fc.record(
    {
      to: fc.constant(to),
      count: fc.constantFrom(0, 0.5, 1, 2),
      mode: fc.constantFrom('sequential', 'parallel'),
      protocol: fc.constantFrom(...PROTOCOLS),
      connection: fc.constantFrom(...CONNECTIONS),
      l7: fc.boolean(),
      timeout: fc.constantFrom('0s', '5ms', '50ms'),
      retries: fc.integer({ min: 0, max: 2 }),
      responseSize: fc.constantFrom('100B', '1KiB', '16KiB'),
    },
    { requiredKeys: ['to'] },
  );

/** n services s0..s(n-1) in namespaces a/b; s_i may call any s_j with j > i (so the graph is a DAG). */
const scenarioArb = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc
    .record({
      labels: fc.tuple(fc.constantFrom(...LABELS), fc.constantFrom(...LABELS)),
      waypoint: fc.boolean(),
      services: fc.tuple(
        ...Array.from({ length: n }, (_, i) =>
          fc.record({
            ns: fc.constantFrom('a', 'b'),
            replicas: i === 0 ? fc.integer({ min: 1, max: 2 }) : fc.integer({ min: 0, max: 2 }),
            concurrency: fc.integer({ min: 1, max: 8 }),
            serviceTime: fc.constantFrom(
              '1ms',
              { exponential: { mean: '2ms' } },
              { uniform: { min: '0s', max: '3ms' } },
            ),
            useWaypoint: fc.boolean(),
            sidecarPods: fc.integer({ min: 0, max: 1 }),
            callees: fc.subarray(Array.from({ length: n - i - 1 }, (_, k) => i + 1 + k)),
          }),
        ),
      ),
      rate: fc.integer({ min: 20, max: 300 }),
      arrival: fc.constantFrom('poisson', 'constant'),
      clientMode: fc.constantFrom('none', 'sidecar', 'ambient', 'same-as-target'),
      clients: fc.integer({ min: 1, max: 2 }),
      nodes: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer({ min: 0, max: 1000 }),
    })
    .chain((base) =>
      fc
        .tuple(
          ...base.services.map((svc) =>
            fc.tuple(...svc.callees.map((j) => call(`s${j}.${base.services[j]!.ns}`))),
          ),
        )
        .map((calls) => ({ ...base, calls: calls as unknown as Array<Array<Record<string, unknown>>> })),
    ),
);

type Generated = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function toText(g: Generated): string {
  const doc = {
    apiVersion: 'meshsim/v1alpha1',
    kind: 'Scenario',
    metadata: { name: 'random' },
    cluster: { nodePools: [{ name: 'p', instanceType: 'm5.xlarge', count: g.nodes, zones: ['z1', 'z2'] }] },
    namespaces: [
      { name: 'a', labels: g.labels[0] },
      { name: 'b', labels: g.labels[1] },
    ],
    waypoints: g.waypoint ? [{ name: 'wp', namespace: 'a' }] : [],
    services: g.services.map((svc, i) => ({
      name: `s${i}`,
      namespace: svc.ns,
      replicas: svc.replicas,
      resources: { requests: { cpu: '10m', memory: '16Mi' } },
      concurrency: svc.concurrency,
      serviceTime: svc.serviceTime,
      sidecarPods: Math.min(svc.sidecarPods, svc.replicas),
      ...(g.waypoint && svc.ns === 'a' && svc.useWaypoint
        ? { labels: { 'istio.io/use-waypoint': 'wp' } }
        : {}),
      calls: g.calls[i] ?? [],
    })),
    traffic: [
      {
        name: 'web',
        to: `s0.${g.services[0]!.ns}`,
        rate: `${g.rate}/s`,
        arrival: g.arrival,
        clientMode: g.clientMode,
        clients: g.clients,
        timeout: '100ms',
      },
    ],
    compare: ['none', 'sidecar', 'ambient', 'as-labelled'],
    simulation: { duration: '1500ms', warmup: '500ms', seed: g.seed, replications: 1 },
  };
  return JSON.stringify(doc, null, 1);
}

describe('random valid scenarios', () => {
  it('load, simulate without throwing and conserve requests in every architecture', () => {
    fc.assert(
      fc.property(scenarioArb, (g) => {
        const s = parseScenario(toText(g), 'random.json');
        const results = simulate(s);
        expect(results.architectures.length).toBe(4);
        for (const arch of s.compare) {
          const m = runReplication(s, arch, 0);
          for (const e of m.entries) expect(e.completed + e.failed + e.inFlight).toBe(e.offered);
        }
        for (const a of results.architectures)
          for (const e of a.entryPoints) {
            // No completions: no latency at all (issue 18), never a made-up 0.
            expect(Number.isFinite(e.latency.mean.mean)).toBe(e.completed.mean > 0);
            expect(e.failed.lo).toBeGreaterThanOrEqual(0);
            expect(e.completed.mean + e.failed.mean + e.inFlight.mean).toBeCloseTo(e.offered.mean, 9);
          }
      }),
      { numRuns: 40, seed: 20240601 },
    );
  });
});
