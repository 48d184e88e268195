// fast-check generators of raw scenario files (plain objects, as a user would write them).
import fc from 'fast-check';

const DURATIONS = ['1ms', '2ms', '500us', '0.5ms', '1m30s', '250ns', 3, '2'];
const SIZES = ['512B', '1KiB', '1KB', '4MiB', 2048];
const distribution = fc.oneof(
  fc.constantFrom(...DURATIONS),
  fc.constant({ constant: '2ms' }),
  fc.constant({ uniform: { min: '1ms', max: '3ms' } }),
  fc.constant({ exponential: { mean: '2ms' } }),
  fc.constant({ normal: { mean: '2ms', sd: '500us' } }),
  fc.constant({ lognormal: { mean: '2ms', p99: '10ms' } }),
  fc.constant({ lognormal: { median: '2ms', p99: '10ms' } }),
  fc.constant({ lognormal: { mu: -6.2, sigma: 0.5 } }),
  fc.constant({ pareto: { alpha: 1.5, min: '1ms', max: '1s' } }),
  fc.constant({
    empirical: [
      [0, '1ms'],
      [50, '2ms'],
      [99, '8ms'],
      [100, '20ms'],
    ],
  }),
);
const connection = fc.oneof(
  fc.constantFrom('keepalive', 'per-request', 'long-lived'),
  fc.record({ type: fc.constant('keepalive'), poolSize: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    type: fc.constant('long-lived'),
    poolSize: fc.integer({ min: 1, max: 4 }),
    lifetime: distribution,
  }),
);
const wire = fc.record(
  {
    protocol: fc.constantFrom('http1', 'http2', 'grpc', 'tcp'),
    requestSize: fc.constantFrom(...SIZES),
    responseSize: fc.constantFrom(...SIZES),
    l7: fc.boolean(),
    connection,
    timeout: fc.constantFrom('15s', '2s', 1),
    retries: fc.integer({ min: 0, max: 5 }),
  },
  { requiredKeys: [] },
);

export interface Generated {
  raw: Record<string, unknown>;
  /** Service keys in file order and, per service, the keys its calls resolve to. */
  keys: string[];
  calls: string[][];
  rates: number[];
}

export const validScenario: fc.Arbitrary<Generated> = fc
  .record({
    pools: fc.array(
      fc.record({
        custom: fc.boolean(),
        type: fc.constantFrom('m5.large', 'm5.xlarge', 'e2-standard-4', 'Standard_D4s_v5'),
        count: fc.integer({ min: 1, max: 5 }),
        zones: fc.subarray(['a', 'b', 'c'], { minLength: 1 }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    namespaces: fc.array(
      fc.constantFrom({}, { 'istio-injection': 'enabled' }, { 'istio.io/dataplane-mode': 'ambient' }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    services: fc.array(
      fc.record({
        ns: fc.nat(),
        replicas: fc.integer({ min: 0, max: 5 }),
        serviceTime: distribution,
        callees: fc.array(
          fc.record({
            target: fc.nat(),
            wire,
            weight: fc.oneof(fc.constant(undefined), fc.double({ min: 0, max: 1, noNaN: true })),
          }),
          {
            maxLength: 3,
          },
        ),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    rates: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 2 }),
    duration: fc.integer({ min: 2, max: 100 }),
    compare: fc.subarray(['none', 'sidecar', 'ambient', 'as-labelled'], { minLength: 1 }),
  })
  .map((g) => {
    const nsNames = g.namespaces.map((_, i) => `ns${i}`);
    const svc = g.services.map((s, i) => ({
      name: `s${i}`,
      namespace: nsNames[s.ns % nsNames.length] as string,
    }));
    const calls: string[][] = [];
    const services = g.services.map((s, i) => {
      const me = svc[i] as { name: string; namespace: string };
      // Calls only go to later services, so the call graph has no cycle.
      const later = svc.slice(i + 1);
      const list =
        later.length === 0
          ? []
          : s.callees.map((c) => ({ c, to: later[c.target % later.length] as typeof me }));
      calls.push(list.map(({ to }) => `${to.namespace}/${to.name}`));
      return {
        name: me.name,
        namespace: me.namespace,
        replicas: s.replicas,
        serviceTime: s.serviceTime,
        calls: list.map(({ c, to }) => ({
          to: to.namespace === me.namespace ? to.name : `${to.name}.${to.namespace}`,
          ...(c.weight === undefined ? {} : { probability: c.weight }),
          ...c.wire,
        })),
      };
    });
    const raw = {
      apiVersion: 'meshsim/v1alpha1',
      kind: 'Scenario',
      metadata: { name: 'generated' },
      cluster: {
        nodePools: g.pools.map((p, i) => ({
          name: `pool${i}`,
          instanceType: p.custom ? 'custom' : p.type,
          ...(p.custom ? { vcpu: '3500m', memory: '12Gi' } : {}),
          count: p.count,
          zones: p.zones,
        })),
      },
      namespaces: g.namespaces.map((labels, i) => ({ name: nsNames[i], labels })),
      services,
      traffic: g.rates.map((r, i) => ({
        name: `entry${i}`,
        to: `s0.${svc[0]?.namespace}`,
        rate: `${r * 60}/min`,
      })),
      compare: g.compare,
      simulation: { duration: `${g.duration}s`, warmup: `${g.duration - 1}s` },
    };
    return { raw, keys: svc.map((s) => `${s.namespace}/${s.name}`), calls, rates: g.rates };
  });

type Path = Array<string | number>;

/** Every path in a value, with whether it leads to a container (map or list) or a leaf. */
export function paths(v: unknown, at: Path = []): Array<{ path: Path; kind: 'map' | 'list' | 'leaf' }> {
  if (Array.isArray(v)) return [{ path: at, kind: 'list' }, ...v.flatMap((x, i) => paths(x, [...at, i]))];
  if (typeof v === 'object' && v !== null) {
    return [{ path: at, kind: 'map' }, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))];
  }
  return [{ path: at, kind: 'leaf' }];
}

export function setIn(root: unknown, path: Path, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
}

export function getIn(root: unknown, path: Path): unknown {
  let node = root;
  for (const k of path) node = (node as Record<string | number, unknown>)[k];
  return node;
}
