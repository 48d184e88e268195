// The platform's own DaemonSets (cluster.daemonSets), with Kubernetes' defaults filled in.
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { DaemonSet } from '../types.ts';
import { containerResources } from './merge.ts';
import { annotatedConcurrency } from './proxy-config.ts';
import { normaliseScheduling } from './scheduling.ts';
import { injects } from './services.ts';
import { annotatedSidecarResources } from './sidecar-resources.ts';

type RawDaemonSet = NonNullable<RawScenario['cluster']['daemonSets']>[number];

/**
 * A DaemonSet's update strategy when it gives none: RollingUpdate, maxUnavailable 1, maxSurge 0
 * (kubernetes/kubernetes v1.34 pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet).
 */
const DEFAULT_UPDATE = {
  type: 'RollingUpdate' as const,
  maxSurge: { value: 0, percent: false },
  maxUnavailable: { value: 1, percent: false },
};

function daemonSet(raw: RawDaemonSet, at: PropertyKey[], problems: Problems): DaemonSet {
  const resources = containerResources(raw.resources);
  const req = resources.requests;
  // ASSUMPTION (no published figure for a workload meshsim does not know): it uses what it requests.
  const usage = { cpu: raw.usage?.cpu ?? req.cpu, memory: raw.usage?.memory ?? req.memory };
  const sidecarResources = annotatedSidecarResources(raw.annotations, at, problems);
  const sidecarWorkers = annotatedConcurrency(raw.annotations, at, problems);
  const scheduling = normaliseScheduling({
    nodeSelector: raw.nodeSelector,
    nodeAffinity: raw.nodeAffinity,
    tolerations: raw.tolerations,
  });
  return {
    name: raw.name,
    namespace: raw.namespace,
    key: `${raw.namespace}/${raw.name}`,
    resources,
    usage,
    hostNetwork: raw.hostNetwork ?? false,
    updateStrategy: {
      type: raw.updateStrategy?.type ?? DEFAULT_UPDATE.type,
      maxSurge: { ...(raw.updateStrategy?.maxSurge ?? DEFAULT_UPDATE.maxSurge) },
      maxUnavailable: { ...(raw.updateStrategy?.maxUnavailable ?? DEFAULT_UPDATE.maxUnavailable) },
    },
    inject: injects(raw.annotations, raw.labels ?? {}),
    ...(sidecarResources ? { sidecarResources } : {}),
    ...(sidecarWorkers !== undefined ? { sidecarWorkers } : {}),
    ...(scheduling?.nodeSelector ? { nodeSelector: scheduling.nodeSelector } : {}),
    ...(scheduling?.nodeAffinity ? { nodeAffinity: scheduling.nodeAffinity } : {}),
    ...(scheduling?.tolerations ? { tolerations: scheduling.tolerations } : {}),
  };
}

/** The DaemonSets, undefined when there are none (so scenarios without them hash as before). */
export function normaliseDaemonSets(
  raw: RawScenario['cluster'],
  problems: Problems,
): DaemonSet[] | undefined {
  if (!raw.daemonSets || raw.daemonSets.length === 0) return undefined;
  const seen = new Set<string>();
  return raw.daemonSets.map((d, i) => {
    const out = daemonSet(d, ['cluster', 'daemonSets', i], problems);
    if (seen.has(out.key))
      problems.add(['cluster', 'daemonSets', i, 'name'], 'a DaemonSet name not used before in its namespace');
    // The API server refuses both at 0 (validateRollingUpdateDaemonSet): the rollout could never start.
    const u = out.updateStrategy;
    if (u.type === 'RollingUpdate' && u.maxSurge.value === 0 && u.maxUnavailable.value === 0)
      problems.add(
        [
          'cluster',
          'daemonSets',
          i,
          'updateStrategy',
          d.updateStrategy?.maxUnavailable ? 'maxUnavailable' : 'maxSurge',
        ],
        'maxUnavailable or maxSurge above 0',
      );
    seen.add(out.key);
    return out;
  });
}
