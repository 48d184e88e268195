// MSH102: ingress NetworkPolicies that do not open HBONE's port to ambient pods.
import { manifestObject } from './context.ts';
import type { Finding } from './finding.ts';
import { admitsPort, ingressPolicies, openedPorts } from './netpol.ts';
import type { Rule } from './rule.ts';
import { ambientWorkloads, whatIf } from './workload-modes.ts';

/** Ambient's mTLS tunnel (HBONE) arrives on this port (istio.io/latest/docs/ambient/usage/networkpolicy/). */
export const HBONE_PORT = 15008;

export const hbonePortRule: Rule = {
  code: 'MSH102',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return [];
    const out: Finding[] = [];
    for (const w of ambientWorkloads(ctx)) {
      const policies = ingressPolicies(inv, w.namespace, w.podLabels);
      const opened = openedPorts(policies);
      // No rule at all is a deliberate deny-all; a rule without ports opens everything.
      if (
        policies.length === 0 ||
        opened === undefined ||
        opened.length === 0 ||
        admitsPort(policies, HBONE_PORT)
      )
        continue;
      out.push({
        code: 'MSH102',
        severity: 'error',
        title: 'NetworkPolicy drops mesh traffic: HBONE port 15008 not allowed',
        object: manifestObject(w.manifest),
        message: `ingress to ${w.name} is limited to port(s) ${[...new Set(opened)].join(', ')} by ${policies.map((p) => p.name).join(', ')}; HBONE traffic to ${HBONE_PORT} is dropped${whatIf(inv, w)}`,
        architectures: {
          sidecar: `mesh traffic arrives on the application ports (redirected to 15006 inside the pod, after the policy): not affected, unless ambient clients call it (they use ${HBONE_PORT})`,
          ambient: `every mesh connection arrives tunnelled on ${HBONE_PORT}, checked by the CNI outside the pod: all mesh calls to ${w.name} fail`,
        },
        action: `add port ${HBONE_PORT}/TCP to the ingress rules that admit mesh clients`,
        reference:
          'https://istio.io/latest/docs/ambient/usage/networkpolicy/#ambient-traffic-overlay-and-kubernetes-networkpolicy',
      });
    }
    return out;
  },
};
