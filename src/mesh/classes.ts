// The proxy classes a run can contain. The simulator only sees their index, worker count and cost; the
// mesh layer is the one place that knows a sidecar from a ztunnel.
import type { Component } from '../cluster/index.ts';
import type { MeshSettings, ProxyCost } from '../scenario/index.ts';
import { envoyWorkers } from './workers.ts';

export interface ProxyClass {
  name: 'sidecar' | 'ztunnel' | 'waypoint' | 'gateway';
  component: Component;
  workers: number;
  cost: ProxyCost;
  /** Understands HTTP: can route, retry and authorise per request. */
  l7: boolean;
  /**
   * Speed of each worker, 1 unless the container's CPU limit is below its worker count: then the CFS quota
   * throttles the workers to limit / workers of a core each when they are all busy (modelled as always,
   * which overstates throttling at low load).
   */
  speed: number;
}

function speed(workers: number, limit: number | undefined): number {
  return limit === undefined || limit >= workers ? 1 : limit / workers;
}

export const SIDECAR = 0;
export const ZTUNNEL = 1;
export const WAYPOINT = 2;
/** The ingress gateway's Envoy (istio-ingressgateway or a Gateway API gateway Deployment). */
export const GATEWAY = 3;

/**
 * The ingress gateway's workers: the scenario's, else pilot-agent's rule for any Envoy (workers.ts): its
 * CPU limit rounded up (the gateway chart's 2000m gives 2), or without a limit the allocatable cores of the
 * node it runs on, taken as the largest node's (`nodeCores`) since one class has one worker count.
 */
export function gatewayWorkers(mesh: MeshSettings, nodeCores = 1): number {
  const gw = mesh.ingressGateway;
  return (
    gw.workers ??
    envoyWorkers({
      cpuLimitCores: gw.resources.limits?.cpu,
      nodeAllocatableCores: nodeCores,
      nodeLogicalCores: Math.ceil(nodeCores),
    })
  );
}

/** `nodeCores`: allocatable cores of the largest node (for Envoys without a CPU limit). */
export function proxyClasses(mesh: MeshSettings, nodeCores = 1): ProxyClass[] {
  const gwWorkers = gatewayWorkers(mesh, nodeCores);
  return [
    {
      name: 'sidecar',
      component: 'sidecar',
      workers: mesh.sidecar.workers,
      cost: mesh.sidecar.cost,
      l7: true,
      speed: speed(mesh.sidecar.workers, mesh.sidecar.resources.limits?.cpu),
    },
    {
      name: 'ztunnel',
      component: 'ztunnel',
      workers: mesh.ztunnel.workers,
      cost: mesh.ztunnel.cost,
      l7: false,
      speed: speed(mesh.ztunnel.workers, mesh.ztunnel.resources.limits?.cpu),
    },
    {
      name: 'waypoint',
      component: 'waypoint',
      workers: mesh.waypoint.defaults.workers,
      cost: mesh.waypoint.cost,
      l7: true,
      speed: speed(mesh.waypoint.defaults.workers, mesh.waypoint.defaults.resources.limits?.cpu),
    },
    {
      name: 'gateway',
      component: 'gateway',
      workers: gwWorkers,
      cost: mesh.ingressGateway.cost,
      l7: true,
      speed: speed(gwWorkers, mesh.ingressGateway.resources.limits?.cpu),
    },
  ];
}
