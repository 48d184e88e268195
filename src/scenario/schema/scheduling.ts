// Node labels and taints of a pool, and a pod's nodeSelector and tolerations, as core/v1 writes them.
import { int, list, MAX, obj, oneOf, str, stringMap } from './fields.ts';

const effect = () => oneOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export const taint = obj({ key: str(), value: str().optional(), effect: effect() });

export const toleration = obj({
  key: str().optional(),
  operator: oneOf(['Equal', 'Exists']).default('Equal'),
  value: str().optional(),
  effect: effect().optional(),
});

const topologyKey = () => oneOf(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);

/** A topologySpreadConstraint over the workload's own pods. */
export const spreadConstraint = obj({
  maxSkew: int(1, MAX.replicas),
  topologyKey: topologyKey(),
  whenUnsatisfiable: oneOf(['DoNotSchedule', 'ScheduleAnyway']).default('DoNotSchedule'),
});

/** The pod-spec fields that choose nodes. */
export const schedulingFields = {
  nodeSelector: stringMap().optional(),
  tolerations: list(toleration).optional(),
  /** requiredDuringSchedulingIgnoredDuringExecution anti-affinity to the workload's own pods, per key. */
  podAntiAffinity: list(topologyKey()).optional(),
  /** preferredDuringSchedulingIgnoredDuringExecution anti-affinity to the workload's own pods. */
  preferredPodAntiAffinity: list(obj({ weight: int(1, 100), topologyKey: topologyKey() })).optional(),
  topologySpreadConstraints: list(spreadConstraint).optional(),
};
