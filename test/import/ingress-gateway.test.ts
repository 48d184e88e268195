// Import of ingress Gateways: entry points that come through a Gateway istiod deploys go through the
// scenario's ingress gateway (`via: ingress`, mesh.ingressGateway named as istiod names its Deployment).
import { describe, expect, it } from 'vitest';
import { importScenario, parseManifests } from '../../src/import/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { app } from './app-manifests.ts';

function gateway(name: string, cls: string, o: { annotations?: string; protocol?: string } = {}): string {
  const ann = o.annotations ? `, annotations: ${o.annotations}` : '';
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: ${name}, namespace: shop${ann} }
spec:
  gatewayClassName: ${cls}
  listeners: [{ name: l, port: 80, protocol: ${o.protocol ?? 'HTTP'} }]
`;
}
const route = (gw: string, backend: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${gw}-${backend}, namespace: shop }
spec:
  parentRefs: [{ name: ${gw} }]
  rules: [{ backendRefs: [{ name: ${backend}, port: 80 }] }]
`;
/** A fortio Deployment in namespace loadgen sending to `host`. */
const fortio = (name: string, host: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: loadgen }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers: [{ name: c, image: fortio/fortio, args: [load, -c, "8", -qps, "100", "http://${host}/"] }]
`;
/** The Deployment istiod generates for Gateway `gw` (class istio), as a `kubectl get -A` dump shows it. */
const generated = (gw: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${gw}-istio, namespace: shop }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { gateway.networking.k8s.io/gateway-name: ${gw} } }
  template:
    metadata: { labels: { gateway.networking.k8s.io/gateway-name: ${gw} } }
    spec:
      containers:
        - name: istio-proxy
          image: proxyv2
          resources: { requests: { cpu: 300m, memory: 256Mi }, limits: { cpu: "2", memory: 1Gi } }
`;

function load(parts: string[], overlay?: Record<string, unknown>) {
  const { manifests } = parseManifests(parts.join('---\n'), 'shop.yaml');
  const r = importScenario(manifests, {
    sources: ['shop.yaml'],
    ...(overlay ? { overlay: { file: 'calls.yaml', data: overlay, locate: () => ({}) } } : {}),
  });
  return { r, s: parseScenario(r.text, 'shop.yaml') };
}

describe('import of ingress Gateways', () => {
  it("a load generator addressing a class istio Gateway's Service enters through the ingress gateway", () => {
    const { r, s } = load([
      app('shop', 'web'),
      gateway('edge', 'istio'),
      route('edge', 'web'),
      fortio('lg', 'edge-istio.shop'),
    ]);
    expect(s.traffic.map((t) => [t.name, t.to, t.via])).toEqual([['lg', 'shop/web', 'ingress']]);
    // istiod's Deployment for it: `<gateway>-<class>` in the Gateway's namespace, the template's resources.
    expect(s.mesh.ingressGateway).toMatchObject({ name: 'edge-istio', namespace: 'shop', replicas: 1 });
    expect(s.mesh.ingressGateway.resources.requests).toEqual({ cpu: 0.1, memory: 128 * 2 ** 20 });
    expect(r.text).toMatch(/via: ingress # through Gateway shop\/edge \(shop\.yaml:\d+\)/);
    expect(r.text).toContain('the Deployment is not in the manifests');
  });

  it('istio.io/ingress-use-waypoint on a Service or a Namespace is kept: the gateway then sends through the waypoint', () => {
    const parts = [
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop, labels: { istio.io/dataplane-mode: ambient, istio.io/ingress-use-waypoint: "true" } }\n',
      app('shop', 'web').replace(
        'metadata: { name: web, namespace: shop }\nspec:\n  selector',
        'metadata: { name: web, namespace: shop, labels: { istio.io/use-waypoint: wp, istio.io/ingress-use-waypoint: "false" } }\nspec:\n  selector',
      ),
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: wp, namespace: shop }\nspec:\n  gatewayClassName: istio-waypoint\n',
      gateway('edge', 'istio'),
      route('edge', 'web'),
      fortio('lg', 'edge-istio.shop'),
    ];
    const { s } = load(parts);
    expect(s.namespaces.find((n) => n.name === 'shop')?.ingressUseWaypoint).toBe('true');
    const web = s.services.find((x) => x.name === 'web')!;
    expect([web.useWaypoint, web.ingressUseWaypoint]).toEqual(['wp', 'false']);
  });

  it('gateway.istio.io/name-override names the Deployment, and its Service is the one addressed', () => {
    const { s } = load([
      app('shop', 'web'),
      gateway('edge', 'istio', { annotations: '{ gateway.istio.io/name-override: front }' }),
      route('edge', 'web'),
      fortio('lg', 'front.shop'),
    ]);
    expect(s.traffic[0]!.via).toBe('ingress');
    expect(s.mesh.ingressGateway.name).toBe('front');
  });

  it("the generated Deployment in the manifests gives the gateway's replicas and resources", () => {
    const { r, s } = load([
      app('shop', 'web'),
      gateway('edge', 'istio'),
      route('edge', 'web'),
      fortio('lg', 'edge-istio.shop'),
      generated('edge', 3),
      `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: edge-istio, namespace: shop }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: edge-istio }
  minReplicas: 3
  maxReplicas: 10
`,
    ]);
    expect(s.mesh.ingressGateway.replicas).toBe(3);
    expect(s.mesh.ingressGateway.resources.requests).toEqual({ cpu: 0.3, memory: 256 * 2 ** 20 });
    // The gateway's own pods are not an application service.
    expect(s.services.map((x) => x.name)).toEqual(['web']);
    expect(r.text).toMatch(/replicas and resources from Deployment shop\/edge-istio/);
    // Its HPA scales it (the istio/gateway chart deploys one): 3 to 10 replicas.
    expect(s.mesh.ingressGateway.autoscaling).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(r.text).toMatch(/HorizontalPodAutoscaler shop\/edge-istio .* scales it: imported as autoscaling/);
  });

  it('without a load generator, the entry points are the backends, through the gateway', () => {
    const { s } = load([
      app('shop', 'web'),
      app('shop', 'api'),
      gateway('edge', 'istio'),
      route('edge', 'web'),
    ]);
    expect(s.traffic.map((t) => [t.to, t.via])).toEqual([['shop/web', 'ingress']]);
    expect(s.mesh.ingressGateway.name).toBe('edge-istio');
  });

  it('a class another controller serves (a cloud load balancer) is not modelled: straight to the backend', () => {
    const { r, s } = load([
      app('shop', 'web'),
      gateway('edge', 'gke-l7-global-external-managed'),
      route('edge', 'web'),
      fortio('lg', 'edge.shop'),
    ]);
    expect(s.traffic.map((t) => [t.to, t.via])).toEqual([['shop/web', 'direct']]);
    expect(s.mesh.ingressGateway.name).toBe('istio-ingress');
    expect(r.text).toContain('which istiod does not serve: its proxy is not modelled');
  });

  it('a GatewayClass of controller istio.io/gateway-controller is served by istiod whatever its name', () => {
    const { s } = load([
      app('shop', 'web'),
      'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: internal }\nspec: { controllerName: istio.io/gateway-controller }\n',
      gateway('edge', 'internal'),
      route('edge', 'web'),
      fortio('lg', 'edge-internal.shop'),
    ]);
    expect(s.traffic[0]!.via).toBe('ingress');
    expect(s.mesh.ingressGateway.name).toBe('edge-internal');
  });

  it('a second ingress Gateway: one gateway per scenario, its entries go straight to their backend', () => {
    const { r, s } = load([
      app('shop', 'web'),
      app('shop', 'api'),
      gateway('edge', 'istio'),
      route('edge', 'web'),
      gateway('partners', 'istio', { protocol: 'HTTPS' }),
      route('partners', 'api'),
      fortio('lg', 'edge-istio.shop'),
      fortio('lg2', 'partners-istio.shop'),
    ]);
    expect(s.traffic.map((t) => [t.name, t.to, t.via])).toEqual([
      ['lg', 'shop/web', 'ingress'],
      ['lg2', 'shop/api', 'direct'],
    ]);
    expect(s.mesh.ingressGateway.name).toBe('edge-istio');
    expect(r.text).toContain("a scenario has one ingress gateway (shop/edge's)");
  });

  it('TLS the gateway terminates: an https URL, or without one a Gateway whose every listener terminates it', () => {
    const httpsUrl = load([
      app('shop', 'web'),
      gateway('edge', 'istio', { protocol: 'HTTPS' }),
      route('edge', 'web'),
      fortio('lg', 'edge-istio.shop').replace('http://', 'https://'),
    ]);
    expect(httpsUrl.s.traffic.map((t) => [t.via, t.tls])).toEqual([['ingress', true]]);
    expect(httpsUrl.r.text).toContain(
      'tls: true # the load generator sends https; the gateway terminates it',
    );
    // An http URL is plain, whatever else the Gateway listens on.
    const httpUrl = load([
      app('shop', 'web'),
      gateway('edge', 'istio', { protocol: 'HTTPS' }),
      route('edge', 'web'),
      fortio('lg', 'edge-istio.shop'),
    ]);
    expect(httpUrl.s.traffic[0]!.tls).toBeUndefined();
    // No load generator: TLS when every listener terminates it.
    const defaults = load([
      app('shop', 'web'),
      gateway('edge', 'istio', { protocol: 'HTTPS' }),
      route('edge', 'web'),
    ]);
    expect(defaults.s.traffic.map((t) => [t.via, t.tls])).toEqual([['ingress', true]]);
    const plain = load([app('shop', 'web'), gateway('edge', 'istio'), route('edge', 'web')]);
    expect(plain.s.traffic[0]!.tls).toBeUndefined();
  });

  it("a --calls file's mesh wins; its traffic entry, unless it says `via`, still comes through the gateway", () => {
    const parts = [
      app('shop', 'web'),
      gateway('edge', 'istio'),
      route('edge', 'web'),
      fortio('lg', 'edge-istio.shop'),
    ];
    const given = load(parts, { traffic: [{ name: 'lg', to: 'web.shop' }], mesh: { mtls: 'STRICT' } });
    expect(given.s.traffic[0]!.via).toBe('ingress');
    expect(given.s.mesh.ingressGateway.name).toBe('istio-ingress');
    expect(given.r.text).toContain('mesh comes from the --calls file');
    const direct = load(parts, { traffic: [{ name: 'lg', to: 'web.shop', via: 'direct' }] });
    expect(direct.s.traffic[0]!.via).toBe('direct');
  });
});

describe("import of Istio's own Gateway (networking.istio.io) and the VirtualServices bound to it", () => {
  const istioGw = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: shop-gw, namespace: shop }
spec:
  selector: { istio: ingress }
  servers: [{ port: { number: 443, name: https, protocol: HTTPS }, hosts: ["*"] }]
`;
  const vs = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: front, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [shop-gw]
  http: [{ route: [{ destination: { host: web } }] }]
`;
  // The istio/gateway chart installed as release `istio-ingress`: pods labelled istio: ingress.
  const chartGateway = `apiVersion: apps/v1
kind: Deployment
metadata: { name: istio-ingress, namespace: istio-ingress }
spec:
  replicas: 2
  selector: { matchLabels: { istio: ingress } }
  template:
    metadata: { labels: { istio: ingress, app: istio-ingress } }
    spec:
      containers: [{ name: istio-proxy, image: proxyv2, resources: { requests: { cpu: 500m, memory: 256Mi } } }]
---
apiVersion: v1
kind: Service
metadata: { name: istio-ingress, namespace: istio-ingress }
spec:
  selector: { istio: ingress }
  ports: [{ port: 443, name: https }]
`;

  it('the selected Deployment is the gateway, the bound routes give the backend, its Service is what clients address', () => {
    const { r, s } = load([
      app('shop', 'web'),
      app('shop', 'api'),
      istioGw,
      vs,
      chartGateway,
      fortio('lg', 'istio-ingress.istio-ingress'),
    ]);
    expect(s.traffic.map((t) => [t.name, t.to, t.via])).toEqual([['lg', 'shop/web', 'ingress']]);
    expect(s.mesh.ingressGateway).toMatchObject({
      name: 'istio-ingress',
      namespace: 'istio-ingress',
      replicas: 2,
    });
    expect(s.mesh.ingressGateway.resources.requests.cpu).toBe(0.5);
    // The gateway's pods are Istio's, not an application service.
    expect(s.services.map((x) => x.name).sort()).toEqual(['api', 'web']);
    // Its only server is HTTPS (tls mode absent: SIMPLE), the client's URL plain http: no TLS modelled.
    expect(s.traffic[0]!.tls).toBeUndefined();
    expect(r.text).toContain('via: ingress');
  });

  it("without the gateway's Deployment, istioctl's default istio-ingressgateway in istio-system is assumed", () => {
    const gw = istioGw.replace('istio: ingress', 'istio: ingressgateway');
    const { r, s } = load([
      app('shop', 'web'),
      app('shop', 'api'),
      gw,
      vs,
      fortio('lg', 'istio-ingressgateway.istio-system'),
    ]);
    expect(s.traffic.map((t) => [t.to, t.via])).toEqual([['shop/web', 'ingress']]);
    expect(s.mesh.ingressGateway).toMatchObject({ name: 'istio-ingressgateway', namespace: 'istio-system' });
    expect(r.text).toContain("assumed: istioctl's default ingress gateway for Gateway shop/shop-gw");
  });

  it("the entry takes the timeout and retries of the gateway's route, not the mesh's", () => {
    const gatewayRoute = vs.replace(
      'route: [{',
      'timeout: 5s, retries: { attempts: 4, perTryTimeout: 1s }, route: [{',
    );
    const meshRoute = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: web, namespace: shop }
spec:
  hosts: [web]
  http: [{ timeout: 3s, retries: { attempts: 1 }, route: [{ destination: { host: web } }] }]
`;
    const { s } = load([
      app('shop', 'web'),
      istioGw,
      gatewayRoute,
      meshRoute,
      chartGateway,
      fortio('lg', 'istio-ingress.istio-ingress'),
    ]);
    expect(s.traffic.map((t) => [t.via, t.timeout, t.retries, t.perTryTimeout])).toEqual([
      ['ingress', 5, 4, 1],
    ]);
    // Straight to the service, the entry has the mesh's route (applied where its caller's own Envoy routes).
    const direct = load([app('shop', 'web'), meshRoute, fortio('lg', 'web.shop')]);
    expect(direct.s.traffic.map((t) => [t.via, t.timeout, t.retries])).toEqual([['direct', 3, 1]]);
  });

  it('a VirtualService binds by namespace/name from another namespace, and not by a bare name there', () => {
    const other = (gateways: string) =>
      vs
        .replace('namespace: shop }', 'namespace: web-team }')
        .replace('[shop-gw]', gateways)
        .replace('host: web', 'host: web.shop');
    const bound = load([
      app('shop', 'web'),
      app('shop', 'api'),
      istioGw,
      other('[shop/shop-gw]'),
      chartGateway,
    ]);
    expect(bound.s.traffic.map((t) => [t.to, t.via])).toEqual([['shop/web', 'ingress']]);
    const unbound = load([app('shop', 'web'), app('shop', 'api'), istioGw, other('[shop-gw]'), chartGateway]);
    // No backend: the default entry points are the services nobody calls, straight to them.
    expect(unbound.s.traffic.every((t) => t.via === 'direct')).toBe(true);
  });
});
