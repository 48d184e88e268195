// Which DestinationRule a service's traffic gets, as istiod chooses it for a caller of the service
// (istio/istio 1.28.0 pilot/pkg/model/push_context.go destinationRule): the most specific host match among
// the rules of the service's namespace, else among those of the mesh's root namespace (an exact host
// before the longest wildcard that matches: MostSpecificHostMatch). A root-namespace rule whose wildcard
// matches every service (`*`, `*.local`, `*.cluster.local`, `*.svc.cluster.local`) is the mesh-wide
// `mesh.trafficPolicy`; any other wildcard rule is copied onto each service it decides.
// ASSUMPTIONS: the root namespace is istio-system and the cluster domain cluster.local (meshConfig's
// defaults, pkg/config/mesh/mesh.go DefaultMeshConfig). A rule in a third namespace applies in Istio only
// to callers in that namespace (step 1 of destinationRule); meshsim has one policy per service, so such a
// rule is used only where neither the service's namespace nor the root namespace has one, and is noted.
// exportTo is not read.
import { destinationPolicy } from './destination-policy.ts';
import { type Json, obj, objs, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, type Manifest, namespaceOf, where } from './manifest.ts';
import type { ServiceSet } from './services.ts';

export const ROOT_NAMESPACE = 'istio-system';
const CLUSTER_DOMAIN = 'cluster.local';
const MESH_WIDE = new Set(['*', '*.local', `*.${CLUSTER_DOMAIN}`, `*.svc.${CLUSTER_DOMAIN}`]);

export interface ChosenRule {
  /** The service's trafficPolicy as the scenario writes it (destination-policy.ts), if any is kept. */
  policy?: Json;
  /** Notes on what of the rule was not kept, or how it was applied. */
  notes: string[];
}

export interface DestinationRules {
  /** Scenario service key -> the rule its callers get, when it is not the mesh-wide one. */
  byService: Map<string, ChosenRule>;
  /** The root namespace's catch-all rule, if any. */
  mesh?: ChosenRule;
  /** Rules that decide no service, one phrase each. */
  unused: string[];
}

interface Rule {
  m: Manifest;
  ns: string;
  /** The fully qualified host, or a wildcard pattern `*` / `*.suffix`. */
  host: string;
}

const src = (m: Manifest) => `${describe(m)} (${where(m.source)})`;

/** A short host is relative to the rule's namespace (istiod's ResolveShortnameToFQDN). */
function qualify(host: string, ns: string): string {
  if (host.startsWith('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${ns}.svc.${CLUSTER_DOMAIN}`;
  if (parts.length === 2) return `${host}.svc.${CLUSTER_DOMAIN}`;
  return host;
}

/** How specifically `host` names `fqdn`: -1 not at all, else exact above any wildcard, longer first. */
function specificity(host: string, fqdn: string): number {
  if (host === fqdn) return Number.MAX_SAFE_INTEGER;
  if (host === '*') return 0;
  return host.startsWith('*.') && fqdn.endsWith(host.slice(1)) ? host.length : -1;
}

function chosen(rule: Rule): ChosenRule {
  const spec = obj(rule.m.body.spec);
  const notes: string[] = [];
  const subsets = objs(spec.subsets).map((s) => str(s.name));
  if (subsets.length > 0) notes.push(`${src(rule.m)} defines subsets ${subsets.join(', ')}`);
  // A subset's own policy applies to its cluster (util.go MergeSubsetTrafficPolicy), which only a weighted
  // route reaches: written on its version where the versions are weighted (subset-policies.ts).
  const own = objs(spec.subsets).filter((s) => s.trafficPolicy !== undefined);
  if (own.length > 0)
    notes.push(
      `${src(rule.m)} subset trafficPolicy (${own.map((s) => str(s.name)).join(', ')}): a subset's cluster is reached only through a weighted split over the versions`,
    );
  const { policy, dropped } = destinationPolicy(spec.trafficPolicy);
  if (dropped.length > 0) notes.push(`${src(rule.m)} trafficPolicy: ${dropped.join(', ')}`);
  return { ...(policy ? { policy } : {}), notes };
}

export function destinationRules(inv: Inventory, set: ServiceSet): DestinationRules {
  const rules: Rule[] = inv.of('DestinationRule').map((m) => {
    const ns = namespaceOf(m);
    return { m, ns, host: qualify(str(obj(m.body.spec).host) ?? '', ns) };
  });
  const byService = new Map<string, ChosenRule & { rule: Rule }>();
  const unused: string[] = [];
  const meshRule = rules.find((r) => r.ns === ROOT_NAMESPACE && MESH_WIDE.has(r.host));
  const used = new Set<Rule>(meshRule ? [meshRule] : []);
  const best = (candidates: Rule[], fqdn: string) => {
    let pick: Rule | undefined;
    let score = -1;
    for (const r of candidates) {
      const s = specificity(r.host, fqdn);
      if (s > score) [pick, score] = [r, s];
    }
    return pick;
  };
  // Every Kubernetes Service name, an alias (a per-version Service) included, for the scenario service
  // that holds its pods.
  const names = [
    ...set.services.map((s) => [s.key, s.key] as const),
    ...[...set.alias].map(([alias, holder]) => [alias, holder] as const),
  ];
  for (const [name, key] of names) {
    const [ns, svc] = name.split('/') as [string, string];
    const fqdn = `${svc}.${ns}.svc.${CLUSTER_DOMAIN}`;
    const other = best(
      rules.filter((r) => r.ns !== ns && r.ns !== ROOT_NAMESPACE && !r.host.startsWith('*')),
      fqdn,
    );
    const rule =
      best(
        rules.filter((r) => r.ns === ns),
        fqdn,
      ) ??
      best(
        rules.filter((r) => r.ns === ROOT_NAMESPACE),
        fqdn,
      ) ??
      other;
    if (!rule) continue;
    if (byService.has(key)) {
      // A per-version Service (an alias) whose holder's rule is kept already.
      if (rule !== byService.get(key)!.rule && !used.has(rule))
        unused.push(`${src(rule.m)} decides ${name}, one version of ${key}, whose own rule meshsim keeps`);
      used.add(rule);
      continue;
    }
    used.add(rule);
    if (rule === meshRule) continue;
    const c = { ...chosen(rule), rule };
    if (rule === other)
      c.notes.push(
        `${src(rule.m)} applies in Istio to callers in ${rule.ns} only; meshsim applies it to all`,
      );
    byService.set(key, c);
  }
  for (const r of rules)
    if (!used.has(r)) unused.push(`${src(r.m)} (host ${r.host}) decides no imported service`);
  return { byService, ...(meshRule ? { mesh: chosen(meshRule) } : {}), unused };
}
