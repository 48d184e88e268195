// What the mesh's non-proxy components use, which the simulator does not run request by request: the
// istio-cni node agent (idle, a fixed usage per node, scenario/defaults.ts ISTIO_CNI_USAGE) and istiod,
// whose load follows from the proxies and objects it must configure (istiod.ts).
import type { PlacedPod, Placement } from '../cluster/index.ts';
import { ISTIO_CNI_USAGE } from '../scenario/defaults.ts';
import type { Resources, Scenario } from '../scenario/index.ts';
import type { ControlPlaneLoad } from './istiod.ts';

/** What a placed pod of a mesh node agent uses while the simulation runs (undefined: not an agent). */
export function nodeAgentUsage(pod: PlacedPod): Resources | undefined {
  return pod.kind === 'istio-cni' ? ISTIO_CNI_USAGE : undefined;
}

/** What istiod must configure under a placement: every connected proxy, service, pod and config object. */
export function controlPlaneLoad(s: Scenario, placement: Placement): ControlPlaneLoad {
  let proxies = 0;
  let pods = 0;
  for (const pod of placement.pods) {
    if (pod.node < 0) continue;
    pods++;
    if (pod.hasSidecar) proxies++;
    if (pod.kind === 'ztunnel' || pod.kind === 'waypoint') proxies++;
  }
  return {
    proxies,
    services: s.services.length,
    pods,
    configObjects: s.waypoints.length + s.services.filter((x) => x.sidecarScope === 'callees').length,
  };
}
