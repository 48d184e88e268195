// The proxy classes a run can contain. The simulator only sees their index and cost; the mesh layer is
// the one place that knows a sidecar from a ztunnel. Worker counts are per proxy (workers.ts: they follow
// each proxy's CPU limit and node), and CPU limits are enforced by the node's processor, not here.
import type { Component } from '../cluster/index.ts';
import type { MeshSettings, ProxyCost } from '../scenario/index.ts';

export interface ProxyClass {
  name: 'sidecar' | 'ztunnel' | 'waypoint' | 'gateway';
  component: Component;
  cost: ProxyCost;
  /** Understands HTTP: can route, retry and authorise per request. */
  l7: boolean;
}

export const SIDECAR = 0;
export const ZTUNNEL = 1;
export const WAYPOINT = 2;
/** The ingress gateway's Envoy (istio-ingressgateway or a Gateway API gateway Deployment). */
export const GATEWAY = 3;

export function proxyClasses(mesh: MeshSettings): ProxyClass[] {
  return [
    { name: 'sidecar', component: 'sidecar', cost: mesh.sidecar.cost, l7: true },
    { name: 'ztunnel', component: 'ztunnel', cost: mesh.ztunnel.cost, l7: false },
    { name: 'waypoint', component: 'waypoint', cost: mesh.waypoint.cost, l7: true },
    { name: 'gateway', component: 'gateway', cost: mesh.ingressGateway.cost, l7: true },
  ];
}
