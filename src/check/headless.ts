// MSH402: headless Services behind a service waypoint (pod-IP traffic bypasses it).
import { selectedWorkloads, serviceWaypoint } from '../import/index.ts';
import { boundWaypoint } from '../scenario/index.ts';
import { manifestObject } from './context.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { workloadModes } from './workload-modes.ts';

const ARCHITECTURES = {
  sidecar: 'sidecars match headless pod IPs to the Service and apply its routes and policy',
  ambient:
    'a waypoint for `service` traffic only takes traffic addressed to the Service; pod-IP traffic goes straight to the pod ztunnel, skipping the waypoint and its L7 policy',
};
const ACTION =
  'label the waypoint istio.io/waypoint-for=workload or all (and bind the pods), or give clients a ClusterIP Service';
const REFERENCE = 'https://istio.io/latest/docs/ambient/usage/waypoint/#waypoint-traffic-types';

/** A scenario's headless services bound to a waypoint `for: service`, where ambient is simulated. */
function scenarioFindings(ctx: Parameters<Rule['check']>[0]): Finding[] {
  const s = ctx.scenario;
  if (!s || !ctx.compare.some((a) => a === 'ambient' || a === 'as-labelled')) return [];
  const out: Finding[] = [];
  for (const svc of s.services) {
    if (!svc.headless) continue;
    // Bound for its service address only: its callers, addressing pods, pass it by.
    const wp = boundWaypoint(s, svc, 'service');
    if (wp?.for !== 'service') continue;
    out.push({
      code: 'MSH402',
      severity: 'warning',
      title: 'traffic to pod IPs bypasses the service waypoint',
      object: ctx.locate('service', svc.key),
      message: `${svc.key} is headless and bound to waypoint ${wp.name} (for: service): its callers address pods`,
      architectures: ARCHITECTURES,
      action: ACTION,
      reference: REFERENCE,
    });
  }
  return out;
}

export const headlessRule: Rule = {
  code: 'MSH402',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return scenarioFindings(ctx);
    return inv.services
      .filter(
        (s) =>
          s.headless &&
          serviceWaypoint(inv, s) &&
          selectedWorkloads(inv, s).some((w) => workloadModes(ctx, inv, w).has('ambient')),
      )
      .map(
        (s): Finding => ({
          code: 'MSH402',
          severity: 'warning',
          title: 'traffic to pod IPs bypasses the service waypoint',
          object: manifestObject(s.manifest),
          message: `${s.name} is headless (clusterIP: None) and bound to waypoint ${serviceWaypoint(inv, s)}: clients resolve pod IPs`,
          architectures: ARCHITECTURES,
          action: ACTION,
          reference: REFERENCE,
        }),
      );
  },
};
