// Node labels and taints of a pool, and a pod's nodeSelector, node affinity and tolerations, as core/v1
// writes them.
import { z } from 'zod';
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
  /** With DoNotSchedule: fewer eligible domains than this and the minimum counts as 0. */
  minDomains: int(1, MAX.replicas).optional(),
  /** Pod label keys whose values narrow the selector: `pod-template-hash` counts one revision's pods. */
  matchLabelKeys: list(str()).optional(),
});

/** A NodeSelectorRequirement: a node label against values. */
const nodeSelectorRequirement = obj({
  key: str(),
  operator: oneOf(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
  values: list(z.string()).optional(),
});

/** A NodeSelectorTerm: every requirement holds. */
const nodeSelectorTerm = obj({ matchExpressions: list(nodeSelectorRequirement, 1) });

/** affinity.nodeAffinity: required terms (any of them) and weighted preferred ones. */
export const nodeAffinity = obj({
  required: list(nodeSelectorTerm, 1).optional(),
  preferred: list(
    obj({ weight: int(1, 100), matchExpressions: list(nodeSelectorRequirement, 1) }),
  ).optional(),
});

/** The pod-spec fields that choose nodes. */
export const schedulingFields = {
  nodeSelector: stringMap().optional(),
  nodeAffinity: nodeAffinity.optional(),
  tolerations: list(toleration).optional(),
  /** requiredDuringSchedulingIgnoredDuringExecution anti-affinity to the workload's own pods, per key. */
  podAntiAffinity: list(topologyKey()).optional(),
  /**
   * preferredDuringSchedulingIgnoredDuringExecution anti-affinity to the workload's own pods; weights
   * 1-100 as core/v1 validates WeightedPodAffinityTerm and PreferredSchedulingTerm.
   */
  preferredPodAntiAffinity: list(obj({ weight: int(1, 100), topologyKey: topologyKey() })).optional(),
  topologySpreadConstraints: list(spreadConstraint).optional(),
};
