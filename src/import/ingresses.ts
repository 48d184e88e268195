// The ingress Gateways of the manifests, in either of Istio's APIs: a Gateway API Gateway (a class other
// than istio-waypoint) with the HTTPRoutes attached to it, or an Istio Gateway (networking.istio.io) with
// the VirtualServices bound to it. What each gives: the proxy Deployment serving it, the Services that
// address that proxy, and the backends its routes send to (the entry points' targets).
import { arr, mapSelects, obj, objs, str, stringMap } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { type Manifest, namespaceOf } from './manifest.ts';
import { WAYPOINT_CLASS } from './mesh-objects.ts';
import { hostKey } from './routing.ts';
import type { Workload } from './workload.ts';

export interface Ingress {
  name: string;
  namespace: string;
  /** gateway.networking.k8s.io (Gateway API) or networking.istio.io (Istio's own Gateway). */
  api: 'gateway' | 'istio';
  /** Its gatewayClassName (Gateway API); '' for an Istio Gateway. */
  gatewayClass: string;
  /** The Deployment of its proxy: istiod's generated one, or the one an Istio Gateway's selector picks. */
  deployment: { name: string; namespace: string };
  /** That Deployment in the manifests, when they hold it. */
  workload?: Workload;
  /** Service keys (namespace/name) that reach its proxy: what a client's URL names. */
  addresses: string[];
  /** Whether its listeners (servers) terminate TLS: every one, none, or some ('mixed'). */
  terminatesTls: 'all' | 'none' | 'mixed';
  manifest: Manifest;
  /** The HTTPRoutes attached to it, or the VirtualServices bound to it. */
  routes: Manifest[];
  /** Backend Services (namespace/name) of those routes. */
  backends: string[];
}

/** Annotation naming a Gateway's generated Deployment (istio.io/latest/docs/reference/config/annotations/). */
const NAME_OVERRIDE = 'gateway.istio.io/name-override';
/** Label istiod puts on the pods of a Gateway's Deployment (kube-gateway.yaml in istio-discovery's chart). */
const GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';
/**
 * The ingress gateway of istioctl's default profile (Deployment and Service istio-ingressgateway in
 * istio-system, pods labelled istio: ingressgateway), which an Istio Gateway selecting that label means
 * when the manifests do not hold it (istio/istio 1.28.0 manifests/charts/gateways/istio-ingress; ASSUMPTION
 * that it is installed so).
 */
const DEFAULT_INGRESS = { name: 'istio-ingressgateway', namespace: 'istio-system' };

/**
 * Whether each listener terminates TLS: HTTPS always, TLS unless its mode passes it through (Gateway API
 * tls.mode Passthrough, gateway.networking.k8s.io/v1 Listener; Istio's PASSTHROUGH and AUTO_PASSTHROUGH,
 * istio.io/latest/docs/reference/config/networking/gateway/#ServerTLSSettings-TLSmode).
 */
function terminates(listeners: ReadonlyArray<{ protocol: string; mode: string }>): Ingress['terminatesTls'] {
  const flags = listeners.map(
    (l) =>
      l.protocol === 'HTTPS' ||
      (l.protocol === 'TLS' && !/^(Passthrough|PASSTHROUGH|AUTO_PASSTHROUGH)$/.test(l.mode)),
  );
  return flags.length > 0 && flags.every(Boolean) ? 'all' : flags.some(Boolean) ? 'mixed' : 'none';
}

function isIstioApi(m: Manifest): boolean {
  return m.apiVersion.startsWith('networking.istio.io/');
}

/** Pod labels an Istio Gateway selects its proxy by (they pick gateway Deployments, not applications). */
export function istioGatewaySelectors(inv: Inventory): Array<Record<string, string>> {
  return inv
    .of('Gateway')
    .filter(isIstioApi)
    .map((g) => stringMap(obj(g.body.spec).selector))
    .filter((s) => Object.keys(s).length > 0);
}

export function importIngresses(inv: Inventory): Ingress[] {
  return inv.of('Gateway').flatMap((g) => {
    if (isIstioApi(g)) return [istioGateway(inv, g)];
    const cls = str(obj(g.body.spec).gatewayClassName) ?? '';
    return cls === WAYPOINT_CLASS ? [] : [apiGateway(inv, g, cls)];
  });
}

function apiGateway(inv: Inventory, g: Manifest, cls: string): Ingress {
  const ns = namespaceOf(g);
  const routes = inv.of('HTTPRoute').filter((r) => {
    const rns = namespaceOf(r);
    return objs(obj(r.body.spec).parentRefs).some(
      (p) =>
        (str(p.kind) ?? 'Gateway') === 'Gateway' &&
        str(p.name) === g.name &&
        (str(p.namespace) ?? rns) === ns,
    );
  });
  const backends = routes.flatMap((r) =>
    objs(obj(r.body.spec).rules).flatMap((rule) =>
      objs(rule.backendRefs).map((b) => `${str(b.namespace) ?? namespaceOf(r)}/${str(b.name) ?? ''}`),
    ),
  );
  // istiod names the Deployment and Service it generates `<name>-<class>` unless overridden (istio/istio
  // 1.28.0 pilot/pkg/config/kube/gateway/deploymentcontroller.go, conversion.go getDefaultName).
  const name = g.annotations[NAME_OVERRIDE] ?? `${g.name}-${cls}`;
  const workload = inv.workloads.find(
    (w) =>
      w.kind === 'Deployment' &&
      w.namespace === ns &&
      (w.podLabels[GATEWAY_NAME] === g.name || w.name === name),
  );
  const listeners = objs(obj(g.body.spec).listeners).map((l) => ({
    protocol: str(l.protocol) ?? '',
    mode: str(obj(l.tls).mode) ?? '',
  }));
  return {
    name: g.name,
    namespace: ns,
    api: 'gateway',
    gatewayClass: cls,
    deployment: { name, namespace: ns },
    ...(workload ? { workload } : {}),
    addresses: [`${ns}/${name}`, `${ns}/${g.name}`],
    terminatesTls: terminates(listeners),
    manifest: g,
    routes,
    backends: [...new Set(backends)],
  };
}

/**
 * An Istio Gateway: its selector picks the proxy's pods in any namespace (PILOT_SCOPE_GATEWAY_TO_NAMESPACE
 * is off by default; istio.io/latest/docs/reference/config/networking/gateway/), and a VirtualService binds
 * to it by `gateways: [<namespace>/<name>]`, or `<name>` in its own namespace
 * (istio.io/latest/docs/reference/config/networking/virtual-service/#VirtualService-gateways).
 */
function istioGateway(inv: Inventory, g: Manifest): Ingress {
  const ns = namespaceOf(g);
  const spec = obj(g.body.spec);
  const selector = stringMap(spec.selector);
  const workload = inv.workloads.find((w) => w.kind === 'Deployment' && mapSelects(selector, w.podLabels));
  const deployment = workload ? { name: workload.name, namespace: workload.namespace } : DEFAULT_INGRESS;
  const services = workload
    ? inv.services
        .filter((s) => mapSelects(s.selector, workload.podLabels))
        .map((s) => `${s.namespace}/${s.name}`)
    : [];
  const routes = inv.of('VirtualService').filter((vs) =>
    arr(obj(vs.body.spec).gateways)
      .map((x) => str(x) ?? '')
      .some((x) => x === `${ns}/${g.name}` || (x === g.name && namespaceOf(vs) === ns)),
  );
  const backends = routes.flatMap((vs) => {
    const vspec = obj(vs.body.spec);
    return [...objs(vspec.http), ...objs(vspec.tcp), ...objs(vspec.tls)].flatMap((r) =>
      objs(r.route).map((d) => hostKey(str(obj(d.destination).host) ?? '', namespaceOf(vs))),
    );
  });
  const listeners = objs(spec.servers).map((s) => ({
    protocol: (str(obj(s.port).protocol) ?? '').toUpperCase(),
    mode: str(obj(s.tls).mode) ?? '',
  }));
  return {
    name: g.name,
    namespace: ns,
    api: 'istio',
    gatewayClass: '',
    deployment,
    ...(workload ? { workload } : {}),
    addresses: [...new Set([...services, `${deployment.namespace}/${deployment.name}`])],
    terminatesTls: terminates(listeners),
    manifest: g,
    routes,
    backends: [...new Set(backends)],
  };
}
