// Import of versions behind one Service (a VirtualService over DestinationRule subsets) and of load
// generators' closed loops (fortio, oha, wrk2 arguments).
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

const svc = (name: string, selector: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  selector: ${selector}\n  ports: [{ port: 80, name: http }]\n`;
function dep(name: string, labels: string, o: { image?: string; args?: string[]; cpu?: string } = {}) {
  const res = o.cpu ? `, resources: { requests: { cpu: ${o.cpu}, memory: 64Mi } }` : '';
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  replicas: 2\n  selector: { matchLabels: ${labels} }\n` +
    `  template:\n    metadata: { labels: ${labels} }\n    spec:\n      containers: [{ name: c, image: ${o.image ?? 'x'}, args: ${JSON.stringify(o.args ?? [])}${res} }]\n`
  );
}
const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: api, namespace: shop }
spec:
  hosts: [api]
  http:
    - route:
        - { destination: { host: api, subset: stable }, weight: 90 }
        - { destination: { host: api, subset: canary }, weight: 10 }
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api
  subsets:
    - { name: stable, labels: { version: v1 } }
    - { name: canary, labels: { version: v2 } }
`;

function load(parts: string[]) {
  const { manifests } = parseManifests(parts.join('---\n'), 'shop.yaml');
  const r = importScenario(manifests, { sources: ['shop.yaml'] });
  return { r, s: parseScenario(r.text, 'shop.yaml') };
}

describe('import of versions', () => {
  it('Deployments told apart by `version` become versions, weighted by a VirtualService over subsets', () => {
    const { r, s } = load([
      svc('api', '{ app: api }'),
      dep('api-v1', '{ app: api, version: v1 }', { cpu: '250m' }),
      dep('api-v2', '{ app: api, version: v2 }', { cpu: '500m' }),
      VS,
    ]);
    const api = s.services.find((x) => x.name === 'api')!;
    expect(api.versions!.map((v) => [v.name, v.replicas, v.weight, v.resources.requests.cpu])).toEqual([
      ['v1', 2, 90, 0.25],
      ['v2', 2, 10, 0.5],
    ]);
    expect(r.text).not.toContain('read, not representable: VirtualService');
  });

  it("a subset's own trafficPolicy becomes its version's; tls and per-connection settings are named, not kept", () => {
    const vs = VS.replace(
      '    - { name: canary, labels: { version: v2 } }',
      '    - name: canary\n      labels: { version: v2 }\n      trafficPolicy:\n        outlierDetection: { maxEjectionPercent: 100 }\n        connectionPool: { http: { http2MaxRequests: 5, idleTimeout: 30s } }\n        tls: { mode: DISABLE }',
    );
    const { r, s } = load([
      svc('api', '{ app: api }'),
      dep('api-v1', '{ app: api, version: v1 }'),
      dep('api-v2', '{ app: api, version: v2 }'),
      vs,
    ]);
    const [v1, v2] = s.services.find((x) => x.name === 'api')!.versions!;
    expect(v1!.trafficPolicy).toBeUndefined();
    expect(v2!.trafficPolicy?.outlierDetection?.maxEjectionPercent).toBe(100);
    expect(v2!.trafficPolicy?.maxRequests).toBe(5);
    expect(v2!.trafficPolicy?.idleTimeout).toBeUndefined();
    expect(r.text).toContain('subset canary of DestinationRule shop/api');
    expect(r.text).toMatch(
      /trafficPolicy tls \(meshsim applies it per service\), connectionPool http\.idleTimeout/,
    );
  });

  it('without a `version` label on each, the workloads stay one pool', () => {
    const { s } = load([
      svc('api', '{ app: api }'),
      dep('api-a', '{ app: api, v: a }'),
      dep('api-b', '{ app: api, v: b }'),
    ]);
    const api = s.services.find((x) => x.name === 'api')!;
    expect([api.replicas, api.versions]).toEqual([4, undefined]);
  });
});

describe('import of load generators', () => {
  const target = [svc('api', '{ app: api }'), dep('api', '{ app: api }')];
  const cases: Array<[string, string, string[], object]> = [
    ['fortio defaults', 'fortio/fortio:1.69.0', ['load', 'http://api.shop/'], { connections: 4, rateCap: 8 }],
    ['fortio -qps 0', 'fortio/fortio', ['load', '-c', '16', '-qps', '0', 'http://api/'], { connections: 16 }],
    [
      'oha',
      'ghcr.io/hatoo/oha:1.4',
      ['-c', '20', '-q', '300', '-z', '60s', 'http://api.shop:80/x'],
      { connections: 20, rateCap: 300 },
    ],
    [
      'wrk2',
      'cylab/wrk2',
      ['-t2', '-c', '64', '-R', '1000', 'http://api/'],
      { connections: 64, rateCap: 1000 },
    ],
  ];
  for (const [what, image, args, loop] of cases)
    it(`${what}: a closed loop of the manifest's connections and rate cap, from a pod of its resources`, () => {
      const { s } = load([...target, dep('gen', '{ app: gen }', { image, args, cpu: '1' })]);
      expect(s.services.map((x) => x.name)).toEqual(['api']);
      const t = s.traffic[0]!;
      expect([t.name, t.to, t.clients]).toEqual(['gen', 'shop/api', 2]);
      expect(t.closedLoop).toEqual(loop);
      expect(t.clientPod?.resources?.requests.cpu).toBe(1);
    });

  it('oha --disable-keepalive opens a connection per request', () => {
    const args = ['-c', '8', '--disable-keepalive', 'http://api/'];
    const { s } = load([...target, dep('gen', '{ app: gen }', { image: 'oha', args })]);
    expect(s.traffic[0]!.connection.type).toBe('per-request');
  });

  it('a generator runs in its own namespace, meshed as it is labelled, unless its pod opts out', () => {
    const ns =
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop, labels: { istio-injection: enabled } }\n';
    const gen = (podMeta: string) =>
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: gen, namespace: shop }\nspec:\n  selector: { matchLabels: { app: gen } }\n' +
      `  template:\n    metadata: { labels: { app: gen }${podMeta} }\n    spec:\n      containers: [{ name: c, image: fortio/fortio, args: [load, "http://api/"] }]\n`;
    const meshed = load([ns, ...target, gen('')]).s.traffic[0]!;
    expect(meshed.clientPod?.namespace).toBe('shop');
    // an injected namespace: the load generator gets a sidecar where the mesh is sidecar
    expect(meshed.clientMode).toBe('sidecar');
    const out = load([ns, ...target, gen(', annotations: { sidecar.istio.io/inject: "false" }')]);
    expect(out.s.traffic[0]!.clientMode).toBe('none');
    expect(out.r.text).toMatch(/clientMode: none # its pod has sidecar.istio.io\/inject=false: not meshed/);
  });

  it('a generator whose URL reaches no service stays a workload, and the entry point is assumed', () => {
    const args = ['load', 'http://example.com/'];
    const { s } = load([...target, dep('gen', '{ app: gen }', { image: 'fortio/fortio', args })]);
    expect(s.services.map((x) => x.name).sort()).toEqual(['api', 'gen']);
    expect(s.traffic[0]!.closedLoop).toBeUndefined();
  });
});
