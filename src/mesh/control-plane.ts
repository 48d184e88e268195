// What the mesh's non-proxy components use, which the simulator does not run request by request: the
// istio-cni node agent (a base plus a term per pod on its node, scenario/defaults.ts ISTIO_CNI_USAGE,
// overridable from mesh.istioCni.usage) and istiod, whose load follows from the proxies and objects it
// must configure (istiod.ts).
import type { PlacedPod, Placement } from '../cluster/index.ts';
import type { MeshSettings, Resources, Scenario } from '../scenario/index.ts';
import { sidecarChurnShare } from './churn-share.ts';
import type { ControlPlaneLoad } from './istiod.ts';

/**
 * What a placed pod of a mesh node agent uses while the simulation runs (undefined: not an agent), given
 * how many pods run on each node (podsPerNode): the agent tracks every other pod of its node.
 */
export function nodeAgentUsage(
  pod: PlacedPod,
  mesh: MeshSettings,
  podsOnNode: Int32Array,
): Resources | undefined {
  if (pod.kind !== 'istio-cni' || pod.node < 0) return undefined;
  const u = mesh.istioCni.usage;
  const others = Math.max(0, podsOnNode[pod.node]! - 1);
  return { cpu: u.cpuBase + u.cpuPerPod * others, memory: u.memoryBase + u.memoryPerPod * others };
}

/** Placed pods per node. */
export function podsPerNode(placement: Placement): Int32Array {
  const n = new Int32Array(placement.nodes.length);
  for (const pod of placement.pods) if (pod.node >= 0) n[pod.node]!++;
  return n;
}

/**
 * Whether a pod is itself a proxy connected to istiod (a ztunnel, a waypoint, an ingress gateway); a pod's
 * sidecar (`hasSidecar`) connects too. Only where istiod runs: without a mesh the gateway is a plain Envoy.
 */
export function isIstiodProxyPod(pod: PlacedPod): boolean {
  return pod.kind === 'ztunnel' || pod.kind === 'waypoint' || pod.kind === 'gateway';
}

/**
 * Whether a routing or policy object's change reaches the proxy whatever it names: a waypoint holds its
 * services' routes, and an ingress gateway a cluster for every service it sees, not only those its routes
 * name, unless PILOT_FILTER_GATEWAY_CLUSTER_CONFIG is on (default false: istio/istio 1.28.0
 * pilot/pkg/features/experimental.go).
 */
export function takesEveryObject(pod: PlacedPod): boolean {
  return pod.kind === 'waypoint' || pod.kind === 'gateway';
}

/** What istiod must configure under a placement: every connected proxy, service, pod and config object. */
export function controlPlaneLoad(s: Scenario, placement: Placement): ControlPlaneLoad {
  // No mesh, no istiod (cluster/deploy.ts runs it with sidecars or ztunnel): the ingress gateway is then
  // a plain Envoy, connected to nothing.
  const runsIstiod = placement.pods.some(
    (p) => p.kind === 'istiod' || p.kind === 'ztunnel' || p.kind === 'waypoint' || p.hasSidecar,
  );
  let proxies = 0;
  let pods = 0;
  let steadyReach = 0;
  let objectReach = 0;
  const share = new Map<string, number>();
  for (const pod of placement.pods) {
    if (pod.node < 0) continue;
    pods++;
    if (pod.hasSidecar) {
      proxies++;
      if (!share.has(pod.owner)) share.set(pod.owner, sidecarChurnShare(s, pod.owner));
      steadyReach += share.get(pod.owner)!;
      objectReach += share.get(pod.owner)!;
    }
    if (runsIstiod && isIstiodProxyPod(pod)) {
      proxies++;
      steadyReach++;
      if (takesEveryObject(pod)) objectReach++;
    }
  }
  return {
    proxies,
    steadyReach,
    objectReach,
    services: s.services.length,
    pods,
    configObjects:
      s.waypoints.length +
      s.services.filter((x) => x.sidecarScope === 'callees' || Array.isArray(x.sidecarScope)).length,
  };
}
