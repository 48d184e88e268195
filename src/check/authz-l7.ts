// MSH103: AuthorizationPolicy L7 rules where no L7 proxy enforces them.
import {
  type Inventory,
  l7Rule,
  type Manifest,
  namespaceOf,
  obj,
  objs,
  selectedWorkloads,
  serviceWaypoint,
  str,
} from '../import/index.ts';
import { type CheckContext, manifestObject } from './context.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { selectsPod } from './selectors.ts';
import { workloadModes } from './workload-modes.ts';

/** Names of the ambient workloads without a waypoint that an L7 policy reaches through ztunnel. */
function ztunnelEnforced(ctx: CheckContext, inv: Inventory, m: Manifest): string[] {
  const spec = obj(m.body.spec);
  const ns = namespaceOf(m);
  const refs = [...objs(spec.targetRefs), ...(spec.targetRef ? [obj(spec.targetRef)] : [])];
  if (refs.length > 0) {
    // Bound to a Service: enforced by that Service's waypoint; without one nothing enforces it.
    return refs
      .filter((r) => str(r.kind) === 'Service')
      .flatMap((r) =>
        inv.services.filter((s) => s.name === str(r.name) && s.namespace === (str(r.namespace) ?? ns)),
      )
      .filter(
        (s) =>
          !serviceWaypoint(inv, s) &&
          selectedWorkloads(inv, s).some((w) => workloadModes(ctx, inv, w).has('ambient')),
      )
      .map((s) => `Service ${s.name}`);
  }
  const selector = obj(obj(spec.selector));
  return inv.workloads
    .filter(
      (w) =>
        w.namespace === ns &&
        selectsPod(obj(selector.matchLabels) ? { matchLabels: obj(selector.matchLabels) } : {}, w.podLabels),
    )
    .filter((w) => workloadModes(ctx, inv, w).has('ambient'))
    .map((w) => `${w.kind} ${w.name}`);
}

export const authzL7Rule: Rule = {
  code: 'MSH103',
  check(ctx) {
    const inv = ctx.inventory;
    if (!inv) return [];
    const out: Finding[] = [];
    for (const m of inv.of('AuthorizationPolicy')) {
      const why = l7Rule(m.body);
      if (!why) continue;
      const targets = ztunnelEnforced(ctx, inv, m);
      if (targets.length === 0) continue;
      out.push({
        code: 'MSH103',
        severity: 'error',
        title: 'L7 authorization rules with no L7 proxy to enforce them',
        object: manifestObject(m),
        message: `${m.name} uses ${why}, an L7 attribute; in ambient mode it reaches ${targets.join(', ')} through ztunnel only`,
        architectures: {
          sidecar: 'enforced by the destination sidecar, as written',
          ambient:
            'ztunnel sees only L4 (identities, namespaces, IP blocks, ports): the L7 rule is not applied as written, so the policy ' +
            'allows or denies more than intended; only a waypoint enforces it',
        },
        action:
          'deploy a waypoint for these services (istioctl waypoint apply; istio.io/use-waypoint label) and bind the policy to it with targetRefs, or keep the policy to L4 attributes',
        reference:
          'https://istio.io/latest/docs/ambient/usage/l4-policy/#allowed-policy-attributes ; https://istio.io/latest/docs/ambient/usage/l7-features/',
      });
    }
    return out;
  },
};
