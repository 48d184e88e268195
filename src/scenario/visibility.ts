// Which services an Envoy of a namespace is given, as istiod decides it (istio/istio 1.28.0):
// - a Service is exported where its networking.istio.io/exportTo annotation says, else where
//   meshConfig.defaultServiceExportTo says (pilot/pkg/model/push_context.go initServiceRegistry, which
//   indexes each service as public, private to its namespace or exported to named namespaces, and
//   servicesExportedToNamespace, which every SidecarScope starts from);
// - a sidecar without a Sidecar resource imports every service exported to its namespace (egress `*/*`,
//   pilot/pkg/model/sidecar.go initSidecarScopeInternalIndexes); one with a Sidecar resource those of
//   them its egress hosts match (convertIstioListenerToWrapper, selectServices: `.` is the sidecar's own
//   namespace, a host `ns/name` matches a service of namespace ns, `*/name` of any; names match as
//   pkg/config/host/name.go SubsetOf: `*` any, `*.suffix` by suffix, else exactly);
// - a gateway sees every service exported to its namespace (DefaultSidecarScopeForGateway).
import type { Scenario, Service, SidecarScope } from './types.ts';

/**
 * The cluster's DNS domain when the scenario gives none: istiod's default domain suffix (istio/istio 1.28.0
 * pkg/config/constants/constants.go DefaultClusterLocalDomain) and the kubelet's usual clusterDomain.
 */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';

/** A service's host name, `name.namespace.svc.<domain>`, which Sidecar egress hosts are matched against. */
export function hostname(s: Scenario, svc: Service): string {
  return `${svc.name}.${svc.namespace}.svc.${s.cluster.domain ?? DEFAULT_CLUSTER_DOMAIN}`;
}

/**
 * Whether istiod gives service `svc` to proxies of namespace `ns`. Without an annotation the mesh default
 * decides, `.` before `*`, and a default naming neither exports it nowhere (initServiceRegistry indexes it
 * in neither list). With one, `*` makes it public, else `~` hides it everywhere, else each entry (`.` or a
 * namespace) exports it there.
 */
export function exportedTo(s: Scenario, svc: Service, ns: string): boolean {
  const own = svc.namespace === ns;
  const list = svc.exportTo;
  if (!list) {
    const d = s.mesh.defaultServiceExportTo;
    if (!d) return true;
    if (d.includes('.')) return own;
    return d.includes('*');
  }
  if (list.includes('*')) return true;
  if (list.includes('~')) return false;
  for (const e of list) if (e === ns || (e === '.' && own)) return true;
  return false;
}

/** True when some service is not exported to every namespace (so views differ by namespace). */
export function anyRestricted(s: Scenario): boolean {
  const d = s.mesh.defaultServiceExportTo;
  if (d && (d.includes('.') || !d.includes('*'))) return true;
  return s.services.some((x) => x.exportTo !== undefined && !x.exportTo.includes('*'));
}

const visibleCache = new WeakMap<Scenario, Map<string, ReadonlySet<string> | null>>();

/** The keys of the services exported to namespace `ns`; null when that is every service of the scenario. */
export function visibleTo(s: Scenario, ns: string): ReadonlySet<string> | null {
  let byNs = visibleCache.get(s);
  if (!byNs) {
    byNs = new Map();
    visibleCache.set(s, byNs);
  }
  let out = byNs.get(ns);
  if (out === undefined) {
    out = anyRestricted(s) ? new Set(s.services.filter((x) => exportedTo(s, x, ns)).map((x) => x.key)) : null;
    byNs.set(ns, out);
  }
  return out;
}

/** Whether host name `h` falls under an egress host's name `pattern` (SubsetOf, `h` never a wildcard). */
function nameMatches(h: string, pattern: string): boolean {
  if (pattern.startsWith('*')) return h.endsWith(pattern.slice(1));
  return h === pattern;
}

/** Egress hosts by their namespace (`.` read as `ns`), the names of each. */
function hostsByNamespace(ns: string, hosts: readonly string[]): Map<string, string[]> {
  const byNs = new Map<string, string[]>();
  for (const h of hosts) {
    const cut = h.indexOf('/');
    const hostNs = h.slice(0, cut) === '.' ? ns : h.slice(0, cut);
    const names = byNs.get(hostNs);
    if (names) names.push(h.slice(cut + 1));
    else byNs.set(hostNs, [h.slice(cut + 1)]);
  }
  return byNs;
}

function imports(s: Scenario, ns: string, byNs: Map<string, string[]>, svc: Service): boolean {
  const own = byNs.get(svc.namespace);
  const any = byNs.get('*');
  if ((!own && !any) || !exportedTo(s, svc, ns)) return false;
  const h = hostname(s, svc);
  return (own?.some((p) => nameMatches(h, p)) ?? false) || (any?.some((p) => nameMatches(h, p)) ?? false);
}

/**
 * The keys of the services a sidecar of namespace `ns` imports through a Sidecar resource's egress
 * `hosts`: those exported to `ns` that a host of their own namespace, or of `*`, matches. A `~/...` host
 * imports nothing (no namespace is called `~`).
 */
export function egressImports(s: Scenario, ns: string, hosts: readonly string[]): ReadonlySet<string> {
  // Asked per sidecar owner, often with the namespace's one Sidecar: computed once per (namespace, hosts).
  let byKey = importsCache.get(s);
  if (!byKey) {
    byKey = new Map();
    importsCache.set(s, byKey);
  }
  const key = `${ns}\n${hosts.join('\n')}`;
  let out = byKey.get(key);
  if (!out) {
    const byNs = hostsByNamespace(ns, hosts);
    const set = new Set<string>();
    for (const svc of s.services) if (imports(s, ns, byNs, svc)) set.add(svc.key);
    byKey.set(key, set);
    out = set;
  }
  return out;
}

const importsCache = new WeakMap<Scenario, Map<string, ReadonlySet<string>>>();

/** Whether a sidecar of namespace `ns` with scope `scope` (SidecarScope) is given service `svc`. */
export function sidecarSees(s: Scenario, ns: string, scope: SidecarScope, svc: Service): boolean {
  if (scope === 'mesh' || scope === 'callees') return exportedTo(s, svc, ns);
  return imports(s, ns, hostsByNamespace(ns, scope), svc);
}
