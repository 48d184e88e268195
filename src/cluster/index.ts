export {
  type CfsConfig,
  type ContainerResources,
  containerCfs,
  flatWeights,
  milliCpuToQuota,
  milliCpuToShares,
  type NodePod,
  podCfs,
  type QosClass,
  qosClass,
  sharesToWeight,
} from './cpu-shares.ts';
export { deploy, gatewayOwner, versionIndex } from './deploy.ts';
export { minNodesLowerBound } from './lower-bound.ts';
export { describeMemoryRisk, type MemoryRisk, memoryRisks } from './memory-risk.ts';
export { clientDataplane, type Dataplane, daemonDataplane, resolveModes, serviceDataplane } from './modes.ts';
export {
  antiAffinityScore,
  NodeScorer,
  type PodScoring,
  podScoring,
  resourceScores,
  SYSTEM_DEFAULT_SPREAD,
  toMilli,
} from './node-score.ts';
export {
  meetsRequiredNodeAffinity,
  NodeSelection,
  preferredNodeWeight,
  selectionFailure,
} from './node-selection.ts';
export { buildNodes, type ClusterNode, type PoolCounts } from './nodes.ts';
export {
  DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE,
  NodeSearch,
  numFeasibleNodesToFind,
} from './nodes-to-score.ts';
export { scoringDefaults } from './non-zero.ts';
export type { NodeRequests, PlacedPod, Placement } from './placement.ts';
export {
  COMPONENTS,
  type Component,
  isDaemonSet,
  type PodKind,
  type PodSpec,
  podRequests,
  startsLater,
} from './pod.ts';
export { type Candidate, priorityOf, type Room, SYSTEM_NODE_CRITICAL, selectVictims } from './priority.ts';
export {
  ANTI_AFFINITY_MISMATCH,
  fitError,
  INSUFFICIENT_CPU,
  INSUFFICIENT_MEMORY,
  NODE_CORDONED,
  NODE_MEMORY_PRESSURE,
  NODE_UNREACHABLE,
  SPREAD_MISMATCH,
  TOO_MANY_PODS,
} from './reason.ts';
export { requestedByComponent } from './requests.ts';
export { type PlaceOptions, place } from './scheduler.ts';
export { applyTopologyRules } from './topology-constraints.ts';
