// A HorizontalPodAutoscaler as a scenario gives it (part of the Scenario type, types.ts).

/** One HPA scaling policy: at most `value` pods (or `value` %) per `period` seconds. */
export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  period: number;
}

/** spec.behavior.scaleUp / scaleDown of an autoscaling/v2 HorizontalPodAutoscaler. */
export interface ScalingRules {
  /** Seconds of past recommendations considered (scale up: the lowest; scale down: the highest). */
  stabilizationWindow: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: ScalingPolicy[];
}

/** A HorizontalPodAutoscaler on the average CPU utilisation of a Deployment's pods (autoscaling.ts). */
export interface Autoscaling {
  minReplicas: number;
  maxReplicas: number;
  /** averageUtilization: percent of the pods' summed CPU requests. */
  targetCPUUtilization: number;
  /** kube-controller-manager --horizontal-pod-autoscaler-sync-period, seconds. */
  syncPeriod: number;
  /** Relative change of the usage ratio below which nothing is done. */
  tolerance: number;
  /** Seconds of CPU use a metric averages (metrics-server resolution). */
  metricsWindow: number;
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
  /**
   * A service's ContainerResource metric: the CPU of its pods' `application` container, or of their
   * sidecar (`istio-proxy`), over that container's request; unset, the pods' summed CPU over their summed
   * requests (a Resource metric).
   */
  container?: 'application' | 'istio-proxy';
}
