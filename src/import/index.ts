// The import layer: Kubernetes manifests -> a scenario file, and the inventory the checks read.
export { type Imported, type ImportOptions, importScenario } from './build.ts';
export { arr, isObj, type Json, num, obj, objs, str } from './fields.ts';
export { inferCalls, type Proposal } from './infer.ts';
export {
  type Inventory,
  inventory,
  type KubeService,
  namespaceLabels,
  type PodMode,
  podMode,
  selectedWorkloads,
  serviceWaypoint,
  USED_KINDS,
} from './inventory.ts';
export { describe, type Manifest, namespaceOf, type SourceRef, where } from './manifest.ts';
export { WAYPOINT_CLASS } from './mesh-objects.ts';
export { type Origin, parsePath, toOverlayErrors } from './origins.ts';
export { type Overlay, readOverlay } from './overlay.ts';
export { manifestFiles, parseManifests, readManifests } from './read.ts';
export { l7Rule, policyTargets } from './routing.ts';
export { type Probe, readWorkload, type Workload } from './workload.ts';
