// Values the import writes when the manifests do not say: each cites where it comes from, and each is
// marked in the output as assumed.

/**
 * Requests of a container that sets none: the scheduler scores such pods as if they asked for 100m CPU
 * and 200Mi memory (kubernetes/kubernetes pkg/scheduler/util/pod_resources.go, DefaultMilliCPURequest =
 * 100, DefaultMemoryRequest = 200 * 1024 * 1024). meshsim's scheduler needs a figure to place them, so
 * the import uses the scheduler's own.
 */
export const SCHEDULER_DEFAULT_REQUESTS = { cpu: '100m', memory: '200Mi' } as const;

/** ASSUMPTION: the node type when the manifests name none (a common general-purpose EKS node). */
export const DEFAULT_INSTANCE_TYPE = 'm5.xlarge';

/** ASSUMPTION: fill nodes to this share of allocatable when sizing the pool, leaving room for surge. */
export const TARGET_NODE_FILL = 0.7;

/** ASSUMPTION: at least three nodes, one per zone of a typical three-zone region. */
export const MIN_NODES = 3;

/** ASSUMPTION: the rate of an entry point when no --calls overlay gives one. */
export const DEFAULT_ENTRY_RATE = '100/s';

/** Kubernetes supports clusters of up to 5000 nodes (kubernetes.io/docs/setup/best-practices/cluster-large/). */
export const MAX_NODES = 5000;
