// PeerAuthentication mtls.mode (scenario/peer-authentication.ts): under STRICT the callee's sidecar or
// ztunnel refuses what reaches it in plain text (a client outside the mesh), and closes its connection;
// mTLS from meshed callers passes. The narrowest PeerAuthentication wins: workload over namespace over mesh.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.ts';
import { simulateArchitecture } from '../../src/simulate/index.ts';

interface Opts {
  mesh?: string;
  shop?: string;
  api?: string;
  client?: string;
  label?: string;
  apiTls?: string;
  warmup?: string;
}

const text = (o: Opts) => `
apiVersion: meshsim/v1alpha1
kind: Scenario
metadata: { name: pa }
cluster:
  nodePools: [{ name: n, instanceType: m5.xlarge, count: 2 }]
namespaces:
  - { name: shop, labels: { ${o.label ?? 'istio-injection: enabled'} }${o.shop ? `, mtls: ${o.shop}` : ''} }
services:
  - { name: web, namespace: shop, replicas: 2, serviceTime: 1ms, calls: [{ to: api }] }
  - { name: api, namespace: shop, replicas: 2, serviceTime: 1ms${o.api ? `, mtls: ${o.api}` : ''}${o.apiTls ? `, trafficPolicy: { tls: { mode: ${o.apiTls} } }` : ''} }
traffic: [{ name: load, to: shop/web, rate: 100/s, clientMode: ${o.client ?? 'none'} }]
${o.mesh ? `mesh: { mtls: ${o.mesh} }` : ''}
compare: [sidecar, ambient]
simulation: { duration: 11s, warmup: ${o.warmup ?? '1s'}, replications: 1 }
`;

const run = (o: Opts, arch: 'sidecar' | 'ambient' = 'sidecar') =>
  simulateArchitecture(parseScenario(text(o), 'pa.yaml'), arch);
const edge = (a: ReturnType<typeof run>, to: string) =>
  a.edges.find((e) => e.name.endsWith(`-> shop/${to}`))!;

describe('PeerAuthentication', () => {
  it('PERMISSIVE (no PeerAuthentication): a client outside the mesh is served', () => {
    const a = run({});
    const ep = a.entryPoints[0]!;
    expect(ep.failed.mean).toBe(0);
    expect(ep.completed.mean).toBe(ep.offered.mean);
    expect(edge(a, 'web').mtlsRefused).toBeUndefined();
  });

  it('STRICT mesh-wide: every plain-text request is refused at the sidecar, as a reset', () => {
    const a = run({ mesh: 'STRICT' });
    const ep = a.entryPoints[0]!;
    // About 100/s over the 10 measured seconds, every one failed and none reached api.
    expect(ep.offered.mean).toBeGreaterThan(900);
    expect(ep.failed.mean).toBe(ep.offered.mean);
    expect(ep.completed.mean).toBe(0);
    expect(edge(a, 'web').mtlsRefused!.mean).toBe(ep.offered.mean);
    expect(edge(a, 'api').rate.mean).toBe(0);
    expect(a.warnings.some((w) => w.includes('calls refused') && w.includes('shop/web'))).toBe(true);
    // Each refusal closes the client's connection, so each request opens a new one: the load generator
    // spends 50 us per request and 20 us per connection (its defaults), 70 us a request against 50 us
    // where its connection stays open.
    const cpu = (x: ReturnType<typeof run>) => x.entryPoints[0]!.clientCpu.used;
    expect(cpu(a) / cpu(run({}))).toBeCloseTo(70 / 50, 1);
  });

  it('STRICT: mTLS between sidecars passes, so meshed clients are served', () => {
    const a = run({ mesh: 'STRICT', client: 'sidecar' });
    expect(a.entryPoints[0]!.failed.mean).toBe(0);
    expect(edge(a, 'web').mtlsRefused!.mean).toBe(0);
    expect(edge(a, 'api').mtlsRefused!.mean).toBe(0);
    expect(a.warnings.some((w) => w.includes('calls refused'))).toBe(false);
  });

  it('ambient: the callee ztunnel denies plain text under STRICT, and HBONE passes', () => {
    const ambient = { label: 'istio.io/dataplane-mode: ambient', mesh: 'STRICT' };
    const a = run(ambient, 'ambient');
    expect(a.entryPoints[0]!.failed.mean).toBe(a.entryPoints[0]!.offered.mean);
    expect(edge(a, 'web').mtlsRefused!.mean).toBe(a.entryPoints[0]!.offered.mean);
    const meshed = run({ ...ambient, client: 'ambient' }, 'ambient');
    expect(meshed.entryPoints[0]!.failed.mean).toBe(0);
  });

  it('the narrowest wins: a namespace PERMISSIVE under a STRICT mesh, a workload STRICT under it', () => {
    expect(run({ mesh: 'STRICT', shop: 'PERMISSIVE' }).entryPoints[0]!.failed.mean).toBe(0);
    // api STRICT: web's sidecar calls it over mTLS, so nothing fails.
    const a = run({ mesh: 'STRICT', shop: 'PERMISSIVE', api: 'STRICT' });
    expect(a.entryPoints[0]!.failed.mean).toBe(0);
    expect(edge(a, 'web').mtlsRefused).toBeUndefined();
    expect(edge(a, 'api').mtlsRefused!.mean).toBe(0);
    // A namespace STRICT under a PERMISSIVE mesh.
    expect(run({ mesh: 'PERMISSIVE', shop: 'STRICT' }).entryPoints[0]!.completed.mean).toBe(0);
  });

  it('none: no mesh, no PeerAuthentication to enforce', () => {
    const s = parseScenario(text({ mesh: 'STRICT' }), 'pa.yaml');
    const a = simulateArchitecture(s, 'none');
    expect(a.entryPoints[0]!.failed.mean).toBe(0);
  });

  it('a mode other than STRICT, PERMISSIVE or DISABLE is a positioned scenario error', () => {
    expect(() => parseScenario(text({ mesh: 'UNSET' }), 'pa.yaml')).toThrow(/pa\.yaml:\d+:\d+.*mesh\.mtls/s);
  });

  it("a DestinationRule's tls.mode DISABLE: its callers' sidecars send plain text, which STRICT refuses", () => {
    // web's sidecar calls api without mTLS: no handshake at either end, even for the run's first connections.
    const all = { client: 'sidecar', apiTls: 'DISABLE', warmup: '0s' };
    const a = run(all);
    expect(a.entryPoints[0]!.failed.mean).toBe(0);
    const handshakes = (x: ReturnType<typeof run>) => x.connections.sidecar!.handshakesPerSecond;
    const mtls = run({ ...all, apiTls: 'ISTIO_MUTUAL' });
    // load -> web and web -> api shake hands at both ends over mTLS; with DISABLE only load -> web does.
    expect(handshakes(a)).toBeGreaterThan(0);
    expect(handshakes(a)).toBeLessThan(handshakes(mtls));
    // api STRICT refuses web's plain text: every call fails, and its entry request with it.
    const strict = run({ ...all, api: 'STRICT' });
    expect(edge(strict, 'api').mtlsRefused!.mean).toBeGreaterThan(900);
    expect(strict.entryPoints[0]!.completed.mean).toBe(0);
    // Under ambient, ztunnels carry the call over HBONE, which no DestinationRule turns off.
    const ambient = run(
      { ...all, api: 'STRICT', label: 'istio.io/dataplane-mode: ambient', client: 'ambient' },
      'ambient',
    );
    expect(ambient.entryPoints[0]!.failed.mean).toBe(0);
  });

  it('PeerAuthentication DISABLE: plain text only; auto mTLS follows it, a rule forcing ISTIO_MUTUAL is refused', () => {
    const all = { client: 'sidecar', api: 'DISABLE', warmup: '0s' };
    const a = run(all);
    expect(a.entryPoints[0]!.failed.mean).toBe(0);
    // web's sidecar sends api plain text without being told: no handshake toward api.
    const handshakes = (x: ReturnType<typeof run>) => x.connections.sidecar!.handshakesPerSecond;
    expect(handshakes(a)).toBe(handshakes(run({ ...all, api: undefined, apiTls: 'DISABLE' })));
    expect(edge(a, 'api').mtlsRefused).toBeUndefined();
    // A client outside the mesh is served too.
    expect(run({ api: 'DISABLE' }).entryPoints[0]!.failed.mean).toBe(0);
    // A DestinationRule insisting on ISTIO_MUTUAL: api's sidecar has only plain-text filter chains.
    const forced = run({ ...all, apiTls: 'ISTIO_MUTUAL' });
    expect(edge(forced, 'api').mtlsRefused!.mean).toBeGreaterThan(900);
    expect(forced.entryPoints[0]!.completed.mean).toBe(0);
    expect(forced.warnings.some((w) => w.includes('its PeerAuthentication is DISABLE'))).toBe(true);
  });

  it('tls modes other than DISABLE and ISTIO_MUTUAL are positioned errors', () => {
    expect(() => parseScenario(text({ apiTls: 'SIMPLE' }), 'pa.yaml')).toThrow(
      /pa\.yaml:\d+:\d+.*tls\.mode/s,
    );
  });
});
