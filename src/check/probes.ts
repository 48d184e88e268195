// MSH101: kubelet probes and NetworkPolicy in ambient mode.

import { arr, obj, objs, str } from '../import/index.ts';
import { manifestObject } from './context.ts';
import type { Finding } from './finding.ts';
import { admitsFromIp, cidrContains, ingressPolicies } from './netpol.ts';
import type { Rule } from './rule.ts';
import { ambientWorkloads, whatIf } from './workload-modes.ts';

/**
 * istio-cni SNATs kubelet probes of ambient pods to this link-local address so ztunnel can let them
 * bypass the mesh (istio.io/latest/docs/ambient/usage/networkpolicy/, "Ambient, health probes, and
 * Kubernetes NetworkPolicy"; istio.io/latest/docs/ambient/install/platform-prerequisites/, Cilium).
 */
export const PROBE_SNAT_IP = '169.254.7.127';

export const probeRule: Rule = {
  code: 'MSH101',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return [];
    const ciliumAllows = inv
      .of('CiliumClusterwideNetworkPolicy')
      .some((m) =>
        objs(obj(m.body.spec).ingress).some((r) =>
          arr(r.fromCIDR).some((c) => cidrContains(str(c) ?? '', PROBE_SNAT_IP)),
        ),
      );
    const out: Finding[] = [];
    for (const w of ambientWorkloads(ctx)) {
      const probes = w.probes.filter((p) => p.handler !== 'exec' && p.handler !== 'none');
      if (probes.length === 0) continue;
      const policies = ingressPolicies(inv, w.namespace, w.podLabels);
      if (policies.length === 0 || ciliumAllows) continue;
      const blocked = probes.filter((p) => !admitsFromIp(policies, PROBE_SNAT_IP, p.port));
      if (blocked.length === 0) continue;
      out.push({
        code: 'MSH101',
        severity: 'error',
        title: 'kubelet probes blocked by NetworkPolicy in ambient mode',
        object: manifestObject(w.manifest),
        message:
          `${blocked.map((p) => `${p.type} probe (${p.handler} :${p.port ?? '?'})`).join(', ')} of ${w.name} ` +
          `would be dropped by ${policies.map((p) => `NetworkPolicy ${p.name} (${p.source.file}:${p.source.line})`).join(', ')}: ` +
          `no ingress rule admits ${PROBE_SNAT_IP}${whatIf(inv, w)}`,
        architectures: {
          none: 'probes come from the node; most CNIs let node-local traffic through: not affected',
          sidecar: 'probes are rewritten to the sidecar agent on 15020 and come from the node: not affected',
          ambient: `istio-cni SNATs probes to ${PROBE_SNAT_IP} so ztunnel lets them bypass; the policy drops them: readiness fails (no endpoints) and liveness restarts the pod`,
        },
        action: `add an ingress rule from ipBlock ${PROBE_SNAT_IP}/32 on the probe ports (with Cilium, a CiliumClusterwideNetworkPolicy fromCIDR ${PROBE_SNAT_IP}/32), or use exec probes`,
        reference:
          'https://istio.io/latest/docs/ambient/usage/networkpolicy/ ; https://istio.io/latest/docs/ambient/install/platform-prerequisites/#cilium',
      });
    }
    return out;
  },
};
