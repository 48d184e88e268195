// The control plane: istiod's CPU follows the config pushes it makes (each change goes to every proxy
// that must know it), its memory the size of the mesh (sizing model, scenario/defaults.ts).
import type { MeshSettings } from '../scenario/index.ts';

export interface ControlPlaneLoad {
  /** Proxies connected over xDS: sidecars, or ztunnels plus waypoints. */
  proxies: number;
  services: number;
  pods: number;
  /** Config objects (waypoints, Sidecar resources, ...). */
  configObjects: number;
}

export interface ControlPlaneUsage {
  cpu: number;
  memory: number;
  pushesPerSecond: number;
}

export function istiodUsage(mesh: MeshSettings, load: ControlPlaneLoad): ControlPlaneUsage {
  const d = mesh.istiod;
  if (load.proxies === 0) return { cpu: 0, memory: 0, pushesPerSecond: 0 };
  const pushesPerSecond = d.configChangesPerSecond * load.proxies;
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
