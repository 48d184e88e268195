// internalTrafficPolicy: Local (replication/locality.ts): a call goes only to a ready pod on the node of
// whoever balances it, with no fallback. Four nodes, a web pod on each, api pods on two of them: under
// kube-proxy, sidecars and ztunnel the caller balances, so the web pods beside an api pod reach it and
// the other two fail every call; behind a waypoint, the waypoint's node decides for every caller.
import { describe, expect, it } from 'vitest';
import { place } from '../../src/cluster/index.ts';
import { type Architecture, parseScenario } from '../../src/scenario/index.ts';
import { buildWorld, Replication } from '../../src/simulate/index.ts';

const text = (apiReplicas: number, waypoint: boolean, wire = '') => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: node-local }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 4, zones: [a] }]
namespaces:
  - name: default
    labels: { istio.io/dataplane-mode: ambient${waypoint ? ', istio.io/use-waypoint: wp' : ''} }
${waypoint ? 'waypoints: [{ name: wp, namespace: default, replicas: 1 }]\n' : ''}services:
  - name: web
    replicas: 4
    serviceTime: 1ms
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule }]
    calls: [{ to: api${wire} }]
  - name: api
    replicas: ${apiReplicas}
    serviceTime: 1ms
    internalTrafficPolicy: Local
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule }]
traffic: [{ name: load, to: web, rate: 400/s }]
compare: [none, sidecar, ambient]
simulation: { duration: 5s, warmup: 0s, replications: 1 }
`;

function rig(arch: Architecture, apiReplicas: number, waypoint = false, wire = '') {
  const s = parseScenario(text(apiReplicas, waypoint, wire), 'node-local.yaml');
  const w = buildWorld(s, place(s, arch));
  const e = new Replication(w, 'node-local');
  const node = (p: number) => w.placement.pods[p]!.node;
  const pods = (owner: string) => [...(w.placement.byOwner.get(`default/${owner}`) ?? [])];
  const edge = w.edges.findIndex((x) => x.from >= 0);
  return { e, w, node, pods, edge };
}

describe('internalTrafficPolicy: Local', () => {
  for (const arch of ['none', 'sidecar', 'ambient'] as const) {
    it(`${arch}: a web pod reaches only the api pod on its node, and fails every call where there is none`, () => {
      const { e, node, pods, edge } = rig(arch, 2);
      const web = pods('web');
      const api = pods('api');
      expect(new Set(web.map(node)).size).toBe(4);
      expect(new Set(api.map(node)).size).toBe(2);
      e.run();
      const rec = e.recorder;
      // Each web request makes one api call of the same CPU as its own (1 ms each): every api pod's CPU
      // is exactly that of the web pod on its node, and the web pods elsewhere failed all of theirs.
      const cpu = (p: number) => e.apps.used[p]!;
      const beside = (p: number) => web.find((x) => node(x) === node(p))!;
      for (const p of api) expect(Math.abs(cpu(p) - cpu(beside(p)))).toBeLessThan(0.005);
      const apiNodes = new Set(api.map(node));
      const elsewhere = web.filter((p) => !apiNodes.has(node(p))).reduce((a, p) => a + cpu(p), 0);
      const all = web.reduce((a, p) => a + cpu(p), 0);
      const calls = rec.edgeCalls[edge]!;
      expect(calls).toBeGreaterThan(1500);
      expect(elsewhere / all).toBeGreaterThan(0.01);
      expect(rec.edgeFailed[edge]! / calls).toBeCloseTo(elsewhere / all, 2);
    });
  }

  // Behind a waypoint the waypoint's node chooses: per request over HTTP, per connection over TCP (its
  // TCP proxy picks from the endpoints on its node), for kept-alive, long-lived and per-request
  // connections alike; with none ready there, the waypoint answers 503 (or closes the connection), which
  // nobody retries, and a closed connection is opened again for the next call, which fails the same way.
  const wires = {
    http: '',
    'TCP keepalive': ', protocol: tcp, connection: keepalive',
    'TCP long-lived': ', protocol: tcp, connection: long-lived',
    'TCP per-request': ', protocol: tcp, connection: per-request',
  };
  for (const [name, wire] of Object.entries(wires)) {
    it(`${name} behind a waypoint: every call goes to the api pod on the waypoint node`, () => {
      const { e, node, pods, edge } = rig('ambient', 4, true, wire);
      const api = pods('api');
      const wp = pods('wp');
      expect(wp.length).toBe(1);
      expect(new Set(api.map(node)).size).toBe(4);
      e.run();
      expect(e.recorder.edgeCalls[edge]!).toBeGreaterThan(1500);
      expect(e.recorder.edgeFailed[edge]).toBe(0);
      for (const p of api) expect(e.apps.used[p]! > 0).toBe(node(p) === node(wp[0]!));
    });

    it(`${name} behind a waypoint whose node has no ready api pod: every call fails, none retried`, () => {
      const { e, node, pods, edge } = rig('ambient', 4, true, wire);
      const api = pods('api');
      const wp = pods('wp')[0]!;
      // Its api pod is out of load balancing (say, failing its readiness probe); the other three are ready.
      e.pods.setReady(api.find((p) => node(p) === node(wp))!, false);
      e.run();
      const rec = e.recorder;
      expect(rec.edgeCalls[edge]!).toBeGreaterThan(1500);
      expect(rec.edgeFailed[edge]).toBe(rec.edgeCalls[edge]);
      expect(rec.edgeRetries[edge]).toBe(0);
      for (const p of api) expect(e.apps.used[p]).toBe(0);
    });
  }

  it('an Envoy holds a node-local service endpoints on its own node only', async () => {
    const { configSize } = await import('../../src/mesh/index.ts');
    const { w, node, pods } = rig('sidecar', 2);
    const s = w.scenario;
    const apiNodes = new Set(pods('api').map(node));
    // Every sidecar holds web's 4 endpoints and, of api's 2, the one on its node if there is one (all 6
    // where the node is not known).
    expect(configSize(s, w.placement, 'sidecar', 'default/web').endpoints).toBe(6);
    const cost = w.classes.find((c) => c.name === 'sidecar')!.cost;
    const memory = (p: number) => w.proxyConfigMemory[w.podProxy[p]!]!;
    const web = pods('web');
    const near = web.filter((p) => apiNodes.has(node(p)));
    const far = web.filter((p) => !apiNodes.has(node(p)));
    expect(near.length).toBe(2);
    for (const p of web)
      expect(configSize(s, w.placement, 'sidecar', 'default/web', node(p)).endpoints).toBe(
        apiNodes.has(node(p)) ? 5 : 4,
      );
    expect(memory(near[0]!) - memory(far[0]!)).toBeCloseTo(cost.memoryPerEndpoint, 6);
    // Without the field every sidecar holds all 6.
    const t = parseScenario(text(2, false).replace('    internalTrafficPolicy: Local\n', ''), 'cluster.yaml');
    const all = buildWorld(t, place(t, 'sidecar'));
    expect(configSize(t, all.placement, 'sidecar', 'default/web', 0).endpoints).toBe(6);
  });

  it('without it the same callers reach every api pod', () => {
    const s = parseScenario(text(2, false).replace('    internalTrafficPolicy: Local\n', ''), 'cluster.yaml');
    const e = new Replication(buildWorld(s, place(s, 'sidecar')), 'cluster');
    e.run();
    const edge = e.w.edges.findIndex((x) => x.from >= 0);
    expect(e.recorder.edgeFailed[edge]).toBe(0);
  });
});
