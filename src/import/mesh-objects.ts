// Namespaces (their mesh labels) and waypoints: Gateway API Gateways of class istio-waypoint (ingress
// Gateways are ingresses.ts's).
import { type Json, obj, str } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { describe, namespaceOf, where } from './manifest.ts';
import type { Notes, Path } from './notes.ts';
import { namespaceMtls } from './peer-authentication.ts';

// istio.io/ingress-use-waypoint: an ingress gateway sends the namespace's services' traffic through their
// waypoint (istio.io/latest/docs/ambient/usage/waypoint/, "Ingress use of waypoints").
const MESH_LABELS = [
  'istio-injection',
  'istio.io/dataplane-mode',
  'istio.io/use-waypoint',
  'istio.io/ingress-use-waypoint',
] as const;
const WAYPOINT_FOR = new Set(['service', 'workload', 'all']);

export interface Waypoints {
  raw: Json[];
  /** Waypoint names the scenario declares. */
  names: Set<string>;
}

/** Gateway class of Istio's waypoints (istio.io/latest/docs/ambient/usage/waypoint/). */
export const WAYPOINT_CLASS = 'istio-waypoint';

export function importWaypoints(inv: Inventory, notes: Notes): Waypoints {
  const raw: Json[] = [];
  const names = new Set<string>();
  for (const g of inv.of('Gateway')) {
    if (str(obj(g.body.spec).gatewayClassName) !== WAYPOINT_CLASS) continue;
    const path = ['waypoints', raw.length];
    // istio.io/waypoint-for selects the traffic a waypoint takes; `service` when absent
    // (istio.io/latest/docs/ambient/usage/waypoint/#waypoint-traffic-types).
    const forWhat = g.labels['istio.io/waypoint-for'] ?? 'service';
    if (names.has(g.name)) {
      notes.header.push(
        `${describe(g)} (${where(g.source)}): a second waypoint named ${g.name}; the scenario needs unique names, not imported`,
      );
      continue;
    }
    if (!WAYPOINT_FOR.has(forWhat)) {
      notes.header.push(
        `${describe(g)} (${where(g.source)}): istio.io/waypoint-for=${forWhat} takes no traffic; not imported`,
      );
      continue;
    }
    names.add(g.name);
    raw.push({ name: g.name, namespace: namespaceOf(g), for: forWhat });
    notes.before(path, `from ${describe(g)} (${where(g.source)})`);
  }
  return { raw, names };
}

/**
 * A Service's waypoint labels as the scenario service's `labels`: istio.io/use-waypoint when it names a
 * waypoint the manifests declare (or `none`), istio.io/ingress-use-waypoint as written.
 */
export function serviceMeshLabels(
  labels: Record<string, string>,
  raw: Json,
  waypoints: Waypoints,
  path: Path,
  notes: Notes,
): void {
  const out: Record<string, string> = {};
  const wp = labels['istio.io/use-waypoint'];
  if (wp !== undefined && (wp === 'none' || waypoints.names.has(wp))) out['istio.io/use-waypoint'] = wp;
  else if (wp !== undefined)
    notes.before(
      path,
      `istio.io/use-waypoint=${wp} names no waypoint Gateway in these manifests: label dropped`,
    );
  const ingress = labels['istio.io/ingress-use-waypoint'];
  if (ingress !== undefined) out['istio.io/ingress-use-waypoint'] = ingress;
  if (Object.keys(out).length > 0) raw.labels = out;
}

export function importNamespaces(
  inv: Inventory,
  used: readonly string[],
  waypoints: Waypoints,
  notes: Notes,
): Json[] {
  const declared = inv.of('Namespace');
  const names = [...new Set([...declared.map((m) => m.name), ...used])].sort();
  return names.map((name, i) => {
    const m = declared.find((d) => d.name === name);
    const labels: Record<string, string> = {};
    for (const k of MESH_LABELS) if (m?.labels[k] !== undefined) labels[k] = m.labels[k]!;
    const path = ['namespaces', i];
    const rev = m?.labels['istio.io/rev'];
    if (rev !== undefined && labels['istio-injection'] === undefined) {
      labels['istio-injection'] = 'enabled';
      notes.before(
        path,
        `istio.io/rev=${rev}: revision-based injection, modelled as istio-injection=enabled (revisions are not modelled)`,
      );
    }
    if (!m) notes.before(path, 'no Namespace object in the manifests: no mesh labels (assumed)');
    if (labels['istio-injection'] === 'enabled' && labels['istio.io/dataplane-mode'] === 'ambient') {
      // A pod that carries a sidecar is left alone by ztunnel (istio.io/latest/docs/ambient/usage/add-workloads/),
      // so injection wins; the scenario format rejects both labels at once.
      delete labels['istio.io/dataplane-mode'];
      notes.before(
        path,
        `${name} has both istio-injection=enabled and istio.io/dataplane-mode=ambient: injected pods are not captured by ztunnel, so sidecar mode is kept`,
      );
    }
    const wp = labels['istio.io/use-waypoint'];
    if (wp !== undefined && wp !== 'none' && !waypoints.names.has(wp)) {
      delete labels['istio.io/use-waypoint'];
      notes.before(
        path,
        `istio.io/use-waypoint=${wp} names no waypoint Gateway in these manifests: label dropped`,
      );
    }
    const mtls = namespaceMtls(inv, name);
    return { name, ...(Object.keys(labels).length > 0 ? { labels } : {}), ...(mtls ? { mtls } : {}) };
  });
}
