// A HorizontalPodAutoscaler on a Deployment (a service or a waypoint), and istiod's as its chart sets it.
// Field names follow autoscaling/v2 (spec.minReplicas, spec.behavior.scaleUp.policies ...), with the
// controller's flags (sync period, tolerance) and the metrics window alongside.
import { bool, duration, int, list, MAX, num, obj, oneOf, positiveDuration } from './fields.ts';

/** A stabilisation window may be 0 to 3600 s (autoscaling/v2 validation, pkg/apis/autoscaling/validation). */
const MAX_STABILIZATION = 3600;
/** A policy's period may be 1 to 1800 s (same validation). */
const MAX_POLICY_PERIOD = 1800;
/** meshsim's bound, not Kubernetes' (any positive percentage): a CPU target above 1000 % of the requests is taken for a typo. */
const MAX_TARGET = 1000;

const scalingRules = () =>
  obj({
    stabilizationWindow: duration().optional(),
    selectPolicy: oneOf(['Max', 'Min', 'Disabled']).optional(),
    policies: list(
      obj({
        type: oneOf(['Pods', 'Percent']),
        value: int(1, MAX.replicas),
        period: positiveDuration(),
      }),
      1,
    ).optional(),
  });

const fields = {
  minReplicas: int(1, MAX.replicas).optional(),
  targetCPUUtilization: int(1, MAX_TARGET).optional(),
  syncPeriod: positiveDuration().optional(),
  tolerance: num(0, 1, true).optional(),
  metricsWindow: positiveDuration().optional(),
  scaleUp: scalingRules().optional(),
  scaleDown: scalingRules().optional(),
};

export const autoscaling = obj({ ...fields, maxReplicas: int(1, MAX.replicas) });

/**
 * A service's HPA may scale on one container's CPU (autoscaling/v2 ContainerResource): its application's,
 * or its sidecar's (`istio-proxy`, Istio's container name).
 */
export const serviceAutoscaling = obj({
  ...fields,
  maxReplicas: int(1, MAX.replicas),
  container: oneOf(['application', 'istio-proxy']).optional(),
});

/** istiod's: on by default as the istio-discovery chart has it (scenario/autoscaling.ts). */
export const istiodAutoscaling = obj({
  ...fields,
  enabled: bool().optional(),
  maxReplicas: int(1, MAX.replicas).optional(),
});

/** The bounds above, for the normaliser and the manifest import. */
export const LIMITS = {
  stabilization: MAX_STABILIZATION,
  policyPeriod: MAX_POLICY_PERIOD,
  target: MAX_TARGET,
  policyValue: MAX.replicas,
};
