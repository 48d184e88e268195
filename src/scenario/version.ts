// The Istio minor versions a scenario may name in `mesh.version`. Behaviour that changed between them
// (waypoint grace period, native sidecars, ...) is keyed on this value by the layers below; the list
// lives here so the loader can reject an unsupported version with a positioned error.

/** Oldest first: 1.22 made ambient mode beta (https://istio.io/latest/news/releases/1.22.x/announcing-1.22/), 1.24 GA. */
export const SUPPORTED_MESH_VERSIONS = ['1.22', '1.23', '1.24', '1.25', '1.26', '1.27', '1.28'] as const;
export type MeshVersion = (typeof SUPPORTED_MESH_VERSIONS)[number];
/** The newest supported version: a scenario that names none is modelled as a current install. */
export const DEFAULT_MESH_VERSION: MeshVersion = '1.28';

/** Kubernetes minor versions `cluster.kubernetesVersion` may name (node failure detection depends on it). */
export const SUPPORTED_KUBERNETES_VERSIONS = ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34'] as const;
/** A current managed cluster (A: EKS, GKE and AKS all offered 1.33 in 2026). */
export const DEFAULT_KUBERNETES_VERSION = '1.33';

/** The next minor version ("1.26" -> "1.27"): the default target of a control-plane upgrade. */
export function nextMinor(version: string): string {
  const [major, minor] = version.split('.');
  return `${major}.${Number(minor) + 1}`;
}

/** Minor versions as numbers for ordering ("1.9" < "1.28"). */
export function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}
