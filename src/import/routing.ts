// What routing and policy objects say about calls to a service: HTTPRoute, VirtualService and
// DestinationRule (weights, subsets, retries, timeouts, its traffic policy) and AuthorizationPolicy's L7 rules. Retries and
// timeouts become the calls' own fields; anything needing an L7 proxy marks the calls l7; weights and
// subsets between versions are not representable and are written as comments.
import { parseDuration } from '../scenario/index.ts';
import type { DestinationRules } from './destination-rules.ts';
import { arr, type Json, num, obj, objs, selects, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, type Manifest, namespaceOf, where } from './manifest.ts';
import type { ServiceSet } from './services.ts';

export interface RouteInfo {
  /** Why calls to this service need L7 processing. */
  l7: string[];
  timeout?: string;
  retries?: number;
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
      for (const rule of objs(spec.rules)) {
        const backends = objs(rule.backendRefs);
        if (backends.length > 1)
          r.unrepresented.push(
            `${src(m)} splits traffic ${backends.map((b) => `${str(b.name)} ${num(b.weight) ?? 1}`).join(' / ')}`,
          );
        const t = seconds(str(obj(rule.timeouts).request));
        if (t) r.timeout = t;
        const attempts = num(obj(rule.retry).attempts);
        if (attempts !== undefined) r.retries = attempts;
      }
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
      for (const http of objs(spec.http)) {
        const routes = objs(http.route);
        if (routes.length > 1 || routes.some((x) => str(obj(x.destination).subset)))
          r.unrepresented.push(
            `${src(m)} routes ${routes.map((x) => `${str(obj(x.destination).subset) ?? str(obj(x.destination).host)} ${num(x.weight) ?? ''}`.trim()).join(' / ')}`,
          );
        const t = seconds(str(http.timeout));
        if (t) r.timeout = t;
        const attempts = num(obj(http.retries).attempts);
        if (attempts !== undefined) r.retries = attempts;
      }
    }
  }
  for (const [key, rule] of rules.byService) {
    const r = at(key)!;
    if (rule.policy) r.trafficPolicy = rule.policy;
    r.unrepresented.push(...rule.notes);
  }
  for (const m of inv.of('AuthorizationPolicy')) {
    const why = l7Rule(m.body);
    if (!why) continue;
    for (const key of policyTargets(set, m)) at(key)?.l7.push(`${src(m)} has L7 rules (${why})`);
  }
  return out;
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
