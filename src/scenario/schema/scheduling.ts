// Node labels and taints of a pool, and a pod's nodeSelector and tolerations, as core/v1 writes them.
import { list, obj, oneOf, str, stringMap } from './fields.ts';

const effect = () => oneOf(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export const taint = obj({ key: str(), value: str().optional(), effect: effect() });

export const toleration = obj({
  key: str().optional(),
  operator: oneOf(['Equal', 'Exists']).default('Equal'),
  value: str().optional(),
  effect: effect().optional(),
});

/** The pod-spec fields that choose nodes. */
export const schedulingFields = {
  nodeSelector: stringMap().optional(),
  tolerations: list(toleration).optional(),
};
