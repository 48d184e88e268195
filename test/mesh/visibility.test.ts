// Which services an Envoy is given (scenario/visibility.ts): a Service's networking.istio.io/exportTo,
// meshConfig.defaultServiceExportTo and a Sidecar resource's egress hosts, checked by hand against
// istiod's rules (istio/istio 1.28.0 push_context.go initServiceRegistry, sidecar.go selectServices).
// Three namespaces: shop (web 2 pods, api 3), pay (billing 2, exported to its own namespace; ledger 4,
// exported to shop only) and ops (tools 1).
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { configSize, heldServices, sidecarChurnShare, sidecarView } from '../../src/mesh/index.ts';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { buildWorld } from '../../src/simulate/index.ts';

interface Opts {
  mesh?: string;
  webCalls?: string;
  toolsScope?: string;
  cluster?: string;
  billing?: string;
  traffic?: string;
}

const text = (o: Opts = {}) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: visibility }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4, zones: [a] }]${o.cluster ?? ''}
namespaces:
  - { name: shop, labels: { istio-injection: enabled } }
  - { name: pay, labels: { istio-injection: enabled } }
  - { name: ops, labels: { istio-injection: enabled } }
services:
  - { name: web, namespace: shop, replicas: 2, serviceTime: 1ms, calls: [${o.webCalls ?? '{ to: api.shop }, { to: ledger.pay }'}] }
  - { name: api, namespace: shop, replicas: 3, serviceTime: 1ms }
  - name: billing
    namespace: pay
    replicas: 2
    serviceTime: 1ms
    annotations: { networking.istio.io/exportTo: "${o.billing ?? '.'}" }
  - name: ledger
    namespace: pay
    replicas: 4
    serviceTime: 1ms
    annotations: { networking.istio.io/exportTo: shop }
  - name: tools
    namespace: ops
    replicas: 1
    serviceTime: 1ms
${o.toolsScope ? `    sidecarScope: ${o.toolsScope}\n` : ''}${o.traffic ?? 'traffic: [{ name: load, to: web.shop, rate: 50/s }]'}
${o.mesh ? `mesh: ${o.mesh}\n` : ''}compare: [sidecar]
simulation: { duration: 2s, warmup: 0s, replications: 1 }
`;

function rig(o: Opts = {}) {
  const s = parseScenario(text(o), 'visibility.yaml');
  const placement = place(s, 'sidecar');
  const size = (owner: string) => configSize(s, placement, 'sidecar', owner);
  return { s, placement, size };
}

const sorted = (v: ReadonlySet<string> | null) => (v ? [...v].sort() : null);

describe('exportTo: which services a namespace is given', () => {
  it('an unscoped sidecar holds the services exported to its namespace, and their endpoints', () => {
    const { s, size } = rig();
    // shop: web, api and tools are public, ledger is exported to shop, billing only to pay.
    expect(sorted(sidecarView(s, 'shop/web'))).toEqual(['ops/tools', 'pay/ledger', 'shop/api', 'shop/web']);
    expect(size('shop/web')).toMatchObject({ clusters: 4, endpoints: 2 + 3 + 4 + 1 });
    // pay: billing is its own; ledger is exported to shop alone, so not to the namespace it lives in.
    expect(sorted(sidecarView(s, 'pay/billing'))).toEqual([
      'ops/tools',
      'pay/billing',
      'shop/api',
      'shop/web',
    ]);
    expect(size('pay/ledger')).toMatchObject({ clusters: 4, endpoints: 2 + 3 + 2 + 1 });
    expect(size('ops/tools')).toMatchObject({ clusters: 3, endpoints: 2 + 3 + 1 });
    // The ingress gateway (istio-ingress) is given the public services only.
    expect(sorted(heldServices(s, 'gateway', 'istio-ingress/istio-ingressgateway'))).toEqual([
      'ops/tools',
      'shop/api',
      'shop/web',
    ]);
    // A sidecar depends on the services it sees: it gets that share of the mesh's churn.
    expect(sidecarChurnShare(s, 'shop/web')).toBeCloseTo(4 / 5, 12);
  });

  it('`*` exports everywhere, `~` nowhere (its own namespace included), named namespaces there', () => {
    const pub = rig({ billing: '*' });
    expect(pub.size('shop/web')).toMatchObject({ clusters: 5, endpoints: 12 });
    expect(sidecarView(pub.s, 'ops/tools')).toBeInstanceOf(Set);
    const none = rig({ billing: '~' });
    expect(none.size('pay/ledger')).toMatchObject({ clusters: 3, endpoints: 6 });
    expect(sorted(sidecarView(none.s, 'pay/billing'))).toEqual(['ops/tools', 'shop/api', 'shop/web']);
    // Named namespaces: exported to ops and its own (shop is not named).
    const named = rig({ billing: 'ops, pay' });
    expect(sidecarView(named.s, 'ops/tools')?.has('pay/billing')).toBe(true);
    expect(sidecarView(named.s, 'pay/ledger')?.has('pay/billing')).toBe(true);
    expect(sidecarView(named.s, 'shop/api')?.has('pay/billing')).toBe(false);
  });

  it('mesh.defaultServiceExportTo decides for services without the annotation, `.` before `*`', () => {
    for (const d of ['[.]', '[., "*"]']) {
      const { s, size } = rig({ mesh: `{ defaultServiceExportTo: ${d} }` });
      // shop keeps its own two and ledger (exported to shop by its annotation); tools only itself.
      expect(sorted(sidecarView(s, 'shop/web'))).toEqual(['pay/ledger', 'shop/api', 'shop/web']);
      expect(size('ops/tools')).toMatchObject({ clusters: 1, endpoints: 1 });
      expect(s.mesh.defaultServiceExportTo).toBeDefined();
    }
    // `*` alone is Istio's default: nothing to keep, the scenario hashes as without it.
    const { s } = rig({ mesh: '{ defaultServiceExportTo: ["*"] }' });
    expect(s.mesh.defaultServiceExportTo).toBeUndefined();
    // Naming only other namespaces exports such a service nowhere (initServiceRegistry indexes it in
    // neither the public nor the private list).
    const other = rig({ mesh: '{ defaultServiceExportTo: [ops] }', webCalls: '{ to: ledger.pay }' });
    expect(sorted(sidecarView(other.s, 'ops/tools'))).toEqual([]);
  });
});

describe('a Sidecar resource: sidecarScope as egress hosts', () => {
  it('imports what its hosts match among the services exported to its namespace', () => {
    // ./* is ops; shop/<fqdn> names api exactly; pay/* would take billing and ledger, exported elsewhere.
    const { s, size } = rig({ toolsScope: '["./*", "shop/api.shop.svc.cluster.local", "pay/*"]' });
    expect(sorted(sidecarView(s, 'ops/tools'))).toEqual(['ops/tools', 'shop/api']);
    expect(size('ops/tools')).toMatchObject({ clusters: 2, endpoints: 1 + 3 });
    // A wildcard host of any namespace, by suffix; a short name matches no service (Istio matches FQDNs).
    const wild = rig({ toolsScope: '["*/*.shop.svc.cluster.local", "ops/tools"]' });
    expect(sorted(sidecarView(wild.s, 'ops/tools'))).toEqual(['shop/api', 'shop/web']);
    // ~/* imports nothing, not even its own service.
    const none = rig({ toolsScope: '["~/*"]' });
    expect(sorted(sidecarView(none.s, 'ops/tools'))).toEqual([]);
  });

  it('matches the cluster domain the scenario gives', () => {
    const hosts = '["shop/api.shop.svc.corp.example"]';
    expect(sidecarView(rig({ toolsScope: hosts }).s, 'ops/tools')?.has('shop/api')).toBe(false);
    const corp = rig({ toolsScope: hosts, cluster: '\n  domain: corp.example' });
    expect(sidecarView(corp.s, 'ops/tools')?.has('shop/api')).toBe(true);
  });

  it('mesh.sidecar.scope as egress hosts applies to every sidecar, `.` being each one its own namespace', () => {
    const { s, size } = rig({
      mesh: '{ sidecar: { scope: ["./*", "ops/*"] } }',
      webCalls: '{ to: api.shop }, { to: tools.ops }',
    });
    expect(sorted(sidecarView(s, 'shop/web'))).toEqual(['ops/tools', 'shop/api', 'shop/web']);
    // ledger's own namespace does not see it (exported to shop alone).
    expect(sorted(sidecarView(s, 'pay/ledger'))).toEqual(['ops/tools', 'pay/billing']);
    expect(size('pay/ledger')).toMatchObject({ clusters: 2, endpoints: 1 + 2 });
  });

  it('a sidecar holds less memory by what it is no longer given (the calibrated per-cluster and per-endpoint costs)', () => {
    const wide = rig({ billing: '*' });
    const narrow = rig();
    const ww = buildWorld(wide.s, wide.placement);
    const nw = buildWorld(narrow.s, narrow.placement);
    const cost = nw.classes.find((c) => c.name === 'sidecar')!.cost;
    const web = (w: typeof nw) => w.placement.byOwner.get('shop/web')![0]!;
    const mem = (w: typeof nw) => w.proxyConfigMemory[w.podProxy[web(w)]!]!;
    // billing (one cluster, two endpoints) is gone from web's sidecar.
    expect(mem(ww) - mem(nw)).toBeCloseTo(cost.memoryPerCluster + 2 * cost.memoryPerEndpoint, 3);
  });
});

describe('a call its caller is not given', () => {
  const error = (o: Opts): string => {
    try {
      parseScenario(text(o), 'visibility.yaml');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as Error).message;
    }
    throw new Error('parsed');
  };

  it('from a sidecar is simulated (passthrough.ts); an ingress target its gateway is not given is an error', () => {
    expect(() => parseScenario(text({ webCalls: '{ to: billing.pay }' }), 'visibility.yaml')).not.toThrow();
    const m = error({ traffic: 'traffic: [{ name: load, to: billing.pay, rate: 50/s, via: ingress }]' });
    expect(m).toContain('visibility.yaml:');
    expect(m).toContain('traffic[0].to');
    expect(m).toContain(
      'the ingress gateway (namespace istio-ingress) is not given pay/billing: its networking.istio.io/exportTo (.) does not export it to istio-ingress',
    );
  });

  it('bad values are positioned errors', () => {
    expect(error({ billing: 'pay, Team A' })).toContain(
      'services[2].annotations["networking.istio.io/exportTo"]: found "pay, Team A", expected comma-separated entries, each *, ., ~ or a namespace name',
    );
    expect(error({ toolsScope: '[shop]' })).toContain('an egress host namespace/dnsName');
    expect(error({ toolsScope: 'callers' })).toContain('one of: mesh, callees');
    expect(error({ cluster: '\n  domain: Corp_Local' })).toContain('a DNS domain');
  });
});
