// Rules on single workloads and Services from the manifests: headless Services behind waypoints (MSH402),
// UDP (MSH403), hostNetwork (MSH404), ports the mesh reserves (MSH405), StatefulSets with OnDelete (MSH406).
import { type Inventory, selectedWorkloads, serviceWaypoint } from '../import/index.ts';
import { type CheckContext, manifestObject } from './context.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { workloadModes } from './workload-modes.ts';

const APP_REQS = 'https://istio.io/latest/docs/ops/deployment/application-requirements/';

/**
 * Ports Istio's proxies listen on in the pod (15000 Envoy admin, 15001 outbound, 15004 debug, 15006
 * inbound, 15008 HBONE, 15020 merged metrics, 15021 health, 15053 DNS, 15090 Envoy metrics):
 * istio.io/latest/docs/ops/deployment/application-requirements/#ports-used-by-istio.
 */
export const RESERVED_PORTS = [15000, 15001, 15004, 15006, 15008, 15020, 15021, 15053, 15090];

function meshed(ctx: CheckContext, inv: Inventory) {
  return inv.workloads.filter((w) => {
    const m = workloadModes(ctx, inv, w);
    return m.has('sidecar') || m.has('ambient');
  });
}

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

export const udpRule: Rule = {
  code: 'MSH403',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return [];
    const out: Finding[] = [];
    for (const w of meshed(ctx, inv)) {
      const udp = w.ports.filter((p) => p.protocol === 'UDP');
      const svcUdp = inv.services.filter(
        (s) => selectedWorkloads(inv, s).includes(w) && s.ports.some((p) => p.protocol === 'UDP'),
      );
      if (udp.length === 0 && svcUdp.length === 0) continue;
      out.push({
        code: 'MSH403',
        severity: 'warning',
        title: 'UDP is not proxied by the mesh',
        object: manifestObject(w.manifest),
        message: `${w.name} uses UDP (${[...udp.map((p) => `${p.port}/UDP`), ...svcUdp.map((s) => `Service ${s.name}`)].join(', ')})`,
        architectures: {
          sidecar: 'UDP passes the sidecar untouched: no mTLS, no policy, no telemetry',
          ambient:
            'ztunnel carries TCP only (DNS aside): UDP goes around it, unencrypted and unseen by policy',
        },
        action: 'protect UDP with NetworkPolicy, or move it to TCP if it must be in the mesh',
        reference: APP_REQS,
      });
    }
    return out;
  },
};

export const hostNetworkRule: Rule = {
  code: 'MSH404',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return [];
    return inv.workloads
      .filter(
        (w) =>
          w.hostNetwork &&
          w.kind !== 'DaemonSet' &&
          (workloadModes(ctx, inv, w).has('sidecar') || workloadModes(ctx, inv, w).has('ambient')),
      )
      .map(
        (w): Finding => ({
          code: 'MSH404',
          severity: 'warning',
          title: 'hostNetwork pods are outside the mesh',
          object: manifestObject(w.manifest),
          message: `${w.name} runs with hostNetwork: true in a meshed namespace`,
          architectures: {
            sidecar: 'not injected: its traffic is plaintext and STRICT mTLS peers refuse it',
            ambient: 'not captured by ztunnel: no mTLS, no identity, ambient peers under STRICT refuse it',
          },
          action:
            'drop hostNetwork if the pod does not need it, or allow it explicitly (PeerAuthentication PERMISSIVE on its peers)',
          reference: APP_REQS,
        }),
      );
  },
};

export const reservedPortRule: Rule = {
  code: 'MSH405',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return [];
    const out: Finding[] = [];
    for (const w of meshed(ctx, inv)) {
      const taken = [...new Set(w.ports.filter((p) => RESERVED_PORTS.includes(p.port)).map((p) => p.port))];
      if (taken.length === 0) continue;
      out.push({
        code: 'MSH405',
        severity: 'error',
        title: 'application uses a port the mesh reserves',
        object: manifestObject(w.manifest),
        message: `${w.name} listens on ${taken.join(', ')}`,
        architectures: {
          sidecar:
            'the sidecar binds these ports in the pod: the app or the sidecar fails to bind, or traffic is captured wrongly',
          ambient:
            'ztunnel listens on 15001, 15006 and 15008 inside the pod: connections to these ports reach ztunnel, not the app',
        },
        action: 'move the application off the ports Istio uses',
        reference: `${APP_REQS}#ports-used-by-istio`,
      });
    }
    return out;
  },
};

export const onDeleteRule: Rule = {
  code: 'MSH406',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return [];
    return inv.workloads
      .filter(
        (w) =>
          w.kind === 'StatefulSet' &&
          w.strategy.type === 'OnDelete' &&
          workloadModes(ctx, inv, w).has('sidecar'),
      )
      .map(
        (w): Finding => ({
          code: 'MSH406',
          severity: 'warning',
          title: 'StatefulSet with OnDelete keeps its old sidecars after an upgrade',
          object: manifestObject(w.manifest),
          message: `${w.name} has updateStrategy OnDelete: a rollout restart does not replace its pods`,
          architectures: {
            sidecar:
              'a data-plane upgrade needs every injected pod restarted; these pods keep the old proxy until someone deletes them (version skew with istiod)',
            ambient: 'the proxy is ztunnel on the node: upgrades do not need these pods restarted',
          },
          action:
            'delete the pods one by one after a sidecar upgrade (or switch to RollingUpdate), or move the namespace to ambient',
          reference:
            'https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#update-strategies ; https://istio.io/latest/docs/setup/upgrade/in-place/ (restart pods to pick up the new sidecar)',
        }),
      );
  },
};
