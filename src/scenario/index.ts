// The public face of the scenario layer: load and validate scenario files into a typed Scenario.

export {
  DEFAULT_KUBELET,
  DEFAULT_PRECISION,
  DEFAULT_PROXY_RESTART,
  DEFAULT_SIDECAR_STARTUP,
} from './assumptions.ts';
export { autoscaled, initialReplicas } from './autoscaling.ts';
export { allCalls, entryRouteCalls, type SharedCall, sharedCalls } from './calls-of.ts';
export {
  CATALOGUE_DATE,
  findInstanceType,
  INSTANCE_TYPES,
  type InstanceType,
  openCostPrice,
  systemReserved,
} from './catalogue.ts';
export {
  clientNamespace,
  DEFAULT_CROSS_ZONE_PER_GIB,
  DEFAULT_MAX_PODS,
  DEFAULT_MESH,
  DEFAULT_NETWORK,
  DEFAULT_OUTLIER_DETECTION,
  DEFAULT_RETRIES,
  DEFAULT_RETRY_BACKOFF,
  LOADGEN_NAMESPACE,
} from './defaults.ts';
export {
  definesSubsets,
  destinationPolicy,
  perConnectionFields,
  subsetPolicies,
} from './destination-rule.ts';
export { type DisruptionBudget, desiredHealthy } from './disruption-budget.ts';
export { scenarioHash } from './hash.ts';
export type * from './ingress-gateway.ts';
export { formatIssues, ScenarioError, type ScenarioIssue } from './issues.ts';
export { scenarioJsonSchema } from './json-schema.ts';
export { PROXY_CONFIG, readProxyConfig } from './normalise/proxy-config.ts';
export { applyOverrides, type Overrides } from './overrides.ts';
export { loadScenario, parseScenario } from './parse.ts';
export { Passthrough, passthroughOf } from './passthrough.ts';
export { peakRate } from './peak-rate.ts';
export { mtlsMode, strictMtls } from './peer-authentication.ts';
export { RETRY_ON, type RetryOn } from './retry-on.ts';
export { scaledReplicas, scaleOwner } from './scale-targets.ts';
export { LIMITS as AUTOSCALING_LIMITS } from './schema/autoscaling.ts';
export { isExportToEntry } from './schema/sidecar-scope.ts';
export { INT32_MAX, LB_SIMPLE } from './schema/traffic-policy.ts';
export {
  isTrafficDistribution,
  type TrafficDistribution,
  trafficDistributionSince,
} from './traffic-distribution.ts';
export type * from './traffic-policy.ts';
export type * from './types.ts';
export { parseCpu, parseDuration, parseMemory, parseRate, parseSize, UnitError } from './units.ts';
export { boundWaypoint } from './use-waypoint.ts';
export { DEFAULT_MESH_VERSION, type MeshVersion, SUPPORTED_MESH_VERSIONS } from './version.ts';
export {
  DEFAULT_CLUSTER_DOMAIN,
  egressImports,
  exportedTo,
  hostname,
  sidecarSees,
  visibleTo,
} from './visibility.ts';
