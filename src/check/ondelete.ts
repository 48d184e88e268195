// MSH406: StatefulSets with OnDelete keep their old sidecars after a data-plane upgrade.
import { manifestObject } from './context.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { workloadModes } from './workload-modes.ts';

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
