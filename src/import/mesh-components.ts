// Istio's own pods when the manifests include them (a `kubectl get -A` dump or `helm template` of the
// charts): the waypoint Deployments Istio generated, ztunnel, istio-cni and istiod. Their replicas and
// resources replace meshsim's defaults, so the simulated mesh is the one the cluster runs.
import type { Json } from './fields.ts';
import type { Inventory } from './inventory.ts';
import { where } from './manifest.ts';
import type { Notes } from './notes.ts';
import { cpuText, memoryText } from './services.ts';
import type { Workload } from './workload.ts';

/** Label Istio puts on the pods it deploys for a Gateway (istio.io/latest/docs/ambient/usage/waypoint/). */
const GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';

/** A workload's requests and limits as the scenario's `resources`; undefined when it sets none. */
export function resourceSpec(w: Workload): Json | undefined {
  const part = (q: { cpu?: number; memory?: number }) => {
    const out: Json = {};
    if (q.cpu !== undefined) out.cpu = cpuText(q.cpu);
    if (q.memory !== undefined) out.memory = memoryText(q.memory);
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const requests = part(w.requests);
  const limits = part(w.limits);
  if (!requests && !limits) return undefined;
  return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}

/** Fills replicas and resources of imported waypoints from their generated Deployments. */
export function waypointDeployments(inv: Inventory, waypoints: Json[], notes: Notes): void {
  waypoints.forEach((wp, i) => {
    const d = inv.workloads.find(
      (w) => w.kind === 'Deployment' && w.namespace === wp.namespace && w.podLabels[GATEWAY_NAME] === wp.name,
    );
    if (!d) {
      notes.before(
        ['waypoints', i],
        'replicas and resources: mesh.waypoint.defaults (assumed; no generated Deployment in the manifests)',
      );
      return;
    }
    wp.replicas = d.replicas ?? 1;
    const res = resourceSpec(d);
    if (res) wp.resources = res;
    notes.before(
      ['waypoints', i],
      `replicas and resources from Deployment ${d.namespace}/${d.name} (${where(d.manifest.source)})`,
    );
  });
}

/** `mesh:` settings read from ztunnel, istio-cni and istiod manifests; undefined when none is present. */
export function meshFromComponents(inv: Inventory, notes: Notes): Json | undefined {
  const find = (kind: Workload['kind'], name: string) =>
    inv.workloads.find((w) => w.kind === kind && w.name === name);
  const mesh: Json = {};
  const ztunnel = find('DaemonSet', 'ztunnel');
  const cni = find('DaemonSet', 'istio-cni-node');
  const istiod = find('Deployment', 'istiod');
  const read: string[] = [];
  if (ztunnel && resourceSpec(ztunnel)) {
    mesh.ztunnel = { resources: resourceSpec(ztunnel) };
    read.push(`ztunnel (${where(ztunnel.manifest.source)})`);
  }
  if (cni && resourceSpec(cni)) {
    mesh.istioCni = { resources: resourceSpec(cni) };
    read.push(`istio-cni (${where(cni.manifest.source)})`);
  }
  if (istiod) {
    mesh.istiod = {
      replicas: istiod.replicas ?? 1,
      ...(resourceSpec(istiod) ? { resources: resourceSpec(istiod) } : {}),
    };
    read.push(`istiod (${where(istiod.manifest.source)})`);
  }
  if (read.length === 0) return undefined;
  notes.before(['mesh'], `from the manifests of ${read.join(', ')}; the rest of mesh: meshsim's defaults`);
  return mesh;
}
