// The proxy classes a run can contain. The simulator only sees their index, worker count and cost; the
// mesh layer is the one place that knows a sidecar from a ztunnel.
import type { Component } from '../cluster/index.ts';
import type { MeshSettings, ProxyCost } from '../scenario/index.ts';

export interface ProxyClass {
  name: 'sidecar' | 'ztunnel' | 'waypoint';
  component: Component;
  workers: number;
  cost: ProxyCost;
  /** Understands HTTP: can route, retry and authorise per request. */
  l7: boolean;
}

export const SIDECAR = 0;
export const ZTUNNEL = 1;
export const WAYPOINT = 2;

export function proxyClasses(mesh: MeshSettings): ProxyClass[] {
  return [
    {
      name: 'sidecar',
      component: 'sidecar',
      workers: mesh.sidecar.workers,
      cost: mesh.sidecar.cost,
      l7: true,
    },
    {
      name: 'ztunnel',
      component: 'ztunnel',
      workers: mesh.ztunnel.workers,
      cost: mesh.ztunnel.cost,
      l7: false,
    },
    {
      name: 'waypoint',
      component: 'waypoint',
      workers: mesh.waypoint.defaults.workers,
      cost: mesh.waypoint.cost,
      l7: true,
    },
  ];
}
