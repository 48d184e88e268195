// HorizontalPodAutoscaler defaults, as Kubernetes v1.31.0 fills them in (kubernetes/kubernetes at v1.31.0):
// - spec.behavior when unset: pkg/apis/autoscaling/v2/defaults.go (GenerateHPAScaleUpRules,
//   GenerateHPAScaleDownRules): scale up with no stabilisation, by the larger of 100 % or 4 pods per
//   15 s (selectPolicy Max); scale down by 100 % per 15 s, after the controller's downscale window;
// - the controller's own flags: pkg/controller/podautoscaler/config/v1alpha1/defaults.go
//   (--horizontal-pod-autoscaler-sync-period 15 s, --horizontal-pod-autoscaler-downscale-stabilization
//   5 min, --horizontal-pod-autoscaler-tolerance 0.1).
// An HPA without spec.behavior takes horizontal.go's older path (normalizeDesiredReplicas: at most
// max(2 x current, 4) per sync, the downscale window): the same figures at the default 15 s sync, so
// meshsim runs every HPA through the behaviour path.
// The CPU the controller sees comes from metrics-server, which scrapes each kubelet's cumulative CPU
// counters and serves their rate over its resolution: `--metric-resolution=15s` in metrics-server's
// released manifest (kubernetes-sigs/metrics-server manifests/base/deployment.yaml, v0.7.x) (D); the
// kubelet's own counter window is left out (A).
import type { Autoscaling, ScalingRules } from './types.ts';

export const HPA_SYNC_PERIOD = 15;
export const HPA_TOLERANCE = 0.1;
export const HPA_DOWNSCALE_STABILIZATION = 300;
export const METRICS_SERVER_RESOLUTION = 15;

export const DEFAULT_SCALE_UP: ScalingRules = {
  stabilizationWindow: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Percent', value: 100, period: 15 },
    { type: 'Pods', value: 4, period: 15 },
  ],
};

export const DEFAULT_SCALE_DOWN: ScalingRules = {
  stabilizationWindow: HPA_DOWNSCALE_STABILIZATION,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, period: 15 }],
};

/** What an HPA that says only min, max and target gets. */
export function defaultAutoscaling(min: number, max: number, targetCPUUtilization: number): Autoscaling {
  return {
    minReplicas: min,
    maxReplicas: max,
    targetCPUUtilization,
    syncPeriod: HPA_SYNC_PERIOD,
    tolerance: HPA_TOLERANCE,
    metricsWindow: METRICS_SERVER_RESOLUTION,
    scaleUp: structuredClone(DEFAULT_SCALE_UP),
    scaleDown: structuredClone(DEFAULT_SCALE_DOWN),
  };
}

/**
 * istiod's HPA as the istio-discovery chart renders it (istio/istio 1.28.0
 * manifests/charts/istio-control/istio-discovery/values.yaml: autoscaleEnabled true, autoscaleMin 1,
 * autoscaleMax 5, cpu.targetAverageUtilization 80, autoscaleBehavior {} so Kubernetes' behaviour;
 * templates/autoscale.yaml renders it only when autoscaleEnabled and replicaCount is not set higher).
 */
export const ISTIOD_AUTOSCALING = { enabled: true, minReplicas: 1, maxReplicas: 5, targetCPUUtilization: 80 };

/**
 * The replicas a Deployment runs with at the start: its HPA's first sync brings them into [min, max],
 * except at 0, where the controller leaves it alone ("scaling is disabled since the replica count of the
 * target is zero": kubernetes/kubernetes v1.31.0 pkg/controller/podautoscaler/horizontal.go
 * reconcileAutoscaler).
 */
export function initialReplicas(replicas: number, a: Autoscaling | undefined | null): number {
  if (!a || replicas === 0) return replicas;
  return Math.min(a.maxReplicas, Math.max(a.minReplicas, replicas));
}

/** Whether an HPA acts on a Deployment that starts with `replicas`. */
export function autoscaled(replicas: number, a: Autoscaling | undefined | null): a is Autoscaling {
  return !!a && replicas > 0;
}
