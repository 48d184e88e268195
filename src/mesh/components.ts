// Which cluster components exist only because of the mesh: the data plane's proxies, the CNI node agent
// and the control plane. Deltas and cost both sum "mesh" figures over this one list.
import type { Component } from '../cluster/index.ts';

export const MESH_COMPONENTS: readonly Component[] = [
  'sidecar',
  'ztunnel',
  'waypoint',
  'istio-cni',
  'istiod',
];
