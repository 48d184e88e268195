// MSH204: GKE admits system-node-critical pods only where a ResourceQuota allows them.
import { arr, obj, objs, str } from '../import/index.ts';
import type { Finding } from './finding.ts';
import type { Rule } from './rule.ts';
import { meshInUse } from './scenario-modes.ts';

/** Where Istio's Helm charts put ztunnel and istio-cni unless told otherwise (istio.io/latest/docs/ambient/install/helm/). */
const DEFAULT_NAMESPACE = 'istio-system';

export const gkeQuotaRule: Rule = {
  code: 'MSH204',
  check(ctx) {
    if (ctx.platform.platform !== 'gke' || !meshInUse(ctx).has('ambient')) return [];
    const inv = ctx.inventory;
    const ds =
      inv?.workloads.filter(
        (w) => w.kind === 'DaemonSet' && (w.name === 'ztunnel' || w.name === 'istio-cni-node'),
      ) ?? [];
    const namespaces = ds.length > 0 ? [...new Set(ds.map((w) => w.namespace))] : [DEFAULT_NAMESPACE];
    const out: Finding[] = [];
    for (const ns of namespaces) {
      if (ns === 'kube-system') continue;
      const quota = inv
        ?.of('ResourceQuota')
        .some(
          (q) =>
            (q.namespace ?? 'default') === ns &&
            objs(obj(obj(q.body.spec).scopeSelector).matchExpressions).some(
              (e) => str(e.scopeName) === 'PriorityClass' && arr(e.values).includes('system-node-critical'),
            ),
        );
      if (quota) continue;
      out.push({
        code: 'MSH204',
        severity: ds.length > 0 ? 'error' : 'warning',
        title: 'GKE refuses system-node-critical pods outside kube-system without a ResourceQuota',
        object: {
          kind: 'Namespace',
          name: ns,
          ...(ds[0] ? { file: ds[0].manifest.source.file, line: ds[0].manifest.source.line } : {}),
        },
        message: `ztunnel and istio-cni run with priorityClassName system-node-critical in ${ns}${ds.length > 0 ? '' : ' (assumed: the Helm default)'}, and no ResourceQuota there admits that class`,
        architectures: {
          sidecar: 'only istio-cni, when sidecars use it, is affected',
          ambient:
            'the ztunnel and istio-cni DaemonSets create no pods: nothing is captured, ambient does not work',
        },
        action: `install them into kube-system, or create a ResourceQuota in ${ns} with a PriorityClass scopeSelector for system-node-critical`,
        reference:
          'https://istio.io/latest/docs/ambient/install/platform-prerequisites/#google-kubernetes-engine-gke',
      });
    }
    return out;
  },
};
