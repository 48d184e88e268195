import { DEFAULT_MESH } from '../defaults.ts';
import type { RawScenario } from '../schema/index.ts';
import type { MeshSettings } from '../types.ts';
import { mergeResources, overlay } from './merge.ts';

export function normaliseMesh(raw: RawScenario['mesh']): MeshSettings {
  const d = DEFAULT_MESH;
  const { version, sidecar, ztunnel, waypoint, istioCni, istiod, idle } = raw ?? {};
  return {
    version: version ?? d.version,
    sidecar: {
      resources: mergeResources(d.sidecar.resources, sidecar?.resources),
      ...(sidecar?.workers !== undefined && { workers: sidecar.workers }),
      scope: sidecar?.scope ?? d.sidecar.scope,
      cost: overlay(d.sidecar.cost, sidecar?.cost),
    },
    ztunnel: {
      resources: mergeResources(d.ztunnel.resources, ztunnel?.resources),
      ...(ztunnel?.workers !== undefined && { workers: ztunnel.workers }),
      cost: overlay(d.ztunnel.cost, ztunnel?.cost),
      hbonePoolStreams: ztunnel?.hbonePoolStreams ?? d.ztunnel.hbonePoolStreams,
    },
    waypoint: {
      cost: overlay(d.waypoint.cost, waypoint?.cost),
      defaults: {
        replicas: waypoint?.defaults?.replicas ?? d.waypoint.defaults.replicas,
        resources: mergeResources(d.waypoint.defaults.resources, waypoint?.defaults?.resources),
        ...(waypoint?.defaults?.workers !== undefined && { workers: waypoint.defaults.workers }),
      },
    },
    // Only what the scenario sets: the defaults and their sources live in src/mesh/idle.ts.
    idle: Object.fromEntries(Object.entries(idle ?? {}).filter(([, v]) => v !== undefined)),
    istioCni: {
      resources: mergeResources(d.istioCni.resources, istioCni?.resources),
      enabledInSidecarMode: istioCni?.enabledInSidecarMode ?? d.istioCni.enabledInSidecarMode,
      usage: overlay(d.istioCni.usage, istioCni?.usage),
    },
    istiod: {
      ...overlay(d.istiod, { ...istiod, resources: undefined }),
      resources: mergeResources(d.istiod.resources, istiod?.resources),
    },
  };
}
