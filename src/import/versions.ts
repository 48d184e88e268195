// Several Deployments behind one Service told apart by a `version` pod label (Bookinfo's reviews-v1/v2/v3)
// become the service's `versions:`; a weighted split over them (an HTTPRoute whose backends are per-version
// Services, or a VirtualService over DestinationRule subsets or per-version hosts) becomes their weights.
import { arr, type Json, num, obj, objs, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, type Manifest, namespaceOf, where } from './manifest.ts';
import type { Notes, Path } from './notes.ts';
import { cpuText, type ImportedService, memoryText } from './services.ts';
import type { Workload } from './workload.ts';

/** The label Istio's samples and Kiali use for a workload's version (istio.io docs, "Pods and Services"). */
const VERSION_LABEL = 'version';

/** The workloads of `s` by version label, when it has several and each has its own version. */
export function versionsOf(s: ImportedService): Array<{ name: string; workload: Workload }> | undefined {
  if (s.workloads.length < 2) return undefined;
  const names = s.workloads.map((w) => w.podLabels[VERSION_LABEL]);
  if (names.some((n) => n === undefined) || new Set(names).size !== names.length) return undefined;
  return s.workloads.map((w) => ({ name: w.podLabels[VERSION_LABEL]!, workload: w }));
}

/** The version label a per-version Service or a DestinationRule subset selects, if it names one. */
export function versionSelected(labels: Record<string, string> | undefined): string | undefined {
  return labels?.[VERSION_LABEL];
}

/** The DestinationRules whose host is service `key` (`namespace/name`), where its subsets are defined. */
export function subsetRules(inv: Inventory, key: string): Manifest[] {
  return inv.of('DestinationRule').filter((dr) => {
    const host = str(obj(dr.body.spec).host) ?? '';
    return `${host.split('.')[1] ?? namespaceOf(dr)}/${host.split('.')[0]}` === key;
  });
}

interface Split {
  weights: Map<string, number>;
  source: string;
}

/** The weighted split over `s`'s versions that its routes give, if every backend names a version. */
function splitOf(inv: Inventory, s: ImportedService): Split | undefined {
  const kube = (ns: string, name: string) => inv.services.find((k) => k.namespace === ns && k.name === name);
  for (const m of inv.of('HTTPRoute')) {
    const ns = namespaceOf(m);
    const spec = obj(m.body.spec);
    const parent = objs(spec.parentRefs).some(
      (p) => str(p.kind) === 'Service' && `${str(p.namespace) ?? ns}/${str(p.name)}` === s.key,
    );
    if (!parent) continue;
    for (const rule of objs(spec.rules)) {
      const backends = objs(rule.backendRefs);
      if (backends.length < 2) continue;
      const weights = new Map<string, number>();
      for (const b of backends) {
        const v = versionSelected(kube(str(b.namespace) ?? ns, str(b.name) ?? '')?.selector);
        if (v === undefined) return undefined;
        // Gateway API: weight defaults to 1 (gateway.networking.k8s.io/v1 BackendRef.weight).
        weights.set(v, (weights.get(v) ?? 0) + (num(b.weight) ?? 1));
      }
      return { weights, source: `${describe(m)} (${where(m.source)})` };
    }
  }
  for (const m of inv.of('VirtualService')) {
    const ns = namespaceOf(m);
    const spec = obj(m.body.spec);
    const hosts = arr(spec.hosts).map((h) => str(h) ?? '');
    if (!hosts.some((h) => `${h.split('.')[1] ?? ns}/${h.split('.')[0]}` === s.key)) continue;
    const subsets = new Map<string, string | undefined>();
    for (const dr of subsetRules(inv, s.key))
      for (const sub of objs(obj(dr.body.spec).subsets))
        subsets.set(str(sub.name) ?? '', versionSelected(obj(sub.labels) as Record<string, string>));
    for (const http of objs(spec.http)) {
      const routes = objs(http.route);
      if (routes.length < 2) continue;
      const weights = new Map<string, number>();
      for (const r of routes) {
        const d = obj(r.destination);
        const sub = str(d.subset);
        const host = str(d.host) ?? '';
        const v =
          sub !== undefined
            ? subsets.get(sub)
            : versionSelected(kube(host.split('.')[1] ?? ns, host.split('.')[0] ?? '')?.selector);
        if (v === undefined) return undefined;
        // Istio: a destination without a weight in a multi-destination route gets 0 (networking/v1 HTTPRouteDestination).
        weights.set(v, (weights.get(v) ?? 0) + (num(r.weight) ?? 0));
      }
      return { weights, source: `${describe(m)} (${where(m.source)})` };
    }
  }
  return undefined;
}

/**
 * Writes `versions:` in place of `replicas` on `raw` when `s` is several versions; returns whether a
 * weighted split was written as their weights (then it is no longer an unrepresented note).
 */
export function applyVersions(
  inv: Inventory,
  s: ImportedService,
  raw: Json,
  path: Path,
  notes: Notes,
): boolean {
  const versions = versionsOf(s);
  if (!versions) return false;
  const split = splitOf(inv, s);
  const known = split && [...split.weights.keys()].every((v) => versions.some((x) => x.name === v));
  const base = obj(obj(raw.resources).requests);
  raw.versions = versions.map(({ name, workload: w }, i) => {
    const v: Json = { name, replicas: w.replicas ?? 1 };
    if (known) v.weight = split.weights.get(name) ?? 0;
    const requests: Json = {};
    if (w.requests.cpu !== undefined && cpuText(w.requests.cpu) !== base.cpu)
      requests.cpu = cpuText(w.requests.cpu);
    if (w.requests.memory !== undefined && memoryText(w.requests.memory) !== base.memory)
      requests.memory = memoryText(w.requests.memory);
    if (Object.keys(requests).length > 0) v.resources = { requests };
    notes.before([...path, 'versions', i], `from ${w.kind} ${w.name} (${where(w.manifest.source)})`);
    return v;
  });
  delete raw.replicas;
  if (known) notes.before([...path, 'versions'], `weights from ${split.source}`);
  return known === true;
}
