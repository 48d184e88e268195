// What routing and policy objects say about calls to a service: HTTPRoute, VirtualService and
// DestinationRule (weights, subsets, retries, timeouts, its traffic policy) and AuthorizationPolicy's L7 rules. Retries and
// timeouts become the calls' own fields; anything needing an L7 proxy marks the calls l7; weights and
// subsets between versions are not representable and are written as comments.
import { parseDuration, RETRY_ON } from '../scenario/index.ts';
import type { DestinationRules } from './destination-rules.ts';
import { arr, type Json, num, obj, objs, selects, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, type Manifest, namespaceOf, where } from './manifest.ts';
import type { Notes } from './notes.ts';
import type { ServiceSet } from './services.ts';

export interface RouteInfo {
  /** Why calls to this service need L7 processing. */
  l7: string[];
  timeout?: string;
  retries?: number;
  /** Each attempt's timeout (VirtualService retries.perTryTimeout, HTTPRoute timeouts.backendRequest). */
  perTryTimeout?: string;
  /** The retry conditions meshsim models, when the route names its own. */
  retryOn?: string[];
  /** Envoy's retry back-off base interval (VirtualService retries.backoff, HTTPRoute retry.backoff). */
  retryBackoff?: string;
  /** Read, not representable (weights, subsets, connection pools). */
  unrepresented: string[];
  /** Its DestinationRule's traffic policy, as far as meshsim models it (destination-policy.ts). */
  trafficPolicy?: Json;
}

/** `reviews`, `reviews.bookinfo`, `reviews.bookinfo.svc.cluster.local` -> `bookinfo/reviews`. */
export function hostKey(host: string, ns: string): string {
  const parts = host.split('.');
  return `${parts[1] ?? ns}/${parts[0]}`;
}

function resolve(set: ServiceSet, key: string): string | undefined {
  const k = set.alias.get(key) ?? key;
  return set.services.some((s) => s.key === k) ? k : undefined;
}

function seconds(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    parseDuration(v);
    return v;
  } catch {
    return undefined;
  }
}

/** `rules`: which DestinationRule each service's callers get (destination-rules.ts). */
export function routeInfo(inv: Inventory, set: ServiceSet, rules: DestinationRules): Map<string, RouteInfo> {
  const out = new Map<string, RouteInfo>();
  const at = (key: string | undefined): RouteInfo | undefined => {
    if (!key) return undefined;
    let r = out.get(key);
    if (!r) out.set(key, (r = { l7: [], unrepresented: [] }));
    return r;
  };
  const src = (m: Manifest) => `${describe(m)} (${where(m.source)})`;
  for (const m of inv.of('HTTPRoute')) {
    const ns = namespaceOf(m);
    const spec = obj(m.body.spec);
    for (const p of objs(spec.parentRefs).filter((p) => str(p.kind) === 'Service')) {
      const r = at(resolve(set, `${str(p.namespace) ?? ns}/${str(p.name)}`));
      if (!r) continue;
      r.l7.push(`routed by ${src(m)}`);
      for (const rule of objs(spec.rules)) httpRouteRule(r, rule, src(m));
    }
  }
  for (const m of inv.of('VirtualService')) {
    const ns = namespaceOf(m);
    const spec = obj(m.body.spec);
    if (arr(spec.gateways).length > 0 && !arr(spec.gateways).includes('mesh')) continue;
    for (const host of arr(spec.hosts).map((h) => str(h) ?? '')) {
      const r = at(resolve(set, hostKey(host, ns)));
      if (!r) continue;
      r.l7.push(`routed by ${src(m)}`);
      for (const http of objs(spec.http)) virtualServiceHttp(r, http, src(m));
    }
  }
  for (const [key, rule] of rules.byService) {
    const r = at(key)!;
    // A rule of its own without a policy still shadows the mesh-wide one (scenario/destination-rule.ts):
    // an empty policy says so, Istio's defaults.
    const policy = rule.policy ?? (rules.mesh?.policy ? {} : undefined);
    if (policy) r.trafficPolicy = policy;
    r.unrepresented.push(...rule.notes);
  }
  for (const m of inv.of('AuthorizationPolicy')) {
    const why = l7Rule(m.body);
    if (!why) continue;
    for (const key of policyTargets(set, m)) at(key)?.l7.push(`${src(m)} has L7 rules (${why})`);
  }
  return out;
}

/**
 * What an ingress gateway's routes (`routes`: the HTTPRoutes attached to it, the VirtualServices bound to
 * it; ingresses.ts) say about requests to each backend service: the entry points through that gateway
 * take these, not the mesh's routes, which its Envoy is not given. No l7 marks: the gateway is the L7
 * proxy.
 */
export function gatewayRouteInfo(set: ServiceSet, routes: readonly Manifest[]): Map<string, RouteInfo> {
  const out = new Map<string, RouteInfo>();
  const at = (key: string): RouteInfo | undefined => {
    const k = resolve(set, key);
    if (!k) return undefined;
    let r = out.get(k);
    if (!r) out.set(k, (r = { l7: [], unrepresented: [] }));
    return r;
  };
  for (const m of routes) {
    const ns = namespaceOf(m);
    const spec = obj(m.body.spec);
    const from = `${describe(m)} (${where(m.source)})`;
    if (m.kind === 'HTTPRoute') {
      for (const rule of objs(spec.rules))
        for (const b of objs(rule.backendRefs)) {
          const r = at(`${str(b.namespace) ?? ns}/${str(b.name) ?? ''}`);
          if (r) httpRouteRule(r, rule, from);
        }
      continue;
    }
    for (const http of objs(spec.http))
      for (const d of objs(http.route)) {
        const r = at(hostKey(str(obj(d.destination).host) ?? '', ns));
        if (r) virtualServiceHttp(r, http, from);
      }
  }
  return out;
}

/** An HTTPRoute rule: its split (a note), request timeout, and retry (gatewayRetry). */
function httpRouteRule(r: RouteInfo, rule: Json, from: string): void {
  const backends = objs(rule.backendRefs);
  if (backends.length > 1)
    r.unrepresented.push(
      `${from} splits traffic ${backends.map((b) => `${str(b.name)} ${num(b.weight) ?? 1}`).join(' / ')}`,
    );
  const t = seconds(str(obj(rule.timeouts).request));
  if (t) r.timeout = t;
  gatewayRetry(r, rule);
}

/** A VirtualService http route: its split or subsets (a note), timeout and retries. */
function virtualServiceHttp(r: RouteInfo, http: Json, from: string): void {
  const routes = objs(http.route);
  if (routes.length > 1 || routes.some((x) => str(obj(x.destination).subset)))
    r.unrepresented.push(
      `${from} routes ${routes.map((x) => `${str(obj(x.destination).subset) ?? str(obj(x.destination).host)} ${num(x.weight) ?? ''}`.trim()).join(' / ')}`,
    );
  const t = seconds(str(http.timeout));
  if (t) r.timeout = t;
  const retries = obj(http.retries);
  const attempts = num(retries.attempts);
  if (attempts !== undefined) r.retries = attempts;
  const perTry = seconds(str(retries.perTryTimeout));
  if (perTry) r.perTryTimeout = perTry;
  const backoff = seconds(str(retries.backoff));
  if (backoff && parseDuration(backoff) > 0) r.retryBackoff = backoff;
  const on = str(retries.retryOn);
  if (on) retryOn(r, on, from);
}

/**
 * An HTTPRoute rule's retry and backend timeout as istiod translates them (istio/istio 1.28.0
 * pilot/pkg/config/kube/gateway/conversion.go): a retry stanza retries connect-failure, refused-stream,
 * unavailable, cancelled and its codes, 2 attempts unless given; timeouts.backendRequest is each
 * attempt's timeout with a retry stanza, else the request's timeout.
 */
function gatewayRetry(r: RouteInfo, rule: Json): void {
  const backend = seconds(str(obj(rule.timeouts).backendRequest));
  if (rule.retry === undefined) {
    if (backend) r.timeout = backend;
    return;
  }
  const retry = obj(rule.retry);
  r.retries = num(retry.attempts) ?? 2;
  const codes = arr(retry.codes).filter((c) => typeof c === 'number');
  r.retryOn = ['connect-failure', 'refused-stream', 'unavailable', 'cancelled'];
  if (codes.length > 0) {
    r.retryOn.push('retriable-status-codes');
    if (codes.some((c) => c !== 503))
      r.unrepresented.push(`retry codes ${codes.join(', ')}: meshsim's only retriable status is 503`);
  }
  if (backend) r.perTryTimeout = backend;
  const backoff = seconds(str(retry.backoff));
  if (backoff && parseDuration(backoff) > 0) r.retryBackoff = backoff;
}

/**
 * A VirtualService's retryOn, comma-separated: Envoy's conditions, and status codes, which istiod puts in
 * retriable_status_codes (retry.go parseRetryOn); what meshsim does not model is noted.
 */
function retryOn(r: RouteInfo, value: string, from: string): void {
  const known = new Set<string>(RETRY_ON);
  const out: string[] = [];
  const dropped: string[] = [];
  for (const part of value.split(',').map((x) => x.trim())) {
    if (/^\d+$/.test(part)) {
      if (!out.includes('retriable-status-codes')) out.push('retriable-status-codes');
      if (part !== '503') dropped.push(part);
    } else if (known.has(part)) {
      if (!out.includes(part)) out.push(part);
    } else if (part) dropped.push(part);
  }
  r.retryOn = out;
  if (dropped.length > 0)
    r.unrepresented.push(
      `${from} retryOn ${dropped.join(', ')}: not modelled (meshsim retries 503 as the only code)`,
    );
}

/** The L7 attribute an AuthorizationPolicy uses, if any (istio.io/latest/docs/reference/config/security/authorization-policy/). */
export function l7Rule(body: Json): string | undefined {
  for (const rule of objs(obj(body.spec).rules)) {
    for (const to of objs(rule.to)) {
      const op = obj(to.operation);
      for (const k of ['methods', 'paths', 'hosts', 'notMethods', 'notPaths', 'notHosts'])
        if (arr(op[k]).length > 0) return `to.operation.${k}`;
    }
    for (const from of objs(rule.from)) {
      const s = obj(from.source);
      if (arr(s.requestPrincipals).length > 0 || arr(s.notRequestPrincipals).length > 0)
        return 'from.source.requestPrincipals';
    }
    for (const w of objs(rule.when)) {
      const key = str(w.key) ?? '';
      if (key.startsWith('request.')) return `when ${key}`;
    }
  }
  return undefined;
}

/** Scenario service keys an AuthorizationPolicy applies to: by selector, by targetRefs, or namespace-wide. */
export function policyTargets(set: ServiceSet, m: Manifest): string[] {
  const ns = namespaceOf(m);
  const spec = obj(m.body.spec);
  const refs = [...objs(spec.targetRefs), ...(spec.targetRef ? [obj(spec.targetRef)] : [])];
  if (refs.length > 0)
    return refs
      .filter((r) => str(r.kind) === 'Service')
      .map((r) => resolve(set, `${str(r.namespace) ?? ns}/${str(r.name)}`))
      .filter((k): k is string => k !== undefined);
  const selector = spec.selector === undefined ? undefined : obj(spec.selector);
  return set.services
    .filter(
      (s) =>
        s.namespace === ns &&
        (selector === undefined ||
          s.workloads.some((w) => selects({ matchLabels: obj(selector).matchLabels }, w.podLabels))),
    )
    .map((s) => s.key);
}

/** The route fields a call or entry point takes from its route, unless it sets them itself. */
const ROUTE_FIELDS = ['timeout', 'retries', 'perTryTimeout', 'retryBackoff', 'retryOn'] as const;

/** Call or entry point `entry` (at `path`) takes what its route says and it does not, with a note. */
export function applyRoute(
  entry: Json,
  path: Array<string | number>,
  route: RouteInfo | undefined,
  notes: Notes,
): void {
  if (!route) return;
  if (route.l7.length > 0 && entry.l7 === undefined) {
    entry.l7 = true;
    notes.inline([...path, 'l7'], `from the manifests: ${route.l7.join('; ')}`);
  }
  for (const k of ROUTE_FIELDS) {
    const v = route[k];
    if (v === undefined || v === '' || entry[k] !== undefined) continue;
    entry[k] = v;
    notes.inline([...path, k], 'from the route');
  }
}
