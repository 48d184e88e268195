// The control plane: istiod's CPU follows the config pushes it makes (each change goes to every proxy
// that must know it: every ztunnel and waypoint in ambient, the sidecars that see it), its memory
// the size of the mesh and the proxies connected to it. Terms and their sources: scenario/defaults.ts
// (memory: the ambient sizing model's base, service, pod and config terms, the per-proxy term fitted to
// Istio 1.20's published 1.5 GB at 1,000 services and 2,000 sidecars; CPU: 1 vCPU at that point under an
// assumed 1 change/s). What istiod uses is reported; its 2 Gi request is only used for placement.
import type { MeshSettings } from '../scenario/index.ts';

export interface ControlPlaneLoad {
  /** Proxies connected over xDS: sidecars, or ztunnels plus waypoints. */
  proxies: number;
  services: number;
  pods: number;
  /** Config objects (waypoints, Sidecar resources, ...). */
  configObjects: number;
  /**
   * Proxies a change of the steady churn reaches on average: every one but scoped sidecars, which count
   * for their share (churn-share.ts). Unset: every proxy.
   */
  steadyReach?: number;
  /**
   * Proxies a change of a routing or policy object reaches on average: waypoints, and sidecars for their
   * share; no ztunnel (churn-share.ts). Unset: every proxy.
   */
  objectReach?: number;
}

export interface ControlPlaneUsage {
  cpu: number;
  memory: number;
  pushesPerSecond: number;
}

export function istiodUsage(mesh: MeshSettings, load: ControlPlaneLoad): ControlPlaneUsage {
  const d = mesh.istiod;
  if (load.proxies === 0) return { cpu: 0, memory: 0, pushesPerSecond: 0 };
  const pushesPerSecond =
    d.configChangesPerSecond * (load.steadyReach ?? load.proxies) +
    d.configObjectChangesPerSecond * (load.objectReach ?? load.proxies);
  const memory = Math.max(
    d.memoryMin,
    d.memoryBase +
      d.memoryPerService * load.services +
      d.memoryPerPod * load.pods +
      d.memoryPerConfig * load.configObjects +
      d.memoryPerProxy * load.proxies,
  );
  return { cpu: pushesPerSecond * d.cpuPerPush, memory, pushesPerSecond };
}
