import { DEFAULT_MESH } from '../defaults.ts';
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { MeshSettings } from '../types.ts';
import { normaliseIstiodAutoscaling } from './autoscaling.ts';
import { mergeResources, overlay } from './merge.ts';

export function normaliseMesh(raw: RawScenario['mesh'], problems: Problems): MeshSettings {
  const d = DEFAULT_MESH;
  const { version, sidecar, ztunnel, waypoint, istioCni, istiod } = raw ?? {};
  return {
    version: version ?? d.version,
    sidecar: {
      resources: mergeResources(d.sidecar.resources, sidecar?.resources),
      workers: sidecar?.workers ?? d.sidecar.workers,
      scope: sidecar?.scope ?? d.sidecar.scope,
      cost: overlay(d.sidecar.cost, sidecar?.cost),
    },
    ztunnel: {
      resources: mergeResources(d.ztunnel.resources, ztunnel?.resources),
      workers: ztunnel?.workers ?? d.ztunnel.workers,
      cost: overlay(d.ztunnel.cost, ztunnel?.cost),
      hbonePoolStreams: ztunnel?.hbonePoolStreams ?? d.ztunnel.hbonePoolStreams,
    },
    waypoint: {
      cost: overlay(d.waypoint.cost, waypoint?.cost),
      defaults: {
        replicas: waypoint?.defaults?.replicas ?? d.waypoint.defaults.replicas,
        resources: mergeResources(d.waypoint.defaults.resources, waypoint?.defaults?.resources),
        workers: waypoint?.defaults?.workers ?? d.waypoint.defaults.workers,
      },
    },
    istioCni: {
      resources: mergeResources(d.istioCni.resources, istioCni?.resources),
      enabledInSidecarMode: istioCni?.enabledInSidecarMode ?? d.istioCni.enabledInSidecarMode,
      usage: overlay(d.istioCni.usage, istioCni?.usage),
    },
    istiod: {
      ...overlay(d.istiod, { ...istiod, resources: undefined, autoscaling: undefined }),
      resources: mergeResources(d.istiod.resources, istiod?.resources),
      autoscaling: normaliseIstiodAutoscaling(istiod?.autoscaling, problems),
    },
  };
}
