// Namespaces (declared, or implied by a service or waypoint) with the data-plane mode their labels ask
// for, and the waypoints deployed in them.

import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { DataplaneMode, MeshSettings, Namespace, Waypoint } from '../types.ts';
import { normaliseAutoscaling } from './autoscaling.ts';
import { mergeResources } from './merge.ts';

export const INJECTION = 'istio-injection';
export const DATAPLANE_MODE = 'istio.io/dataplane-mode';
export const USE_WAYPOINT = 'istio.io/use-waypoint';
/** Read as istiod reads it (mesh/route.ts ingressUsesWaypoint): "true" in any case opts in. */
export const INGRESS_USE_WAYPOINT = 'istio.io/ingress-use-waypoint';

function modeOf(labels: Record<string, string>, at: PropertyKey[], problems: Problems): DataplaneMode {
  const sidecar = labels[INJECTION] === 'enabled';
  const ambient = labels[DATAPLANE_MODE] === 'ambient';
  if (sidecar && ambient) {
    // Istio itself lets ambient win; a scenario meaning both is more likely a mistake, so say so.
    problems.add([...at, 'labels'], `either ${INJECTION}: enabled or ${DATAPLANE_MODE}: ambient, not both`);
  }
  return ambient ? 'ambient' : sidecar ? 'sidecar' : 'none';
}

export function normaliseNamespaces(raw: RawScenario, problems: Problems): Namespace[] {
  const out: Namespace[] = [];
  const seen = new Set<string>();
  (raw.namespaces ?? []).forEach((ns, i) => {
    const at = ['namespaces', i];
    if (seen.has(ns.name)) problems.add([...at, 'name'], 'a namespace name not declared before');
    seen.add(ns.name);
    const labels = { ...ns.labels };
    const namespace: Namespace = { name: ns.name, labels, mode: modeOf(labels, at, problems) };
    if (ns.mtls) namespace.mtls = ns.mtls;
    if (labels[USE_WAYPOINT] !== undefined) namespace.useWaypoint = labels[USE_WAYPOINT];
    if (labels[INGRESS_USE_WAYPOINT] !== undefined)
      namespace.ingressUseWaypoint = labels[INGRESS_USE_WAYPOINT];
    out.push(namespace);
  });
  // A namespace a service lives in but nobody declared exists with no labels, as kubectl would create it.
  for (const s of raw.services) {
    if (!seen.has(s.namespace)) out.push({ name: s.namespace, labels: {}, mode: 'none' });
    seen.add(s.namespace);
  }
  return out;
}

/** Checks the namespaces' istio.io/use-waypoint labels once waypoints are known. */
export function checkNamespaceWaypoints(raw: RawScenario, waypoints: Waypoint[], problems: Problems): void {
  const names = waypoints.map((w) => w.name);
  (raw.namespaces ?? []).forEach((ns, i) => {
    const wp = ns.labels?.[USE_WAYPOINT];
    if (wp !== undefined && wp !== 'none' && !names.includes(wp)) {
      problems.add(['namespaces', i, 'labels', USE_WAYPOINT], 'the name of a declared waypoint', {
        candidates: names,
      });
    }
  });
}

export function normaliseWaypoints(
  raw: RawScenario,
  namespaces: Namespace[],
  mesh: MeshSettings,
  problems: Problems,
): Waypoint[] {
  const known = namespaces.map((n) => n.name);
  const seen = new Set<string>();
  const d = mesh.waypoint.defaults;
  return (raw.waypoints ?? []).map((w, i) => {
    const at = ['waypoints', i];
    if (seen.has(w.name)) problems.add([...at, 'name'], 'a waypoint name not used before');
    seen.add(w.name);
    if (!known.includes(w.namespace)) {
      problems.add([...at, 'namespace'], 'a declared namespace (or one a service is in)', {
        candidates: known,
      });
    }
    const out: Waypoint = {
      name: w.name,
      namespace: w.namespace,
      for: w.for,
      replicas: w.replicas ?? d.replicas,
      resources: mergeResources(d.resources, w.resources),
      ...((w.workers ?? d.workers) !== undefined && { workers: w.workers ?? d.workers }),
    };
    const autoscaling = normaliseAutoscaling(w.autoscaling, [...at, 'autoscaling'], problems);
    if (autoscaling) out.autoscaling = autoscaling;
    return out;
  });
}
