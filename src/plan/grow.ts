// Load growth for the planner: the same workload, `factor` times bigger.
import type { EntryPoint, Scenario } from '../scenario/index.ts';

const up = (n: number, factor: number) => Math.ceil(n * factor - 1e-9);

function arrival(a: EntryPoint['arrival'], factor: number): EntryPoint['arrival'] {
  return a.kind === 'ramp' ? { kind: 'ramp', from: a.from * factor, to: a.to * factor } : a;
}

/**
 * Replicas scale up (ceil) with the factor, and so do waypoint replicas (an HPA would add them), pods
 * still carrying a sidecar mid-migration, and every entry point's rate (ramps at both ends), connection
 * pool and a closed loop's connections and cap. The load-generator pods, istiod and the events are left
 * alone: the planner drops events anyway (it sizes for steady state).
 */
export function growScenario(s: Scenario, factor: number): Scenario {
  const out = structuredClone(s);
  if (factor === 1) return out;
  for (const svc of out.services) {
    // Each version grows on its own (its pods follow it in order), the service's count is their sum.
    if (svc.versions) for (const v of svc.versions) v.replicas = up(v.replicas, factor);
    svc.replicas = svc.versions ? svc.versions.reduce((n, v) => n + v.replicas, 0) : up(svc.replicas, factor);
    svc.sidecarPods = Math.min(svc.replicas, up(svc.sidecarPods, factor));
  }
  for (const wp of out.waypoints) wp.replicas = up(wp.replicas, factor);
  for (const ep of out.traffic) {
    ep.rate *= factor;
    ep.arrival = arrival(ep.arrival, factor);
    // More load comes from more connections, not from the same ones carrying more: a keep-alive or
    // long-lived pool grows with the rate. Without it, kube-proxy or ztunnel (which pin a connection to
    // the endpoint drawn when it opens) would spread 10x the load over the same 8 connections: about
    // 30 (1 - (29/30)^8) = 7 of an entry service's 30 pods at 10x growth, the other 23 idle.
    if (ep.connection.type !== 'per-request') ep.connection.poolSize = up(ep.connection.poolSize, factor);
    // A closed loop grows by its users (and its cap with them): the load it offers is what they send.
    if (ep.closedLoop) {
      ep.closedLoop.connections = up(ep.closedLoop.connections, factor);
      if (ep.closedLoop.rateCap !== undefined) ep.closedLoop.rateCap *= factor;
    }
  }
  return out;
}
