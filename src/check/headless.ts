// MSH402: headless Services behind a service waypoint (pod-IP traffic bypasses it).
import { selectedWorkloads, serviceWaypoint } from '../import/index.ts';
import { manifestObject } from './context.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { workloadModes } from './workload-modes.ts';

export const headlessRule: Rule = {
  code: 'MSH402',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return [];
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
          architectures: {
            sidecar: 'sidecars match headless pod IPs to the Service and apply its routes and policy',
            ambient:
              'a waypoint for `service` traffic only takes traffic addressed to the Service; pod-IP traffic goes straight to the pod ztunnel, skipping the waypoint and its L7 policy',
          },
          action:
            'label the waypoint istio.io/waypoint-for=workload or all (and bind the pods), or give clients a ClusterIP Service',
          reference: 'https://istio.io/latest/docs/ambient/usage/waypoint/#waypoint-traffic-types',
        }),
      );
  },
};
