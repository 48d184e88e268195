// What meshed pods put on the wire that the mesh does not carry or claims for itself: UDP (MSH403),
// hostNetwork (MSH404), ports Istio reserves (MSH405).
import { type Inventory, selectedWorkloads } from '../import/index.ts';
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
      .filter((w) => {
        if (!w.hostNetwork || w.kind === 'DaemonSet') return false;
        const modes = workloadModes(ctx, inv, w);
        return modes.has('sidecar') || modes.has('ambient');
      })
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
