// The platform's own DaemonSets (cluster.daemonSets), with Kubernetes' defaults filled in.
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { DaemonSet, Resources } from '../types.ts';
import { annotatedConcurrency } from './proxy-config.ts';
import { normaliseScheduling } from './scheduling.ts';
import { annotatedSidecarResources } from './sidecar-resources.ts';

type RawDaemonSet = NonNullable<RawScenario['cluster']['daemonSets']>[number];

const INJECT = 'sidecar.istio.io/inject';

/**
 * A DaemonSet's update strategy when it gives none: RollingUpdate, maxUnavailable 1, maxSurge 0
 * (kubernetes/kubernetes v1.34 pkg/apis/apps/v1/defaults.go SetDefaults_DaemonSet).
 */
const DEFAULT_UPDATE = {
  type: 'RollingUpdate' as const,
  maxSurge: { value: 0, percent: false },
  maxUnavailable: { value: 1, percent: false },
};

/**
 * A container with a limit and no request requests its limit (kubernetes/kubernetes v1.34
 * pkg/apis/core/v1/defaults.go SetDefaults_Pod: "defaults requests to limits"); with neither, nothing.
 */
function requests(raw: RawDaemonSet): Resources {
  const r = raw.resources;
  return {
    cpu: r?.requests?.cpu ?? r?.limits?.cpu ?? 0,
    memory: r?.requests?.memory ?? r?.limits?.memory ?? 0,
  };
}

function daemonSet(raw: RawDaemonSet, at: PropertyKey[], problems: Problems): DaemonSet {
  const req = requests(raw);
  const limits = raw.resources?.limits;
  const labels = raw.labels ?? {};
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
    resources: {
      requests: req,
      ...(limits && (limits.cpu !== undefined || limits.memory !== undefined)
        ? {
            limits: {
              ...(limits.cpu !== undefined ? { cpu: limits.cpu } : {}),
              ...(limits.memory !== undefined ? { memory: limits.memory } : {}),
            },
          }
        : {}),
    },
    usage,
    hostNetwork: raw.hostNetwork ?? false,
    updateStrategy: {
      type: raw.updateStrategy?.type ?? DEFAULT_UPDATE.type,
      maxSurge: { ...(raw.updateStrategy?.maxSurge ?? DEFAULT_UPDATE.maxSurge) },
      maxUnavailable: { ...(raw.updateStrategy?.maxUnavailable ?? DEFAULT_UPDATE.maxUnavailable) },
    },
    // As for a service (normalise/services.ts): the annotation, else the label of the same name.
    inject: (raw.annotations?.[INJECT] ?? labels[INJECT]) !== 'false',
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
