// The platform's own DaemonSets (cluster.daemonSets), with Kubernetes' defaults filled in.
import type { Problems } from '../pending.ts';
import type { RawScenario } from '../schema/index.ts';
import type { DaemonSet, Resources } from '../types.ts';
import { normaliseScheduling } from './scheduling.ts';

type RawDaemonSet = NonNullable<RawScenario['cluster']['daemonSets']>[number];

const INJECT = 'sidecar.istio.io/inject';

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

function daemonSet(raw: RawDaemonSet): DaemonSet {
  const req = requests(raw);
  const limits = raw.resources?.limits;
  const labels = raw.labels ?? {};
  // ASSUMPTION (no published figure for a workload meshsim does not know): it uses what it requests.
  const usage = { cpu: raw.usage?.cpu ?? req.cpu, memory: raw.usage?.memory ?? req.memory };
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
    // As for a service (normalise/services.ts): the annotation, else the label of the same name.
    inject: (raw.annotations?.[INJECT] ?? labels[INJECT]) !== 'false',
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
    const out = daemonSet(d);
    if (seen.has(out.key))
      problems.add(['cluster', 'daemonSets', i, 'name'], 'a DaemonSet name not used before in its namespace');
    seen.add(out.key);
    return out;
  });
}
